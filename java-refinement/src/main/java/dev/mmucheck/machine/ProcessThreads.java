package dev.mmucheck.machine;

import java.util.HashMap;
import java.util.Map;

/**
 * Threads kept from one machine to the next, one per process name, so that a run of many short
 * paths does not start a thread per process per path. A thread is handed a new body only once
 * its previous body has returned (after the lockstep run that owned it was aborted and the stack
 * unwound, letting go of everything it held); it starts each body with its interrupt status
 * cleared. Everything else a body touches belongs to its own machine, which is new for each run.
 * A thread whose body has not returned within the timeout is left behind, and a new one takes
 * its name.
 */
public final class ProcessThreads implements ThreadSource, AutoCloseable {
    private final long timeoutMillis;
    private final Map<String, Worker> workers = new HashMap<>();
    private final Map<Thread, Worker> byThread = new HashMap<>();
    private boolean closed;

    /** @param timeoutMillis how long to wait for a thread's previous body to return before replacing the thread */
    public ProcessThreads(long timeoutMillis) { this.timeoutMillis = timeoutMillis; }

    /** How many threads were created (reuse keeps this at the number of process names). */
    public synchronized int created() { return created; }

    private int created;

    private static final class Worker implements Runnable {
        final Thread thread;
        /** The body given by create and not yet started; then the body running; null when idle. */
        private Runnable next;
        private boolean running;
        private boolean busy;
        private boolean retired;

        Worker(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                Runnable body;
                synchronized (this) {
                    while (!running && !retired) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            // a stray interrupt from the last run: not a reason to stop
                        }
                    }
                    if (retired) return;
                    body = next;
                }
                Thread.interrupted();
                try {
                    body.run();
                } finally {
                    synchronized (this) {
                        next = null;
                        running = false;
                        busy = false;
                        notifyAll();
                    }
                }
            }
        }

        /** Wait until the previous body returned; false if it did not within the timeout. */
        synchronized boolean awaitIdle(long timeoutMillis) throws InterruptedException {
            long end = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (busy) {
                long left = end - System.nanoTime();
                if (left <= 0) return false;
                wait(Math.max(1, left / 1_000_000L));
            }
            return true;
        }

        synchronized void give(Runnable body) {
            next = body;
            busy = true;
        }

        synchronized void go() {
            running = true;
            notifyAll();
        }

        synchronized void retire() {
            retired = true;
            notifyAll();
        }
    }

    @Override
    public synchronized Thread create(String name, Runnable body) {
        if (closed) throw new IllegalStateException("these process threads are closed");
        Worker w = workers.get(name);
        boolean idle;
        try {
            idle = w != null && w.awaitIdle(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        if (!idle) {
            if (w != null) {
                w.retire();
                byThread.remove(w.thread);
            }
            w = new Worker(name);
            created++;
            workers.put(name, w);
            byThread.put(w.thread, w);
            w.thread.start();
        }
        w.give(body);
        return w.thread;
    }

    @Override
    public synchronized void start(Thread t) {
        Worker w = byThread.get(t);
        if (w == null) throw new IllegalArgumentException("thread " + t.getName() + " is not one of these process threads");
        w.go();
    }

    /** Let every thread end once its body has returned. */
    @Override
    public synchronized void close() {
        closed = true;
        workers.values().forEach(Worker::retire);
    }
}
