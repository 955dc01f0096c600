package dev.mmucheck.scheduling;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * For stress runs on real threads: at each labelled point, now and then, give the CPU away
 * (yield, or a pause of a few microseconds), as preemption would at that point. It widens the
 * windows between the steps of the protocol, so that races a free run would hit once in a
 * billion operations happen in a million. It never parks a blocked thread.
 */
public final class JitterScheduler implements Scheduler {
    private final int percent;
    private final long maxPauseNanos;

    /** @param percent how often (0-100) a labelled point gives the CPU away */
    public JitterScheduler(int percent, long maxPauseNanos) {
        this.percent = percent;
        this.maxPauseNanos = maxPauseNanos;
    }

    @Override
    public void at(Label label) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        if (r.nextInt(100) >= percent) return;
        if (r.nextBoolean()) Thread.yield();
        else LockSupport.parkNanos(1 + r.nextLong(maxPauseNanos));
    }

    @Override
    public boolean parkBlocked(String where) { return false; }

    @Override
    public void exited(Throwable failure) {}
}
