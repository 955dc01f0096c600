package dev.mmucheck.scheduling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A deterministic scheduler: each registered thread is one process of the spec, and only the
 * thread the controller picks runs, from one labelled point to the next. Threads that are not
 * registered (the test's own thread, set-up code) are not scheduled.
 *
 * <p>{@link #step(String)} lets process {@code p} take the step at its current label and returns
 * when it has reached its next label, exited, or found it cannot go on (a lock held, a
 * wait_event condition false): the three outcomes a refinement harness needs to tell a step the
 * spec took from one the code cannot take. A thread that cannot go on has changed nothing: in
 * this code every wait comes first in its step.
 */
public final class LockstepScheduler implements Scheduler {

    /** Where a process is, as the controller sees it. */
    public enum Where { STARTING, AT_LABEL, RUNNING, BLOCKED, EXITED }

    /**
     * A process's position: at a label, blocked at the start of the step {@code label} in
     * {@code blockedIn}, or exited (with {@code failure} if it died).
     */
    public record Position(String proc, Where where, Label label, String blockedIn, Throwable failure) {
        /** The step this process would take next (its label, also when blocked in it). */
        public boolean canTry() { return where == Where.AT_LABEL || where == Where.BLOCKED; }

        @Override
        public String toString() {
            return switch (where) {
                case AT_LABEL -> proc + " at " + label;
                case BLOCKED -> proc + " blocked in " + blockedIn + " (step " + label + ")";
                case EXITED -> proc + (failure == null ? " exited" : " died: " + failure.getMessage());
                default -> proc + " " + where.name().toLowerCase();
            };
        }
    }

    /**
     * Runs on a process's own thread each time it reaches a label during
     * {@link #step(String, Continuation)}, every other process parked, and names the process that
     * moves next: the same one goes straight on into the step at its label; another one (at a label
     * or blocked) is handed the step directly, thread to thread, and this continuation goes with it;
     * null parks the process there and gives control back to the controller. It must not call the
     * scheduler.
     */
    @FunctionalInterface
    public interface Continuation {
        String next(String proc);
    }

    private static final class Proc {
        final String name;
        final Thread thread;
        volatile Where where = Where.STARTING;
        volatile Label label;
        volatile String blockedIn;
        volatile Throwable failure;
        volatile boolean granted;
        /** Set by the controller for one step(name, c); read by the process at its labels. */
        volatile Continuation continuation;
        /** The process is at a label, running its continuation: not settled yet. */
        volatile boolean inContinuation;
        Proc(String name, Thread thread) { this.name = name; this.thread = thread; }
        Position position() { return new Position(name, where, label, blockedIn, failure); }
    }

    private volatile boolean aborted;
    /** The thread that drives the run (steps, waits for settling); woken directly by the process that settles. */
    private volatile Thread controller;
    /** The process that holds the step during step(name, c): the controller waits for it to settle. */
    private volatile Proc active;
    private final Map<Thread, Proc> byThread = new LinkedHashMap<>();
    private final Map<String, Proc> byName = new LinkedHashMap<>();
    private final long timeoutMillis;

    /** @param timeoutMillis how long one step may run before the controller calls it stuck */
    public LockstepScheduler(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    /** Make {@code t} process {@code name}; call before {@code t} starts. */
    public synchronized void register(String name, Thread t) {
        if (byName.containsKey(name)) throw new IllegalArgumentException("process " + name + " registered twice");
        Proc p = new Proc(name, t);
        byThread.put(t, p);
        byName.put(name, p);
    }

    /** Wait until process {@code name} is at a label, blocked, or exited. */
    public Position awaitSettled(String name) throws InterruptedException {
        Proc p = proc(name);
        controller = Thread.currentThread();
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (p.where == Where.STARTING || p.where == Where.RUNNING || p.inContinuation) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new StuckException("process " + name + " did not reach a label within " + timeoutMillis
                        + " ms of being let run from " + p.label + " (it is running or asleep outside the scheduler)");
            }
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) throw new InterruptedException("waiting for process " + name);
        }
        return p.position();
    }

    /** Wait until every process is settled; returns all positions. */
    public Map<String, Position> awaitAllSettled() throws InterruptedException {
        for (String n : byName.keySet()) awaitSettled(n);
        return positions();
    }

    /**
     * Let process {@code name} take one step: the one at its label, or the one it is blocked in
     * (it re-checks). Returns its position afterwards; BLOCKED means it could not take the step.
     */
    public Position step(String name) throws InterruptedException {
        return step(name, null);
    }

    /**
     * {@link #step(String)}, and then, as long as {@code c} says so at each label the process
     * reaches, its following steps too, with no hand-off in between; returns where it stopped.
     */
    public Position step(String name, Continuation c) throws InterruptedException {
        Proc p = proc(name);
        awaitSettled(name);
        if (p.where == Where.EXITED) throw new IllegalStateException("process " + name + " has exited");
        p.continuation = c;
        p.where = Where.RUNNING;
        active = p;
        p.granted = true;      // a direct hand-off: only this process wakes
        LockSupport.unpark(p.thread);
        Proc last = null;
        try {
            last = awaitActiveSettled();
            return last.position();
        } finally {
            for (Proc q : byName.values()) q.continuation = null;
        }
    }

    /** Wait until the process holding the step has settled and handed it to no other. */
    private Proc awaitActiveSettled() throws InterruptedException {
        controller = Thread.currentThread();
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            Proc r = active;
            boolean settled = r.where != Where.STARTING && r.where != Where.RUNNING && !r.inContinuation;
            if (settled && active == r) return r;   // a hand-off sets active before the giver settles
            if (settled) continue;
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new StuckException("process " + r.name + " did not reach a label within " + timeoutMillis
                        + " ms of being let run from " + r.label + " (it is running or asleep outside the scheduler)");
            }
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) throw new InterruptedException("waiting for process " + r.name);
        }
    }

    /** The position of every process. */
    public Map<String, Position> positions() {
        Map<String, Position> m = new LinkedHashMap<>();
        byName.forEach((k, v) -> m.put(k, v.position()));
        return m;
    }

    public Position position(String name) { return proc(name).position(); }

    public synchronized List<String> processes() { return new ArrayList<>(byName.keySet()); }

    private Proc proc(String name) {
        Proc p = byName.get(name);
        if (p == null) throw new IllegalArgumentException("no process " + name + "; known: " + byName.keySet());
        return p;
    }

    private Proc self() { return byThread.get(Thread.currentThread()); }

    /** Park the calling process until the controller grants it a step; the controller is woken first. */
    private void park(Proc p) {
        Thread c = controller;
        if (c != null) LockSupport.unpark(c);
        awaitGrant(p);
    }

    /** Park the calling process until it is granted a step (by the controller or by the process before it). */
    private void awaitGrant(Proc p) {
        while (!p.granted) {
            if (aborted) throw new Aborted();
            LockSupport.park(this);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new StuckException("process " + p.name + " interrupted while parked at " + p.label);
            }
        }
        p.granted = false;
        if (aborted) throw new Aborted();
    }

    @Override
    public void at(Label label) {
        Proc p = self();
        Continuation c = p == null ? null : p.continuation;
        if (c == null || aborted) {
            parkAs(Where.AT_LABEL, label, null);
            return;
        }
        p.label = label;
        p.blockedIn = null;
        p.inContinuation = true;
        p.where = Where.AT_LABEL;
        String next = null;
        try {
            next = c.next(p.name);
        } finally {
            p.continuation = null;
            if (p.name.equals(next)) {
                p.continuation = c;
                p.where = Where.RUNNING;
                p.inContinuation = false;
            } else if (next != null) {
                Proc q = proc(next);
                q.continuation = c;
                q.where = Where.RUNNING;
                active = q;            // before this process settles: the controller must not see the step end here
                p.inContinuation = false;
                q.granted = true;
                LockSupport.unpark(q.thread);
            } else {
                p.inContinuation = false;
            }
        }
        if (p.name.equals(next)) return;
        if (next != null) awaitGrant(p);
        else park(p);
    }

    @Override
    public boolean parkBlocked(String where) {
        return parkAs(Where.BLOCKED, null, where);
    }

    /** Record where the calling process is ({@code label} null: keep its label) and park it; false if it is not scheduled here. */
    private boolean parkAs(Where w, Label label, String blockedIn) {
        Proc p = self();
        if (p == null) return false;
        if (label != null) p.label = label;
        p.blockedIn = blockedIn;
        p.where = w;           // last: the controller reads the label and blocked-in once it sees where
        park(p);
        return true;
    }

    @Override
    public void exited(Throwable failure) {
        Proc p = self();
        if (p == null) return;
        p.failure = failure;
        p.where = Where.EXITED;
        Thread c = controller;
        if (c != null) LockSupport.unpark(c);
    }

    /**
     * End the run: every parked thread unwinds with {@link Aborted} (locks it holds are let go
     * as its stack unwinds), so no thread outlives the scheduler.
     */
    public void abort() {
        aborted = true;
        for (Proc p : byName.values()) LockSupport.unpark(p.thread);
    }

    /** Thrown in a parked thread when the run is aborted; process bodies let it pass. */
    public static final class Aborted extends Error {
        public Aborted() { super("lockstep run aborted", null, false, false); }
    }

    /** A process did not come back to the scheduler in time: it is asleep outside it, or looping. */
    public static final class StuckException extends RuntimeException {
        public StuckException(String m) { super(m); }
    }
}
