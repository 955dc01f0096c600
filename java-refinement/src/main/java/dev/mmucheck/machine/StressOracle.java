package dev.mmucheck.machine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mmucheck.driver.GpuDevice;
import dev.mmucheck.kernel.CpuPageTable;
import dev.mmucheck.kernel.MmuIntervalNotifier;
import dev.mmucheck.kernel.MmuIntervalNotifierFinish;

/**
 * The stress test's oracle: checks the spec's properties at the events where they can break,
 * while the threads run freely. NoStaleDeviceAccess at every device install (the version
 * installed is the current CPU PTE) and at every PTE change (no device PTE or TLB entry of that
 * page holds an older version); FinishBeforeReturn at every PTE change and every
 * mn_itree_inv_end (the thread has no finish outstanding); EagainContract,
 * NoSleepInNonBlockable and FinishSlotUnderUserLock from their events. Never reads mutation switches.
 */
public final class StressOracle extends EventChecks {
    private final Map<String, GpuDevice> gpus;
    private CpuPageTable ptes;
    private final Map<Thread, Integer> outstanding = new ConcurrentHashMap<>();

    public StressOracle(Map<String, GpuDevice> gpus) { this.gpus = gpus; }

    public void attach(CpuPageTable p) { this.ptes = p; }

    @Override
    protected void violate(String property, String detail) {
        super.violate(property, detail + " [thread " + Thread.currentThread().getName() + "]");
    }

    @Override
    public void deviceInstalled(String device, long page, long version) {
        checks.incrementAndGet();
        long now = ptes.pte(page);
        if (version != now) violate("NoStaleDeviceAccess", device + " installed page " + page + " from PTE version " + version + " but the CPU PTE is version " + now);
    }

    @Override
    public void pteChanged(long page, long version) {
        checks.incrementAndGet();
        for (GpuDevice g : gpus.values()) {
            long d = g.devicePte(page), t = g.tlbEntry(page);
            if ((d != 0 && d < version) || (t != 0 && t < version)) {
                violate("NoStaleDeviceAccess", "the mm changed page " + page + " to version " + version + " while " + g.name()
                        + " still maps version " + d + " (TLB: " + t + ")");
            }
        }
        if (outstanding.getOrDefault(Thread.currentThread(), 0) != 0) {
            violate("FinishBeforeReturn", "the mm changed page " + page + " with finishes of this invalidation still outstanding");
        }
    }

    @Override
    public void finishQueued(MmuIntervalNotifier sub, MmuIntervalNotifierFinish f) {
        outstanding.merge(Thread.currentThread(), 1, Integer::sum);
    }

    @Override
    public void finishCalled(MmuIntervalNotifierFinish f) {
        outstanding.merge(Thread.currentThread(), -1, Integer::sum);
    }

    @Override
    public void invEnd() {
        checks.incrementAndGet();
        int n = outstanding.getOrDefault(Thread.currentThread(), 0);
        if (n != 0) violate("FinishBeforeReturn", "mn_itree_inv_end with " + n + " finish(es) of this invalidation not yet run");
    }

    private final java.util.Set<MmuIntervalNotifier> removed = ConcurrentHashMap.newKeySet();

    /** {@code n}'s mmu_interval_notifier_remove has returned: no callback for it may run any more. */
    public void markRemoved(MmuIntervalNotifier n) { removed.add(n); }

    @Override
    protected boolean removed(MmuIntervalNotifier sub) { return removed.contains(sub); }

    public long checks() { return checks.get(); }

}
