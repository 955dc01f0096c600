package dev.mmucheck.kernel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

import dev.mmucheck.scheduling.Label;
import dev.mmucheck.scheduling.Sched;
import dev.mmucheck.scheduling.SleepingLock;
import dev.mmucheck.scheduling.WaitQueue;

/**
 * struct mmu_notifier_subscriptions (the interval-tree half) and the helpers of
 * mm/mmu_notifier.c that run under its spin lock: the collision-retry sequence counter,
 * the active-range count, the interval tree, the deferred list and the wait queue.
 *
 * <p>"invalidate_seq is odd" is the fully excluded state: some invalidation hit a notifier,
 * the tree must not change, adds and removes are deferred to the last mn_itree_inv_end.
 */
public final class MmuNotifierSubscriptions {
    final SleepingLock lock;                                   // spinlock_t lock
    private volatile long invalidateSeq;                       // under lock; READ_ONCE in read_begin's wait
    private long activeInvalidateRanges;                       // under lock
    final IntervalTree<MmuIntervalNotifier> itree = new IntervalTree<>();   // under lock, or frozen
    private final LinkedList<MmuIntervalNotifier> deferredList = new LinkedList<>();  // under lock
    final WaitQueue wq;
    private final SeqArithmetic seqm;
    private final KernelConfig config;
    private final Sched sched;
    private final Warnings warnings;
    private final ProtocolObserver observer;
    private final java.util.Map<Thread, Long> readBeginSamples = new java.util.concurrent.ConcurrentHashMap<>();

    MmuNotifierSubscriptions(KernelConfig config, Sched sched, Warnings warnings, ProtocolObserver observer) {
        this.observer = observer;
        this.config = config;
        this.sched = sched;
        this.warnings = warnings;
        this.seqm = new SeqArithmetic(config.seqModulus());
        this.lock = new SleepingLock("subscriptions->lock", sched);
        this.wq = new WaitQueue("subscriptions->wq", sched);
        this.invalidateSeq = seqm.initial();   // __mmu_notifier_register: invalidate_seq = 2
    }

    /** The first notifier of an invalidation and its cur_seq (mn_itree_inv_start_range's result and *seq). */
    record StartRange(MmuIntervalNotifier first, long curSeq) {}

    /** mn_itree_is_invalidating: invalidate_seq & 1, under the lock. */
    boolean mnItreeIsInvalidating() {
        lock.assertHeld();
        return SeqArithmetic.odd(invalidateSeq);
    }

    /**
     * mn_itree_inv_start_range: under the lock, count the range, enter the fully excluded state
     * (seq |= 1) if some notifier intersects it, return the first one and cur_seq.
     */
    StartRange mnItreeInvStartRange(MmuNotifierRange range) {
        sched.at(Label.INV_START_RANGE);
        lock.lock();
        try {
            activeInvalidateRanges++;
            IntervalTree.Node<MmuIntervalNotifier> node = itree.iterFirst(range.start(), range.last());
            MmuIntervalNotifier res = null;
            if (node != null) {
                if (config.has(Mutation.M14)) invalidateSeq = seqm.inc(invalidateSeq);
                else if (!config.has(Mutation.M8)) invalidateSeq = seqm.setOdd(invalidateSeq);
                res = node.value();
            }
            return new StartRange(res, invalidateSeq);
        } finally {
            lock.unlock();
        }
    }

    /**
     * mn_itree_inv_next: the next intersecting notifier, read without the lock. Safe only
     * because the tree is frozen while invalidate_seq is odd.
     */
    MmuIntervalNotifier mnItreeInvNext(MmuIntervalNotifier intervalSub, MmuNotifierRange range) {
        IntervalTree.Node<MmuIntervalNotifier> node = itree.iterNext(intervalSub.intervalTree, range.start(), range.last());
        return node == null ? null : node.value();
    }

    /**
     * mn_itree_inv_end: --active_invalidate_ranges; the last range out of the fully excluded
     * state makes the seq even and, still under the lock, progresses the deferred adds and
     * removes; then wake_up_all. {@code first} and {@code drain} are the labels of its two steps
     * ({@code inv_end}/{@code inv_end_drain} from mn_itree_invalidate and _release,
     * {@code range_end}/{@code range_end_drain} from __mmu_notifier_invalidate_range_end).
     */
    void mnItreeInvEnd(Label first, Label drain) {
        sched.at(first);
        observer.invEnd();
        lock.lock();
        // an end without its start (M6) takes the count below zero, as the kernel's unsigned long wraps
        if (--activeInvalidateRanges != 0 || !mnItreeIsInvalidating()) {
            if (!config.has(Mutation.M18)) {
                lock.unlock();
                return;
            }
            // M18: drain the deferred list on this call too, invalidate_seq left as it is
        } else {
            /* Make invalidate_seq even */
            invalidateSeq = seqm.inc(invalidateSeq);
        }
        sched.at(drain);
        for (Iterator<MmuIntervalNotifier> it = deferredList.iterator(); it.hasNext(); ) {
            MmuIntervalNotifier sub = it.next();
            if (sub.notInTree()) itree.insert(sub.intervalTree);
            else itree.remove(sub.intervalTree);
            sub.onDeferredList = false;
            it.remove();
        }
        lock.unlock();
        wq.wakeUpAll();
    }

