package dev.mmucheck.scheduling;

/**
 * A shared object the kernel (or the driver) protects by a lock: the only way to it is through
 * this holder, whose {@link #get} checks that the calling thread holds the lock (lockdep), so a
 * lock released one line early fails at the first access that runs the line.
 *
 * <p>Two more ways in, each named for why it needs no lock:
 * <ul>
 * <li>{@link #frozen()}: the kernel reads it without the lock because the protocol keeps it from
 *     changing there (the interval tree while invalidate_seq is odd);</li>
 * <li>{@link #quiescent()}: the abstraction function, the property checkers and tests read it
 *     while every process thread is parked (or stopped); never from kernel or driver code;</li>
 * <li>{@link #underMutationUnlocked()}: a spec mutation that drops the lock on purpose.</li>
 * </ul>
 * Every call of these is listed, with its reason, in the lock-discipline test
 * ({@code dev.mmucheck.kernel.LockDisciplineTest}); a new one fails that test until it is justified there.
 */
public final class Guarded<T> {
    private final String field;
    private final SleepingLock lock;
    private final T value;
    private final Changes.Mark changed;

    /**
     * {@code field}: the kernel's name for it (e.g. {@code subscriptions->deferred_list});
     * {@code changed}: the spec variables it is read into, marked at every access that may change it.
     */
    public Guarded(String field, SleepingLock lock, T value, Changes.Mark changed) {
        this.field = field;
        this.lock = lock;
        this.value = value;
        this.changed = changed;
    }

    /**
     * The object, to read or change it: the calling thread must hold the lock (lockdep_assert_held).
     * The caller may change it, so its spec variables are marked changed.
     */
    public T get() {
        lock.assertHeld(field, "accessed");
        changed.touch();
        return value;
    }

    /** An unlocked read the protocol makes safe: the object cannot change while the caller reads it (see the call site). */
    public T frozen() { return value; }

    /** A read by the abstraction function, an oracle or a test while every process thread is parked. */
    public T quiescent() { return value; }

    /**
     * An access without the lock that a spec mutation makes on purpose (D3: the device PTE
     * installed after the user lock is dropped): the spec has the same unlocked access and TLC
     * finds its consequence, so the Java code must make it too, unchecked.
     */
    public T underMutationUnlocked() {
        changed.touch();
        return value;
    }

    public String field() { return field; }

    public SleepingLock lock() { return lock; }
}
