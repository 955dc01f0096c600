package dev.mmucheck.scheduling;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A lock with an owner: the kernel's {@code spinlock_t} (subscriptions->lock) and the driver's
 * user lock (a mutex or rw_semaphore taken for write). Built on a {@link WaitQueue} so that a
 * thread that must wait for it is reported as blocked to the scheduler, and so that the owner
 * is visible to the abstraction function ({@link #owner()}).
 *
 * <p>Unlike {@code java.util.concurrent} locks, it may be released by another thread than the one
 * that took it only through {@link #unlockBy(Thread)}, which fails if that thread is not the owner.
 */
public final class SleepingLock {
    private final String name;
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    /** the holders in read mode (down_read of an rw_semaphore; xe's notifier_lock), guarded by this */
    private final java.util.Set<Thread> readers = new java.util.LinkedHashSet<>();
    private final WaitQueue waiters;
    private final Changes.Mark holdersChanged;

    /** A lock whose holders the abstraction does not read. */
    public SleepingLock(String name, Sched sched) {
        this(name, sched, Changes.Mark.NONE);
    }

    /** {@code holdersChanged}: the spec variables its owner and readers are read into, marked when they change. */
    public SleepingLock(String name, Sched sched, Changes.Mark holdersChanged) {
        this.name = name;
        this.waiters = new WaitQueue(name, sched);
        this.holdersChanged = holdersChanged;
    }

    /** spin_lock / mutex_lock / down_write: sleeps (or spins) until the lock is free. */
    public void lock() {
        Thread me = Thread.currentThread();
        if (owner.get() == me) throw new IllegalStateException(name + ": recursive lock by " + me.getName() + " (deadlock in the kernel)");
        waiters.waitEvent(() -> tryWrite(me));
    }

    /** Take it in write mode if nobody holds it in either mode. */
    private synchronized boolean tryWrite(Thread me) {
        boolean taken = readers.isEmpty() && owner.compareAndSet(null, me);
        if (taken) holdersChanged.touch();
        return taken;
    }

    /** down_read: sleeps until no writer holds it; several readers may hold it at once. */
    public void lockRead() {
        Thread me = Thread.currentThread();
        if (owner.get() == me || heldForRead(me)) throw new IllegalStateException(name + ": recursive lock by " + me.getName() + " (deadlock in the kernel)");
        waiters.waitEvent(() -> tryRead(me));
    }

    private synchronized boolean tryRead(Thread me) {
        if (owner.get() != null) return false;
        readers.add(me);
        holdersChanged.touch();
        return true;
    }

    private synchronized boolean heldForRead(Thread t) { return readers.contains(t); }

    /** up_read. */
    public void unlockRead() {
        Thread me = Thread.currentThread();
        synchronized (this) {
            if (!readers.remove(me)) throw new IllegalStateException(name + ": up_read by " + me.getName() + ", which does not hold it for read");
            holdersChanged.touch();
        }
        waiters.wakeUpAll();
    }

    /** The holders in read mode (for the abstraction function). */
    public synchronized java.util.List<Thread> readers() { return java.util.List.copyOf(readers); }

    /**
     * The lock taken in a step that also ends if {@code stop} holds: waits until {@code stop} holds
     * (false: the lock is not taken) or {@code may} holds and the lock is free (true: taken), both
     * judged in one check, so a step that cannot go on has changed nothing. The waiter re-checks
     * at every unlock and at every {@link #wakeWaiters}, which whoever makes {@code stop} or
     * {@code may} true calls.
     */
    public boolean lockUnless(java.util.function.BooleanSupplier stop, java.util.function.BooleanSupplier may) {
        Thread me = Thread.currentThread();
        if (owner.get() == me) throw new IllegalStateException(name + ": recursive lock by " + me.getName() + " (deadlock in the kernel)");
        boolean[] taken = {false};
        waiters.waitEvent(() -> stop.getAsBoolean() || (may.getAsBoolean() && (taken[0] = tryWrite(me))));
        return taken[0];
    }

    /** Wake the waiters of {@link #lockUnless} after making its stop or may condition true. */
    public void wakeWaiters() { waiters.wakeUpAll(); }

    /** spin_trylock / mutex_trylock: true if taken. */
    public boolean tryLock() {
        return tryWrite(Thread.currentThread());
    }

    public void unlock() { unlockBy(Thread.currentThread()); }

    public void unlockBy(Thread t) {
        if (!owner.compareAndSet(t, null)) {
            throw new IllegalStateException(name + ": unlock by " + t.getName() + " but the owner is "
                    + (owner.get() == null ? "nobody" : owner.get().getName()));
        }
        holdersChanged.touch();
        waiters.wakeUpAll();
    }

    /** Held by the calling thread, in write mode or in read mode. */
    public boolean isHeldByCurrentThread() { return owner.get() == Thread.currentThread() || heldForRead(Thread.currentThread()); }

    /**
     * lockdep_assert_held for one access of a protected field: throws {@link LockNotHeldException}
     * naming the field, the access ("read", "written"), this lock and the thread.
     */
    public void assertHeld(String field, String access) {
        Thread me = Thread.currentThread();
        Thread o = owner.get();
        if (o != me && !heldForRead(me)) throw new LockNotHeldException(field, access, name, me, o);
    }

    public Thread owner() { return owner.get(); }

    public String name() { return name; }
}
