package dev.mmucheck.scheduling;

/**
 * A flag the driver protects by its user lock (xe's userptr->finish_inuse): {@link #get} and
 * {@link #set} check that the calling thread holds the lock (lockdep_assert_held).
 * {@link #readOnce()} is an unlocked read made on purpose, {@link #quiescent()} the read of the
 * abstraction function, the oracles and tests while every process thread is parked, and
 * {@link #setUnderMutationUnlocked} a write a spec mutation makes without the lock on purpose;
 * each call of those three is listed with its reason in {@code dev.mmucheck.kernel.LockDisciplineTest}.
 */
public final class GuardedBool {
    /** 1 for true, 0 for false: the lock check, READ_ONCE and the change mark are the counter's. */
    private final GuardedLong value;

    /** {@code changed}: the spec variables it is read into, marked at every write. */
    public GuardedBool(String field, SleepingLock lock, boolean initial, Changes.Mark changed) {
        this.value = new GuardedLong(field, lock, initial ? 1 : 0, changed);
    }

    /** A read under the lock. */
    public boolean get() { return value.get() != 0; }

    /** A write under the lock. */
    public void set(boolean v) { value.set(v ? 1 : 0); }

    /** Does the calling thread hold the lock this flag needs? */
    public boolean lockHeld() { return value.lockHeld(); }

    /** READ_ONCE: an unlocked read made on purpose (see the call site for why). */
    public boolean readOnce() { return value.readOnce() != 0; }

    /** A read by the abstraction function, an oracle or a test while every process thread is parked. */
    public boolean quiescent() { return value.quiescent() != 0; }

    /** A write without the lock that a spec mutation makes on purpose (the call site reports it as the spec's property does). */
    public void setUnderMutationUnlocked(boolean v) { value.setUnderMutationUnlocked(v ? 1 : 0); }

    public String field() { return value.field(); }
}
