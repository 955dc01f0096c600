package dev.mmucheck.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * LLIST_HEAD(finish_passes): the per-call, on-stack, single-owner list of finishes that
 * mn_itree_invalidate builds with __llist_add (newest first) and mn_itree_finish_pass empties with
 * __llist_del_all and llist_reverse_order. Linked through {@link MmuIntervalNotifierFinish#link},
 * as in the kernel, so that queueing one finish twice corrupts the list as it would there.
 */
final class FinishList {
    private MmuIntervalNotifierFinish first;

    /** __llist_add(&finish->link, &finish_passes) */
    void add(MmuIntervalNotifierFinish f) {
        f.link = first;
        first = f;
    }

    /** __llist_del_all(&finish_passes) */
    MmuIntervalNotifierFinish delAll() {
        MmuIntervalNotifierFinish f = first;
        first = null;
        return f;
    }

    boolean isEmpty() { return first == null; }

    /** llist_reverse_order(head) */
    static MmuIntervalNotifierFinish reverseOrder(MmuIntervalNotifierFinish head) {
        MmuIntervalNotifierFinish newHead = null;
        int guard = 0;
        while (head != null) {
            MmuIntervalNotifierFinish next = head.link;
            head.link = newHead;
            newHead = head;
            head = next;
            if (++guard > 1_000_000) throw new KernelOops("llist_reverse_order: the finish list is corrupted (a cycle)");
        }
        return newHead;
    }

    /** The notifiers of the finishes from {@code f} on, following the links. */
    static List<MmuIntervalNotifier> from(MmuIntervalNotifierFinish f) {
        List<MmuIntervalNotifier> out = new ArrayList<>();
        for (; f != null && out.size() < 10_000; f = f.link) out.add(f.notifier);
        return out;
    }

    /** The notifiers of the queued finishes, head first (the spec's flist). */
    List<MmuIntervalNotifier> notifiers() {
        List<MmuIntervalNotifier> out = new ArrayList<>();
        for (MmuIntervalNotifierFinish f = first; f != null && out.size() < 10_000; f = f.link) out.add(f.notifier);
        return out;
    }
}
