package dev.mmucheck.refinement;

/**
 * A trace that is well-formed ITF but not a behaviour of this spec's kind: a variable of the wrong
 * type, an unknown label or process in the step record. Bad input (exit 2), not a Java divergence.
 */
public final class BadTraceException extends IllegalArgumentException {
    public BadTraceException(String trace, int state, String field, String problem) {
        super(trace + ": state " + state + ", " + field + ": " + problem);
    }
}
