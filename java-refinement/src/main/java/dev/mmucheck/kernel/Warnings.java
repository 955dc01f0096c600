package dev.mmucheck.kernel;

import java.util.Map;
import java.util.TreeMap;

import dev.mmucheck.scheduling.Changes;

/**
 * WARN_ON / WARN_ON_ONCE: the kernel prints a backtrace and carries on; here each site that
 * fired is counted, so tests can see it (the spec's {@code warn} variable).
 */
public final class Warnings {
    private final Map<String, Long> fired = new TreeMap<>();
    private final ProtocolObserver observer;
    private final Changes.Mark changed;

    Warnings(ProtocolObserver observer, Changes.Mark changed) {
        this.observer = observer;
        this.changed = changed;
    }

    /** WARN_ON(cond): returns cond. */
    public boolean warnOn(boolean cond, String site) {
        if (cond) {
            synchronized (this) {
                fired.merge(site, 1L, Long::sum);
            }
            changed.touch();
            observer.warned(site);
        }
        return cond;
    }

    public synchronized Map<String, Long> fired() { return Map.copyOf(fired); }

    public synchronized boolean hasFired(String site) { return fired.containsKey(site); }

    public static final String NO_FINISH = "mmu_interval_notifier_insert: invalidate_start without invalidate_finish";
    public static final String BLOCKABLE_FALSE = "mn_itree_invalidate: blockable callback returned false";
    public static final String RELEASE_FALSE = "mn_itree_release: callback returned false";
    public static final String IDLE_ODD = "__mmu_interval_notifier_insert: idle but invalidate_seq odd";
    public static final String REMOVE_NOT_IN_TREE = "mmu_interval_notifier_remove: not in the interval tree";
    /** xe's xe_assert() sites (drivers: a WARN with CONFIG_DRM_XE_DEBUG, then the code goes on). */
    public static final String XE_DEFERRED_INVAL = "xe_vma_userptr_do_inval: xe_assert(finish_inuse && !tlb_inval_submitted)";
    public static final String XE_SUBMIT_FREE = "xe_vma_userptr_do_inval: xe_assert(!tlb_inval_submitted)";
    public static final String XE_COMPLETE_INUSE = "xe_vma_userptr_complete_tlb_inval: xe_assert(finish_inuse)";
}
