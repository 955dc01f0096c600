/**
 * Traces as ITF JSON (encoding "mmucheck-itf-1", specs/CONTRACT.md): reading and writing
 * ({@link dev.mmucheck.trace.Itf}) and the labels in the kernel's words ({@link dev.mmucheck.trace.Labels}).
 * Printing a counterexample for people is {@code dev.mmucheck.explain}.
 */
package dev.mmucheck.trace;
