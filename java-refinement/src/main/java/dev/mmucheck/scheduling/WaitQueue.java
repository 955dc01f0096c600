package dev.mmucheck.scheduling;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A kernel wait queue ({@code wait_queue_head_t}): {@code wait_event(wq, cond)} and
 * {@code wake_up_all(wq)}. A waiter re-checks its condition after every wake-up, as
 * {@code wait_event} does. A wake-up that nobody calls is a lost wake-up: the waiter sleeps
 * for ever (the stress test's watchdog reports it); there is no timed re-check that would hide it.
 *
 * <p>Under a deterministic scheduler a waiter does not sleep here: it is parked by the scheduler
 * ({@link Sched#parkBlocked}) and, when the scheduler lets it, re-checks its condition only if
 * {@link #wakeUpAll} was called since it went to sleep, as a sleeping task would; otherwise it
 * stays asleep and parks again, in a place named {@link #ASLEEP} so the harness can report a
 * sleeper nobody woke (a missing wake_up_all) as such. One exception: a queue whose condition
 * changes only under a lock whose holder wakes the queue once it unlocks (subscriptions->wq and
 * subscriptions->lock) lets a sleeper re-check while another thread holds that lock. The spec's
 * waits are guards, so TLC lets the waiter go as soon as the seq moves on, before the wake_up_all
 * of the same mn_itree_inv_end; in the kernel that is the waiter that had not gone to sleep yet
 * when the seq moved, which the lockstep run cannot tell from one that had.
 */
public final class WaitQueue {
    private final String name;
    private final Sched sched;
    private final SleepingLock wakerLock;        // may be null
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long wakeups;           // guarded by lock
    private int sleepers;           // guarded by lock

    /** The start of the place a lockstep waiter parks in when nobody has woken it since it went to sleep. */
    public static final String ASLEEP = "asleep, not woken since it went to sleep, on ";

    public WaitQueue(String name, Sched sched) { this(name, sched, null); }

    /**
     * A queue whose waiters' conditions change only under {@code wakerLock}, whose holder wakes
     * the queue after it unlocks (see the class comment); null: none.
     */
    public WaitQueue(String name, Sched sched, SleepingLock wakerLock) {
        this.name = name;
        this.sched = sched;
        this.wakerLock = wakerLock;
    }

    /** Lockstep: may a sleeper that went to sleep at wake-up count {@code seen} re-check its condition? */
    private boolean mayRecheck(long seen) {
        if (wakeups() != seen) return true;
        Thread holder = wakerLock == null ? null : wakerLock.owner();
        return holder != null && holder != Thread.currentThread();
    }

    /** wait_event(wq, condition): returns once {@code condition} was seen true. */
    public void waitEvent(BooleanSupplier condition) {
        for (;;) {
            long seen = wakeups();
            if (condition.getAsBoolean()) return;
            if (sched.parkBlocked(name)) {
                // lockstep: let run again, but a task asleep here wakes only on a wake_up_all
                while (!mayRecheck(seen) && sched.parkBlocked(ASLEEP + name)) { /* still asleep */ }
                continue;
            }
            lock.lock();
            try {
                sleepers++;
                while (wakeups == seen) changed.awaitUninterruptibly();
                sleepers--;
            } finally {
                lock.unlock();
            }
        }
    }

    private long wakeups() {
        lock.lock();
        try {
            return wakeups;
        } finally {
            lock.unlock();
        }
    }

    /** wake_up_all(wq). */
    public void wakeUpAll() {
        lock.lock();
        try {
            wakeups++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many threads sleep here now (for the watchdog's report). */
    public int sleepers() {
        lock.lock();
        try {
            return sleepers;
        } finally {
            lock.unlock();
        }
    }

    public String name() { return name; }
}