    /**
     * mmu_interval_read_begin: sample the notifier's seq under the lock; if it equals the
     * subscriptions' seq an invalidation of it is in progress: wait (unlocked READ_ONCE) until
     * the seq moves on. No loop: read_retry may already be true on return.
     */
    long readBegin(MmuIntervalNotifier intervalSub) {
        sched.at(Label.READ_BEGIN);
        return readBeginInStep(intervalSub);
    }

    /** {@link #readBegin}, for a caller that has announced {@code read_begin} itself (its driver check comes first in the step). */
    long readBeginInStep(MmuIntervalNotifier intervalSub) {
        long seq;
        boolean isInvalidating;
        lock.lock();
        try {
            seq = intervalSub.invalidateSeq();
            isInvalidating = seq == invalidateSeq;
            readBeginSamples.put(Thread.currentThread(), seq);
        } finally {
            lock.unlock();
        }
        if (isInvalidating) {
            sched.at(Label.READ_BEGIN_WAIT);
            final long s = seq;
            if (!config.has(Mutation.J3)) wq.waitEvent(() -> invalidateSeq != s);   // J3: a planted Java-only fault
        }
        return seq;
    }

    /**
     * __mmu_interval_notifier_insert, the part under the lock: defer the add while the tree is
     * frozen; insert and enter the excluded state while ranges are active but nothing hit yet;
     * insert with seq - 1 (odd, not the current seq) when idle. {@code asMerged}: ignore M9 (the
     * set-up of the state before anything runs, which the spec's Init gives directly).
     */
    void insertLocked(MmuIntervalNotifier intervalSub, boolean asMerged) {
        lock.lock();
        try {
            if (activeInvalidateRanges != 0) {
                if (mnItreeIsInvalidating()) {
                    deferredList.addFirst(intervalSub);      // hlist_add_head
                    intervalSub.onDeferredList = true;
                } else {
                    if (!config.has(Mutation.M17)) invalidateSeq = seqm.setOdd(invalidateSeq);   // M17: no seq |= 1
                    itree.insert(intervalSub.intervalTree);
                }
                intervalSub.initSeq(config.has(Mutation.J2) && !intervalSub.onDeferredList
                        ? seqm.dec(seqm.dec(invalidateSeq)) : invalidateSeq);   // J2: a planted Java-only fault
            } else {
                warnings.warnOn(mnItreeIsInvalidating(), Warnings.IDLE_ODD);
                intervalSub.initSeq(config.has(Mutation.M9) && !asMerged ? invalidateSeq : seqm.dec(invalidateSeq));
                itree.insert(intervalSub.intervalTree);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * mmu_interval_notifier_remove, the part under the lock. Returns the seq to wait for
     * (0: no wait): a pending add is just taken off the deferred list; a notifier in the frozen
     * tree gets a deferred remove and the caller waits for the seq to move on; otherwise it leaves
     * the tree at once.
     */
    long removeLocked(MmuIntervalNotifier intervalSub) {
        long seq = 0;
        lock.lock();
        try {
            if (mnItreeIsInvalidating()) {
                if (intervalSub.notInTree()) {
                    /* remove is being called after insert put this on the deferred list */
                    deferredList.remove(intervalSub);
                    intervalSub.onDeferredList = false;
                } else if (config.has(Mutation.M11)) {
                    itree.remove(intervalSub.intervalTree);
                } else {
                    deferredList.addFirst(intervalSub);
                    intervalSub.onDeferredList = true;
                    seq = config.has(Mutation.M12) ? 0 : invalidateSeq;
                }
            } else {
                if (!warnings.warnOn(intervalSub.notInTree(), Warnings.REMOVE_NOT_IN_TREE)) {
                    itree.remove(intervalSub.intervalTree);
                }
            }
        } finally {
            lock.unlock();
        }
        return seq;
    }

    /**
     * mmu_interval_seq_released: invalidate_seq != seq, read under the lock (the 2022 fix:
     * the unlocked read could see the bumped seq before the deferred list was progressed).
     */
    boolean mmuIntervalSeqReleased(long seq) {
        if (config.has(Mutation.M10)) return invalidateSeq != seq;   // READ_ONCE, pre-2022
        lock.lock();
        try {
            return invalidateSeq != seq;
        } finally {
            lock.unlock();
        }
    }

    // --- state for the abstraction function and tests (no locking: read when the machine is quiet) ---

    /** The seq the last mmu_interval_read_begin of thread {@code t} sampled (the spec's rseq), if any. */
    public java.util.Optional<Long> readBeginSample(Thread t) { return java.util.Optional.ofNullable(readBeginSamples.get(t)); }

    /** subscriptions->invalidate_seq */
    public long invalidateSeq() { return invalidateSeq; }

    /** subscriptions->active_invalidate_ranges */
    public long activeInvalidateRanges() { return activeInvalidateRanges; }

    /** The notifiers in the interval tree, in tree order. */
    public List<MmuIntervalNotifier> treeNotifiers() {
        List<MmuIntervalNotifier> out = new ArrayList<>();
        for (IntervalTree.Node<MmuIntervalNotifier> n : itree.inOrder()) out.add(n.value());
        return out;
    }

    /** The notifiers on the deferred list. */
    public List<MmuIntervalNotifier> deferred() { return List.copyOf(deferredList); }

    /** Who holds subscriptions->lock across steps (the drain of mn_itree_inv_end), or null. */
    public Thread lockOwner() { return lock.owner(); }

    public WaitQueue waitQueue() { return wq; }

    SeqArithmetic seqArithmetic() { return seqm; }
}
