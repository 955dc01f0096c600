package dev.mmucheck.scheduling;

/**
 * The kernel's {@code lockdep_assert_held} failing: a field protected by a lock was read or
 * written by a thread that does not hold that lock. Names the field, the access, the lock, the
 * thread and who holds the lock instead.
 */
public final class LockNotHeldException extends IllegalStateException {
    private final String field;
    private final String lock;

    public LockNotHeldException(String field, String access, String lock, Thread thread, Thread owner) {
        super("lockdep: " + field + " " + access + " by " + thread.getName() + " without holding " + lock
                + " (held by " + (owner == null ? "nobody" : owner.getName()) + ")");
        this.field = field;
        this.lock = lock;
    }

    /** The protected field that was accessed. */
    public String field() { return field; }

    /** The lock that should have been held. */
    public String lock() { return lock; }
}
