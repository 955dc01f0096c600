package dev.mmucheck.machine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import dev.mmucheck.kernel.MmuIntervalNotifier;
import dev.mmucheck.kernel.MmuNotifierRange;
import dev.mmucheck.kernel.ProtocolObserver;

/**
 * The properties that break inside a step, seen from the events the code reports, for both
 * oracles ({@link PropertyChecker} between lockstep steps, {@link StressOracle} on free threads):
 * NoSleepInNonBlockable, FinishSlotUnderUserLock, EagainContract (range_end after -EAGAIN) and
 * RemovedIsQuiet (a callback after remove returned). Never reads mutation switches.
 */
abstract class EventChecks implements ProtocolObserver {
    private final ConcurrentLinkedQueue<Violation> violations = new ConcurrentLinkedQueue<>();
    private final Set<MmuNotifierRange> refused = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    protected final AtomicLong checks = new AtomicLong();

    /** Has {@code sub}'s mmu_interval_notifier_remove returned? */
    protected abstract boolean removed(MmuIntervalNotifier sub);

    protected void violate(String property, String detail) {
        if (violations.size() < 100) violations.add(new Violation(property, detail));
    }

    /** The violations seen so far, and forget them. */
    protected List<Violation> drain() {
        List<Violation> out = new ArrayList<>();
        for (Violation v; (v = violations.poll()) != null; ) out.add(v);
        return out;
    }

    /** The violations seen so far. */
    public List<Violation> violations() { return List.copyOf(violations); }

    @Override
    public void sleptInNonBlockable(String where) {
        violate("NoSleepInNonBlockable", "a non-blockable invalidation reached a call that may sleep: " + where);
    }

    @Override
    public void lockNotHeld(String lock, String where) {
        violate("FinishSlotUnderUserLock", where + " changed finish_inuse without holding " + lock);
    }

    @Override
    public void rangeStartReturned(MmuNotifierRange range, int err) {
        if (err != 0) refused.add(range);
    }

    @Override
    public void rangeEndCalled(MmuNotifierRange range) {
        checks.incrementAndGet();
        if (refused.remove(range)) violate("EagainContract", "invalidate_range_end called for " + range + " after its range_start returned -EAGAIN");
    }

    @Override
    public void callbackRan(MmuIntervalNotifier sub) {
        checks.incrementAndGet();
        if (removed(sub)) violate("RemovedIsQuiet", "a callback ran for " + sub.name() + " after mmu_interval_notifier_remove returned");
    }
}
