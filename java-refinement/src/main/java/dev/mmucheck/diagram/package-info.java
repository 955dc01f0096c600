/**
 * Counterexamples drawn as pictures ({@code mmu-check diagram}): a Mermaid sequence diagram in a
 * Markdown page per trace ({@link dev.mmucheck.diagram.SequenceDiagram}), one lane per process of
 * the trace and one for the subscriptions, built on the explanation of {@code dev.mmucheck.explain}
 * (the same step words, variable names and culprit sentence as {@code mmu-check explain}); and the
 * committed pages of model-check/diagrams/ regenerated and compared ({@link dev.mmucheck.diagram.DiagramPages}).
 */
package dev.mmucheck.diagram;
