package dev.mmucheck.diagram;

/**
 * One lane (Mermaid participant) of a sequence diagram.
 *
 * @param id the participant's id: the process's model value ({@code i1}, {@code g2}), or {@link #SUBSCRIPTIONS}
 * @param kind invalidator, reader, lifecycle, GPU or subscriptions
 * @param label what the lane's head says (its id, kind, range and blockability, driver ...)
 */
public record Lane(String id, Kind kind, String label) {
    /** The id of the lane of the shared notifier state (seq, active, tree, deferred). */
    public static final String SUBSCRIPTIONS = "subs";

    public enum Kind { INVALIDATOR, SUBSCRIPTIONS, LIFECYCLE, READER, GPU, OTHER }

    public boolean isProcess() { return kind != Kind.SUBSCRIPTIONS; }
}
