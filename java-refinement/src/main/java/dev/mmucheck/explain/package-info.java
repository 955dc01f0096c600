/**
 * A counterexample explained for a kernel developer ({@code mmu-check explain}): the model's
 * constants read from its configuration ({@link dev.mmucheck.explain.ModelConstants}), the steps and
 * the variables they changed in the kernel's words ({@link dev.mmucheck.explain.KernelWords}), and the
 * culprit of the broken property, one finder per property ({@link dev.mmucheck.explain.CulpritFinders}).
 */
package dev.mmucheck.explain;
