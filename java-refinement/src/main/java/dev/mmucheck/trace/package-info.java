/**
 * Traces as ITF JSON (encoding "mmucheck-itf-1", specs/CONTRACT.md): reading and writing
 * ({@link dev.mmucheck.trace.Itf}) and printing a counterexample as steps a kernel developer
 * reads ({@link dev.mmucheck.trace.Explainer}).
 */
package dev.mmucheck.trace;
