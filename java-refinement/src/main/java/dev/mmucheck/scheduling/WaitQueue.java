package dev.mmucheck.scheduling;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A kernel wait queue ({@code wait_queue_head_t}): {@code wait_event(wq, cond)} and
 * {@code wake_up_all(wq)}, with its sleepers. {@code wait_event} runs as the kernel's loop:
 * check the condition; join the queue ({@code prepare_to_wait_event}); check it again (joining
 * first is what keeps a wake-up from being lost between the check and the sleep); sleep until
 * a {@link #wakeUpAll} takes the task off the queue; then the loop again. A sleeper re-checks
 * only after such a wake-up, never while it is on the queue. A wake-up that nobody calls is a
 * lost wake-up: the waiter sleeps for ever (the stress test's watchdog reports it); there is no
 * timed re-check that would hide it.
 *
 * <p>Under a deterministic scheduler a waiter does not sleep here: it is parked by the scheduler
 * ({@link Sched#parkBlocked}). A wait whose going to sleep is a step of the spec (the waits on
 * subscriptions->wq, whose sleepers are the spec's variable {@code wq}) names the label of its
 * next step, the re-check after a wake-up: going to sleep ends the step there. Let run again
 * while it is still on the queue, a sleeper parks in a place named {@link #ASLEEP} (the step it
 * cannot take: nothing changed), so the harness can report a sleeper nobody woke (a missing
 * wake_up_all) as such. Waits that are guards in the spec (a lock, a fence) name no label: a
 * waiter that finds the condition false comes back blocked in its step.
 */
public final class WaitQueue {
    private final String name;
    private final Sched sched;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<Thread> sleepers = new LinkedHashSet<>();   // guarded by lock; in the order they joined
    private final Changes.Mark sleepersChanged;

    /** The start of the place a lockstep waiter parks in while it is on the queue, not woken since it went to sleep. */
    public static final String ASLEEP = "asleep, not woken since it went to sleep, on ";

    /** A queue whose sleepers the abstraction does not read. */
    public WaitQueue(String name, Sched sched) {
        this(name, sched, Changes.Mark.NONE);
    }

    /** {@code sleepersChanged}: the spec variables its sleepers are read into, marked when they change. */
    public WaitQueue(String name, Sched sched, Changes.Mark sleepersChanged) {
        this.name = name;
        this.sched = sched;
        this.sleepersChanged = sleepersChanged;
    }

    /** wait_event(wq, condition), a guard in the spec: returns once {@code condition} was seen true. */
    public void waitEvent(BooleanSupplier condition) {
        waitEvent(condition, null);
    }

    /**
     * wait_event(wq, condition), whose sleep is a step of the spec: going to sleep ends the
     * calling thread's step at {@code sleepLabel} (null: a guard, see the class comment), the
     * label of the re-check a wake-up lets it take.
     */
    public void waitEvent(BooleanSupplier condition, Label sleepLabel) {
        Thread me = Thread.currentThread();
        if (condition.getAsBoolean()) return;
        for (;;) {
            join(me);                                   // prepare_to_wait_event
            if (condition.getAsBoolean()) {
                leave(me);                              // finish_wait
                return;
            }
            sleep(me, sleepLabel);                      // schedule(), until a wake_up_all
            if (condition.getAsBoolean()) return;
        }
    }

    private void sleep(Thread me, Label sleepLabel) {
        if (sleepLabel != null) {
            sched.at(sleepLabel);                       // the step ends asleep; the next one is the re-check
            while (asleep(me)) {
                if (!sched.parkBlocked(ASLEEP + name)) {
                    realSleep(me);
                    return;
                }
            }
            return;
        }
        if (sched.parkBlocked(name)) {
            // lockstep: let run again, but a task asleep here wakes only on a wake_up_all
            while (asleep(me) && sched.parkBlocked(ASLEEP + name)) { /* still asleep */ }
            if (asleep(me)) realSleep(me);
            return;
        }
        realSleep(me);
    }

    private void realSleep(Thread me) {
        lock.lock();
        try {
            while (sleepers.contains(me)) changed.awaitUninterruptibly();
        } finally {
            lock.unlock();
        }
    }

    private void join(Thread me) {
        lock.lock();
        try {
            sleepers.add(me);
            sleepersChanged.touch();
        } finally {
            lock.unlock();
        }
    }

    private void leave(Thread me) {
        lock.lock();
        try {
            sleepers.remove(me);
            sleepersChanged.touch();
        } finally {
            lock.unlock();
        }
    }

    private boolean asleep(Thread me) {
        lock.lock();
        try {
            return sleepers.contains(me);
        } finally {
            lock.unlock();
        }
    }

    /** wake_up_all(wq): every sleeper is taken off the queue and runs again, to re-check its condition. */
    public void wakeUpAll() {
        lock.lock();
        try {
            if (!sleepers.isEmpty()) sleepersChanged.touch();
            sleepers.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The threads on the queue now, in the order they joined (the spec's {@code wq}; the watchdog's report). */
    public List<Thread> sleeperThreads() {
        lock.lock();
        try {
            return new ArrayList<>(sleepers);
        } finally {
            lock.unlock();
        }
    }

    /** How many threads sleep here now (for the watchdog's report). */
    public int sleepers() {
        lock.lock();
        try {
            return sleepers.size();
        } finally {
            lock.unlock();
        }
    }

    public String name() { return name; }
}
