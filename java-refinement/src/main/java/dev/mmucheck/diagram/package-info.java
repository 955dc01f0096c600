/**
 * Counterexamples drawn as pictures ({@code mmu-check diagram}): a Mermaid sequence diagram in a
 * Markdown page per trace ({@link dev.mmucheck.diagram.SequenceDiagram}), one lane per process of
 * the trace and one for the subscriptions, built on the explanation of {@code dev.mmucheck.explain}
 * (the same step words, variable names and culprit sentence as {@code mmu-check explain}); and the
 * committed pages of model-check/diagrams/ regenerated and compared ({@link dev.mmucheck.diagram.DiagramPages}), with the
 * correct runs of model-check/runs/ (drawn with the goal's step in a green box) and the static viewer's data
 * (model-check/viewer/data/, {@link dev.mmucheck.diagram.ViewerData}).
 */
package dev.mmucheck.diagram;
