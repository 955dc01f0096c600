package dev.mmucheck.diagram;

import java.util.List;

/**
 * One statement of a sequence diagram, before it is written as Mermaid ({@link SequenceDiagram#mermaid}) or
 * drawn as SVG ({@link SvgDiagram}). Text is plain (not escaped), one element per line.
 */
public sealed interface Item {
    /** An arrow from lane {@code from} to lane {@code to}. */
    record Message(String from, String to, List<String> lines) implements Item {}

    /**
     * A note over lane {@code from}, or over the lanes from {@code from} to {@code to}; {@code ofStep}: the
     * variables one step changed (the SVG draws those of one step side by side), else a step or a remark of its own.
     */
    record Note(String from, String to, List<String> lines, boolean ofStep) implements Item {}

    /** The start of a box: the breaking step's red box, or a lasso's loop inside it. */
    record Open(Box box, String label) implements Item {}

    /** The end of the innermost open box. */
    record Close() implements Item {}

    /** BREAK: the breaking step (red); GOAL: the step that reaches a correct run's goal (green); LOOP: a lasso's loop. */
    enum Box { BREAK, GOAL, LOOP }
}
