package dev.mmucheck.scheduling;

import java.util.Arrays;
import java.util.Optional;

/**
 * The labels of specs/CONTRACT.md: the atomic steps of the TLA+ model and, with the same names,
 * the scheduling points of the Java code. A thread calls {@link Sched#at(Label)} just before it
 * takes the step with that label, so "the thread is at label L" means the same in both worlds.
 */
public enum Label {
    INV_START_RANGE("inv_start_range", "mn_itree_inv_start_range: active++, seq |= 1 on a hit, cur_seq = seq"),
    INV_CB_START("inv_cb_start", "ops->invalidate_start / invalidate: blockable check, take the user lock"),
    INV_CB_ZAP("inv_cb_zap", "driver: mmu_interval_set_seq, zap device PTEs, submit TLB invalidation, hand out finish"),
    INV_CB_SET_SEQ("inv_cb_set_seq", "driver: mmu_interval_set_seq after up_write (D2 only), return true"),
    INV_CB_WAIT("inv_cb_wait", "driver: wait inline for the TLB invalidation, unlock, return true"),
    INV_FINISH_PASS("inv_finish_pass", "mn_itree_finish_pass: llist_reverse_order(__llist_del_all())"),
    INV_FIN_LOCK("inv_fin_lock", "ops->invalidate_finish: take the user lock again"),
    INV_FIN_WAIT("inv_fin_wait", "ops->invalidate_finish: wait for the TLB invalidation, finish_inuse = false, unlock"),
    INV_FIN_SYNC("inv_fin_sync", "xe invalidate_finish after a deferred pass 1: wait for its synchronous TLB invalidation, finish_inuse = false, unlock"),
    INV_END("inv_end", "mn_itree_inv_end (from mn_itree_invalidate/_release): active--, seq++ if last"),
    INV_END_DRAIN("inv_end_drain", "mn_itree_inv_end: progress the deferred list, unlock, wake_up_all"),
    RANGE_END("range_end", "__mmu_notifier_invalidate_range_end -> mn_itree_inv_end: active--, seq++ if last"),
    RANGE_END_DRAIN("range_end_drain", "mn_itree_inv_end: progress the deferred list, unlock, wake_up_all"),
    MM_CHANGE_PTE("mm_change_pte", "the mm changes the CPU PTEs of the range"),
    READ_BEGIN("read_begin", "mmu_interval_read_begin: sample interval_sub->invalidate_seq (colliding: go to sleep on subscriptions->wq)"),
    READ_BEGIN_WAIT("read_begin_wait", "mmu_interval_read_begin: asleep on subscriptions->wq; once woken, re-check whether invalidate_seq moved (or sleep again)"),
    READ_PTE("read_pte", "hmm_range_fault: read the CPU PTE"),
    READ_LOCK("read_lock", "driver fault path: take the user lock"),
    READ_RETRY("read_retry", "mmu_interval_read_retry under the user lock: retry, or program the device PTE"),
    READ_INSTALL("read_install", "program the device PTE after dropping the user lock (D3)"),
    READ_INJECT("read_inject", "xe_vma_userptr_force_invalidate: pass 1 (CONFIG_DRM_XE_USERPTR_INVAL_INJECT)"),
    READ_INJECT_INVAL("read_inject_inval", "force_invalidate: xe_vma_userptr_do_inval(true): zap, submit the TLB invalidation"),
    READ_INJECT_WAIT("read_inject_wait", "force_invalidate: wait for the TLB invalidation, finish_inuse = false, unlock"),
    READ_INJECT_SYNC("read_inject_sync", "force_invalidate with the finish in use: wait for the TLB invalidation, unlock"),
    INSERT("insert", "mmu_interval_notifier_insert"),
    UNBIND("unbind", "driver: under the user lock stop faults, zap the device PTEs, submit the TLB invalidation"),
    UNBIND_WAIT("unbind_wait", "driver: wait for the unbind's TLB invalidation, unlock"),
    UNBIND_MARK("unbind_mark", "driver (D5 only): take the user lock again, mark the userptr destroyed, unlock"),
    REMOVE("remove", "mmu_interval_notifier_remove, under subscriptions->lock"),
    REMOVE_WAIT("remove_wait", "mmu_interval_notifier_remove: check whether invalidate_seq moved on, or sleep on subscriptions->wq"),
    GPU_TLB_INVAL_DONE("gpu_tlb_inval_done", "the GPU completes its TLB invalidation");

    private final String contractName;
    private final String what;

    Label(String contractName, String what) {
        this.contractName = contractName;
        this.what = what;
    }

    /** The name in specs/CONTRACT.md and in the spec's pc and step.label. */
    public String contractName() { return contractName; }

    /** What the step does, in the kernel's words. */
    public String what() { return what; }

    public static Optional<Label> byContractName(String name) {
        return Arrays.stream(values()).filter(l -> l.contractName.equals(name)).findFirst();
    }

    @Override
    public String toString() { return contractName; }
}
