package dev.mmucheck.kernel;

import java.util.Arrays;
import java.util.Optional;

/**
 * The code-level mutations, with the ids of specs/CONTRACT.md (M: mm/mmu_notifier.c, D: the driver),
 * and the Java-only faults J1-J5, which have no spec counterpart. They are switched on by {@link KernelConfig}, never by editing code; each
 * names the place it changes. Test oracles never read them.
 */
public enum Mutation {
    M1("mn_itree_invalidate: -EAGAIN skips mn_itree_finish_pass (v1's goto out_would_block)"),
    M2("mn_itree_invalidate/_release: mn_itree_inv_end before the finish pass"),
    M3("caller changes PTEs after the first pass; the finish pass runs from invalidate_range_end"),
    M4("mn_itree_invalidate: queue the finish although invalidate_start returned false"),
    M5("mmu_interval_notifier_insert: accept invalidate_start without invalidate_finish (v3 WARN_ON_ONCE, inserted anyway)"),
    M6("caller calls mmu_notifier_invalidate_range_end after -EAGAIN"),
    M6b("mn_itree_invalidate: -EAGAIN without mn_itree_inv_end"),
    M8("mn_itree_inv_start_range: no seq |= 1 on a hit"),
    M9("__mmu_interval_notifier_insert: idle insert with invalidate_seq = seq (not seq - 1)"),
    M10("mmu_interval_notifier_remove: wait on unlocked READ_ONCE(invalidate_seq) (the pre-2022 code)"),
    M11("mmu_interval_notifier_remove: take the node out of the tree while invalidate_seq is odd"),
    M12("mmu_interval_notifier_remove: defer the remove but do not wait"),
    M13("mn_itree_inv_end: no wake_up_all(&subscriptions->wq) (a lost wake-up: its sleepers stay asleep)"),
    M14("mn_itree_inv_start_range: seq++ instead of seq |= 1"),
    M15("driver: no finish_inuse, one embedded finish for concurrent invalidations"),
    M16("xe: no !blockable check in invalidate_start"),
    M17("__mmu_interval_notifier_insert, partially excluded branch: no seq |= 1 (invalidate_seq = seq kept)"),
    M18("mn_itree_inv_end: drain the deferred list on every call, not only the last one out of the odd seq"),
    M19("mn_itree_release: no finish pass (the finishes handed out by exit_mmap's release are never run)"),
    D1("driver: invalidate does not call mmu_interval_set_seq"),
    D2("driver: mmu_interval_set_seq outside the user lock (xe's start sets it after up_write when it hands out its finish)"),
    D3("driver: install the device PTE after dropping the user lock"),
    D4("driver: a valid flag (invalidation in progress) instead of mmu_interval_read_retry (2019 hmm_range)"),
    D6("driver: the invalidation zaps and invalidates the TLB but leaves the pages dma-mapped in the IOMMU (no drm_gpusvm_unmap_pages)"),
    D7("driver: the callback does not recognise the invalidation its own fault path started (make_device_exclusive_range) and sets the seq"),
    D9("xe: invalidate_finish without re-taking the user lock"),
    D8("driver: an xe invalidate_start that finds its lock held returns false although the range is blockable"),
    D10("xe: invalidate_finish returns without waiting for its TLB invalidation fence"),
    D11("driver: a single-pass invalidate returns before its TLB invalidation fence signals"),
    D5("driver: the unbind drops the user lock after its zap and TLB invalidation and marks the userptr destroyed only after taking it again"),
    D12("driver: the unbind before mmu_interval_notifier_remove stops faults but neither zaps nor invalidates the TLB"),

    // Java-only faults: planted in the reference implementation to show that refinement catches a Java bug
    // the spec does not have. The spec has no such ids; `mmu-check refine MODEL --graph --java-mutation J1` switches one on.
    J1("mmu_interval_read_retry: invalidate_seq > seq instead of != (misses a collision once the seq wraps)"),
    J2("__mmu_interval_notifier_insert, partially excluded branch: invalidate_seq = seq - 2 (odd, but not the current seq)"),
    J3("mmu_interval_read_begin: returns without waiting for the seq to move on (its label kept)"),
    J4("mn_itree_inv_end: spin_unlock(&subscriptions->lock) before the deferred list is drained"),
    J5("mn_itree_inv_end: wake_up_all(&subscriptions->wq) right after the seq bump, still under subscriptions->lock (before the drain), instead of after the unlock");

    private final String change;

    Mutation(String change) { this.change = change; }

    public String change() { return change; }

    /** A fault planted in the Java code only: the spec has no such mutation. */
    public boolean javaOnly() { return name().startsWith("J"); }

    public static Optional<Mutation> byId(String id) {
        return Arrays.stream(values()).filter(m -> m.name().equals(id)).findFirst();
    }
}
