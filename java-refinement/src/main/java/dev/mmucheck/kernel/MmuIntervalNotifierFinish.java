package dev.mmucheck.kernel;

/**
 * struct mmu_interval_notifier_finish: {@code link} for the per-call finish list and the
 * notifier it belongs to (set by the core). A driver embeds it (extends it here) in a structure
 * of its own, as xe embeds it in its userptr. Each concurrent invocation needs its own.
 */
public class MmuIntervalNotifierFinish {
    MmuIntervalNotifierFinish link;     // struct llist_node link
    MmuIntervalNotifier notifier;       // set by the core when it queues the finish

    /** finish->notifier */
    public MmuIntervalNotifier notifier() { return notifier; }
}
