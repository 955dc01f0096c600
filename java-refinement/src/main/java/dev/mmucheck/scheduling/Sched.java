package dev.mmucheck.scheduling;

import java.util.Objects;

/**
 * The one place a {@link Scheduler} is installed for one simulated machine (an mm, its
 * drivers and GPUs). Every object of that machine holds the same {@code Sched}; there is no
 * global scheduler. Install before the threads start.
 */
public final class Sched {
    private volatile Scheduler scheduler = Scheduler.NONE;
    private final Changes changes = new Changes();

    public void install(Scheduler s) { scheduler = Objects.requireNonNull(s, "scheduler"); }

    public void uninstall() { scheduler = Scheduler.NONE; }

    public Scheduler scheduler() { return scheduler; }

    /** The machine's record of which spec variables its code may have changed. */
    public Changes changes() { return changes; }

    /** A scheduling point: the calling thread is about to take the step {@code label}. */
    public void at(Label label) { scheduler.at(label); }

    /** See {@link Scheduler#parkBlocked}. */
    public boolean parkBlocked(String where) { return scheduler.parkBlocked(where); }

    public void exited() { scheduler.exited(null); }

    public void died(Throwable t) { scheduler.exited(t); }
}
