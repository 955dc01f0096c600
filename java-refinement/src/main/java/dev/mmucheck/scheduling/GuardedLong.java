package dev.mmucheck.scheduling;

/**
 * A counter the kernel protects by a lock (subscriptions->invalidate_seq,
 * active_invalidate_ranges): {@link #get} and {@link #set} check that the calling thread holds
 * the lock (lockdep_assert_held). {@link #readOnce()} is the kernel's READ_ONCE, an unlocked read
 * made on purpose (a wait_event condition); {@link #quiescent()} is the read of the abstraction
 * function, the oracles and tests while every process thread is parked;
 * {@link #setUnderMutationUnlocked} a write a spec mutation makes without the lock on purpose. Each
 * call of those is listed with its reason in {@code dev.mmucheck.kernel.LockDisciplineTest}.
 * {@link GuardedBool} is one of these holding 0 or 1. Volatile, so READ_ONCE sees the
 * last write.
 */
public final class GuardedLong {
    private final String field;
    private final SleepingLock lock;
    private volatile long value;
    private final Changes.Mark changed;

    /** {@code changed}: the spec variables it is read into, marked at every write. */
    public GuardedLong(String field, SleepingLock lock, long initial, Changes.Mark changed) {
        this.field = field;
        this.lock = lock;
        this.value = initial;
        this.changed = changed;
    }

    /** A read under the lock. */
    public long get() {
        lock.assertHeld(field, "read");
        return value;
    }

    /** A write under the lock. */
    public void set(long v) {
        lock.assertHeld(field, "written");
        value = v;
        changed.touch();
    }

    /** Does the calling thread hold the lock this counter needs? */
    public boolean lockHeld() { return lock.isHeldByCurrentThread(); }

    /** A write without the lock that a spec mutation makes on purpose (the call site reports it as the spec's property does). */
    public void setUnderMutationUnlocked(long v) {
        value = v;
        changed.touch();
    }

    /** READ_ONCE: an unlocked read the kernel makes on purpose (see the call site for why it is safe). */
    public long readOnce() { return value; }

    /** A read by the abstraction function, an oracle or a test while every process thread is parked. */
    public long quiescent() { return value; }

    public String field() { return field; }
}
