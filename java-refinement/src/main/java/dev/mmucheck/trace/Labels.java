package dev.mmucheck.trace;

import java.util.Map;

/** What each label of the contract (specs/CONTRACT.md) does, in the kernel's words. */
public final class Labels {
    private Labels() {}

    private static final Map<String, String> WHAT = Map.ofEntries(
            Map.entry("init", "initial state"),
            Map.entry("inv_start_range", "mn_itree_inv_start_range: active++, seq |= 1 on a hit, cur_seq = seq"),
            Map.entry("inv_cb_start", "ops->invalidate_start / invalidate: blockable check, take the user lock"),
            Map.entry("inv_cb_zap", "driver: mmu_interval_set_seq, zap device PTEs, submit TLB invalidation, hand out finish"),
            Map.entry("inv_cb_wait", "driver: wait inline for the TLB invalidation, unlock, return true"),
            Map.entry("inv_finish_pass", "mn_itree_finish_pass: llist_reverse_order(__llist_del_all())"),
            Map.entry("inv_fin_lock", "ops->invalidate_finish: take the user lock again"),
            Map.entry("inv_fin_wait", "ops->invalidate_finish: wait for the TLB invalidation, finish_inuse = false, unlock"),
            Map.entry("inv_end", "mn_itree_inv_end (from mn_itree_invalidate/_release): active--, seq++ if last"),
            Map.entry("inv_end_drain", "mn_itree_inv_end: progress the deferred list, unlock, wake_up_all"),
            Map.entry("range_end", "__mmu_notifier_invalidate_range_end -> mn_itree_inv_end: active--, seq++ if last"),
            Map.entry("range_end_drain", "mn_itree_inv_end: progress the deferred list, unlock, wake_up_all"),
            Map.entry("mm_change_pte", "the mm changes the CPU PTEs of the range"),
            Map.entry("read_begin", "mmu_interval_read_begin: sample interval_sub->invalidate_seq"),
            Map.entry("read_begin_wait", "mmu_interval_read_begin: wait_event until invalidate_seq moves"),
            Map.entry("read_pte", "hmm_range_fault: read the CPU PTE"),
            Map.entry("read_lock", "driver fault path: take the user lock"),
            Map.entry("read_retry", "mmu_interval_read_retry under the user lock: retry, or program the device PTE"),
            Map.entry("read_install", "program the device PTE after dropping the user lock (D3)"),
            Map.entry("insert", "mmu_interval_notifier_insert"),
            Map.entry("remove", "mmu_interval_notifier_remove, under subscriptions->lock"),
            Map.entry("remove_wait", "mmu_interval_notifier_remove: wait until invalidate_seq moves on"),
            Map.entry("gpu_tlb_inval_done", "the GPU completes its TLB invalidation"));

    public static String describe(String label) {
        return WHAT.getOrDefault(label, "(unknown label)");
    }

    public static boolean known(String label) { return WHAT.containsKey(label); }
}
