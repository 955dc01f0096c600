package dev.mmucheck.scheduling;

/**
 * Receives the scheduling points of the reference implementation. The kernel and driver code
 * call it at every labelled point and at every blocking call; with {@link #NONE} installed
 * (the default) the calls do nothing and the code runs freely on real threads.
 *
 * <p>A deterministic scheduler (the refinement harness, or a test forcing a race) parks the
 * calling thread in {@link #at} until it decides that thread may take its next step, and parks a
 * thread that would block in {@link #parkBlocked} instead of letting it sleep, so that "blocked"
 * is a position the controller sees, never a race with a wake-up.
 */
public interface Scheduler {
    /** The calling thread is about to take the step {@code label}. */
    void at(Label label);

    /**
     * The calling thread cannot go on in {@code where} (a lock, a wait_event) and would sleep.
     * Returns true if the scheduler parked it and now lets it re-check its condition; false if
     * the caller must really sleep (no scheduler installed).
     */
    boolean parkBlocked(String where);

    /** The calling thread's process has ended ({@code failure} null) or died with {@code failure}. */
    void exited(Throwable failure);

    Scheduler NONE = new Scheduler() {
        @Override public void at(Label label) {}
        @Override public boolean parkBlocked(String where) { return false; }
        @Override public void exited(Throwable failure) {}
    };
}
