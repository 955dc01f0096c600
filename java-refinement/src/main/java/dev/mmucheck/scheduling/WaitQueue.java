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
 * ({@link Sched#parkBlocked}) and re-checks its condition when the scheduler lets it.
 */
public final class WaitQueue {
    private final String name;
    private final Sched sched;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long wakeups;           // guarded by lock
    private int sleepers;           // guarded by lock

    public WaitQueue(String name, Sched sched) {
        this.name = name;
        this.sched = sched;
    }

    /** wait_event(wq, condition): returns once {@code condition} was seen true. */
    public void waitEvent(BooleanSupplier condition) {
        for (;;) {
            long seen;
            lock.lock();
            try {
                seen = wakeups;
            } finally {
                lock.unlock();
            }
            if (condition.getAsBoolean()) return;
            if (sched.parkBlocked(name)) continue;
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
