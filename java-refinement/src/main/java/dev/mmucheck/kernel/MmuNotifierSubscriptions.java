package dev.mmucheck.kernel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

import dev.mmucheck.scheduling.Changes;
import dev.mmucheck.scheduling.Guarded;
import dev.mmucheck.scheduling.GuardedLong;
import dev.mmucheck.scheduling.Label;
import dev.mmucheck.scheduling.SpecVar;
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
 *
 * <p>Lock discipline (README, "Lock discipline"): invalidate_seq, active_invalidate_ranges, the
 * tree and the deferred list are read and written only under {@code subscriptions->lock}, each
 * through a holder that checks it (lockdep_assert_held). The unlocked reads the kernel makes on
 * purpose have their own names: READ_ONCE(invalidate_seq) in the wait_event conditions
 * ({@link #seqMovedOn}, {@link #seqReleasedReadOnce}, {@link #readOnceInvalidateSeq}) and the
 * walk of the frozen tree ({@link #mnItreeInvNext}). The public accessors at the end are the
 * abstraction function's quiescent reads.
 */
public final class MmuNotifierSubscriptions {
    final SleepingLock lock;                                   // spinlock_t lock
    private final GuardedLong invalidateSeq;                   // under lock; READ_ONCE in the wait_event conditions
    private final GuardedLong activeInvalidateRanges;          // under lock
    private final Guarded<IntervalTree<MmuIntervalNotifier>> itree;        // under lock, or read while frozen
    private final Guarded<LinkedList<MmuIntervalNotifier>> deferredList;   // under lock
    final WaitQueue wq;
    private final SeqArithmetic seqm;
    private final KernelConfig config;
    private final Sched sched;
    private final Warnings warnings;
    private final ProtocolObserver observer;
    private final java.util.Map<Thread, Long> readBeginSamples = new java.util.concurrent.ConcurrentHashMap<>();
    /** told, under the lock, each time the tree changes (the walks in progress are torn) */
    private volatile Runnable treeChanged = () -> {};
    /** where a torn walk resumes */
    private volatile WalkResume walkResume = WalkResume.IN_ORDER;

    MmuNotifierSubscriptions(KernelConfig config, Sched sched, Warnings warnings, ProtocolObserver observer) {
        this.observer = observer;
        this.config = config;
        this.sched = sched;
        this.warnings = warnings;
        this.seqm = new SeqArithmetic(config.seqModulus());
        Changes changes = sched.changes();
        this.lock = new SleepingLock("subscriptions->lock", sched, changes.mark(SpecVar.SLOCK));
        this.wq = new WaitQueue("subscriptions->wq", sched, changes.mark(SpecVar.WQ));   // its sleepers are the spec's wq
        // __mmu_notifier_register: invalidate_seq = 2
        this.invalidateSeq = new GuardedLong("subscriptions->invalidate_seq", lock, seqm.initial(), changes.mark(SpecVar.SEQ));
        this.activeInvalidateRanges = new GuardedLong("subscriptions->active_invalidate_ranges", lock, 0, changes.mark(SpecVar.ACTIVE));
        this.itree = new Guarded<>("subscriptions->itree", lock, new IntervalTree<>(), changes.mark(SpecVar.TREE));
        this.deferredList = new Guarded<>("subscriptions->deferred_list", lock, new LinkedList<>(), changes.mark(SpecVar.DEFERRED));
    }

    /** The first notifier of an invalidation and its cur_seq (mn_itree_inv_start_range's result and *seq). */
    record StartRange(MmuIntervalNotifier first, long curSeq) {}

    /** mn_itree_is_invalidating: invalidate_seq & 1, under the lock. */
    boolean mnItreeIsInvalidating() {
        return SeqArithmetic.odd(invalidateSeq.get());
    }

    /**
     * mn_itree_inv_start_range: under the lock, count the range, enter the fully excluded state
     * (seq |= 1) if some notifier intersects it, return the first one and cur_seq.
     */
    StartRange mnItreeInvStartRange(MmuNotifierRange range) {
        sched.at(Label.INV_START_RANGE);
        lock.lock();
        try {
            activeInvalidateRanges.set(activeInvalidateRanges.get() + 1);
            IntervalTree.Node<MmuIntervalNotifier> node = itree.get().iterFirst(range.start(), range.last());
            MmuIntervalNotifier res = null;
            if (node != null) {
                if (config.has(Mutation.M14)) invalidateSeq.set(seqm.inc(invalidateSeq.get()));
                else if (!config.has(Mutation.M8)) invalidateSeq.set(seqm.setOdd(invalidateSeq.get()));
                res = node.value();
            }
            return new StartRange(res, invalidateSeq.get());
        } finally {
            lock.unlock();
        }
    }

    /**
     * mn_itree_inv_next: the next intersecting notifier, read without the lock. Safe only
     * because the tree is frozen while invalidate_seq is odd: the walk's own start made it odd
     * and it stays odd until the walk's mn_itree_inv_end; inserts and removes are deferred
     * meanwhile. (The kernel has no lockdep annotation here; under M8 the tree is not frozen and
     * the walk reads it unlocked all the same, as the mutated kernel would.) {@code torn}: the
     * tree changed since the walk's last step (a mutation: M18's drain, M11's remove); the
     * kernel's pointer walk may then lose its place, and {@link WalkResume} says where it goes on
     * (the spec's WalkNext: any later notifier that overlaps the range, or the end).
     */
    MmuIntervalNotifier mnItreeInvNext(MmuIntervalNotifier intervalSub, MmuNotifierRange range, boolean torn) {
        IntervalTree<MmuIntervalNotifier> tree = itree.frozen();
        if (torn) {
            List<MmuIntervalNotifier> candidates = new ArrayList<>();
            for (IntervalTree.Node<MmuIntervalNotifier> n : tree.overlapsAfter(intervalSub.intervalTree, range.start(), range.last())) {
                candidates.add(n.value());
            }
            MmuIntervalNotifier next = walkResume.choose(Thread.currentThread(), List.copyOf(candidates));
            if (next != null && !candidates.contains(next)) {
                throw new IllegalStateException("a torn walk cannot resume at " + next.name() + ": not among " + candidates);
            }
            return next;
        }
        IntervalTree.Node<MmuIntervalNotifier> node = tree.iterNext(intervalSub.intervalTree, range.start(), range.last());
        return node == null ? null : node.value();
    }

    /** {@code hook} is told, under the lock, each time the interval tree changes. */
    void onTreeChange(Runnable hook) { treeChanged = java.util.Objects.requireNonNull(hook, "hook"); }

    /** Where a walk the tree changed under resumes (a scheduler's or a test's choice; IN_ORDER by default). */
    void walkResume(WalkResume w) { walkResume = java.util.Objects.requireNonNull(w, "walkResume"); }

    private void treeInsert(MmuIntervalNotifier sub) {
        itree.get().insert(sub.intervalTree);
        treeChanged.run();
    }

    private void treeRemove(MmuIntervalNotifier sub) {
        itree.get().remove(sub.intervalTree);
        treeChanged.run();
    }

    /**
     * mn_itree_inv_end: --active_invalidate_ranges; the last range out of the fully excluded
     * state makes the seq even and, still under the lock, progresses the deferred adds and
     * removes; unlock; then wake_up_all (every sleeper on subscriptions->wq re-checks). {@code first} and {@code drain} are the labels of its two steps
     * ({@code inv_end}/{@code inv_end_drain} from mn_itree_invalidate and _release,
     * {@code range_end}/{@code range_end_drain} from __mmu_notifier_invalidate_range_end).
     */
    void mnItreeInvEnd(Label first, Label drain) {
        sched.at(first);
        observer.invEnd();
        lock.lock();
        // an end without its start (M6) takes the count below zero, as the kernel's unsigned long wraps
        activeInvalidateRanges.set(activeInvalidateRanges.get() - 1);
        if (activeInvalidateRanges.get() != 0 || !mnItreeIsInvalidating()) {
            if (!config.has(Mutation.M18)) {
                lock.unlock();
                return;
            }
            // M18: drain the deferred list on this call too, invalidate_seq left as it is
        } else {
            /* Make invalidate_seq even */
            invalidateSeq.set(seqm.inc(invalidateSeq.get()));
            if (config.has(Mutation.J5)) wq.wakeUpAll();              // J5: a planted Java-only fault
        }
        sched.at(drain);
        if (config.has(Mutation.J4)) lock.unlock();                  // J4: a planted Java-only fault
        for (Iterator<MmuIntervalNotifier> it = deferredList.get().iterator(); it.hasNext(); ) {
            MmuIntervalNotifier sub = it.next();
            if (sub.notInTree()) treeInsert(sub);
            else treeRemove(sub);
            it.remove();
        }
        if (!config.has(Mutation.J4)) lock.unlock();
        if (!config.has(Mutation.M13) && !config.has(Mutation.J5)) wq.wakeUpAll();   // M13: no wake_up_all
    }

    /**
     * The invalidation make_device_exclusive_range runs on the faulting thread (MMU_NOTIFY_EXCLUSIVE,
     * its owner the faulting driver), as the spec's ReadExclusive takes it: one step, when no other
     * range is active and the driver's user lock is free, over a page only the faulting notifier
     * covers. mn_itree_inv_start_range (seq |= 1, cur_seq), the driver's callback
     * {@code ownCallback(cur_seq)}, mn_itree_inv_end (seq++; nothing deferred while no range is
     * active), wake_up_all.
     */
    public void ownExclusiveInvalidation(SleepingLock driverLock, java.util.function.LongConsumer ownCallback) {
        lock.lockUnless(() -> false, () -> activeInvalidateRanges.readOnce() == 0 && driverLock.owner() == null);
        long cur;
        try {
            cur = seqm.setOdd(invalidateSeq.get());
            invalidateSeq.set(cur);
        } finally {
            lock.unlock();
        }
        ownCallback.accept(cur);
        lock.lock();
        try {
            invalidateSeq.set(seqm.inc(invalidateSeq.get()));
        } finally {
            lock.unlock();
        }
        if (!config.has(Mutation.M13)) wq.wakeUpAll();   // its mn_itree_inv_end's wake_up_all (M13: none)
    }

    /**
     * The condition of read_begin's wait_event: READ_ONCE(subscriptions->invalidate_seq) != seq.
     * Unlocked on purpose: the waiter sleeps on subscriptions->wq, and the seq only moves on
     * under the lock in mn_itree_inv_end, which wakes the queue after it unlocks.
     */
    private boolean seqMovedOn(long seq) { return invalidateSeq.readOnce() != seq; }

    /**
     * mmu_interval_read_begin: sample the notifier's seq under the lock; if it equals the
     * subscriptions' seq an invalidation of it is in progress: wait (unlocked READ_ONCE) until
     * the seq moves on. No loop: read_retry may already be true on return. The wait's first turn
     * is part of the read_begin step (the spec's ReadBegin): the reader goes to sleep on
     * subscriptions->wq there, and each re-check after a wake-up is a read_begin_wait step.
     */
    long readBegin(MmuIntervalNotifier intervalSub) {
        sched.at(Label.READ_BEGIN);
        return readBeginInStep(intervalSub);
    }

    /** {@link #readBegin}, for a caller that has announced {@code read_begin} itself (its driver check comes first in the step). */
    long readBeginInStep(MmuIntervalNotifier intervalSub) {
        lock.lock();
        return readBeginLocked(intervalSub);
    }

    /**
     * mmu_interval_read_begin for a driver's fault path that stops once its userptr is gone, the
     * driver's check and the spin_lock in one step (the spec's ReadBegin needs the lock free and
     * the notifier bound; its ReadGone needs only the notifier unbound): wait until {@code gone}
     * holds (empty: nothing read) or {@code notifier} gives an inserted notifier and the lock is
     * free; then as {@link #readBegin}. The driver wakes this wait ({@link #wakeFaultWaiters})
     * when it inserts or unbinds the userptr.
     */
    public java.util.OptionalLong readBeginUnlessGone(java.util.function.Supplier<MmuIntervalNotifier> notifier,
                                                      java.util.function.BooleanSupplier gone) {
        if (!lock.lockUnless(gone, () -> notifier.get() != null)) return java.util.OptionalLong.empty();
        return java.util.OptionalLong.of(readBeginLocked(notifier.get()));
    }

    /** Wake the fault paths waiting in {@link #readBeginUnlessGone} (their userptr was inserted or unbound). */
    public void wakeFaultWaiters() { lock.wakeWaiters(); }

    /** mmu_interval_read_begin from the sample on, with subscriptions->lock held; returns with it released. */
    private long readBeginLocked(MmuIntervalNotifier intervalSub) {
        long seq;
        boolean isInvalidating;
        try {
            seq = intervalSub.readOnceInvalidateSeq();    // READ_ONCE: written under the driver's lock, not this one
            isInvalidating = seq == invalidateSeq.get();
            readBeginSamples.put(Thread.currentThread(), seq);
            sched.changes().touch(SpecVar.RSEQ);
        } finally {
            lock.unlock();
        }
        if (isInvalidating) {
            final long s = seq;
            if (config.has(Mutation.J3)) sched.at(Label.READ_BEGIN_WAIT);       // J3: a planted Java-only fault (no wait, its label kept)
            else wq.waitEvent(() -> seqMovedOn(s), Label.READ_BEGIN_WAIT);
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
            if (activeInvalidateRanges.get() != 0) {
                boolean deferred = mnItreeIsInvalidating();
                if (deferred) {
                    deferredList.get().addFirst(intervalSub);      // hlist_add_head
                } else {
                    if (!config.has(Mutation.M17)) invalidateSeq.set(seqm.setOdd(invalidateSeq.get()));   // M17: no seq |= 1
                    treeInsert(intervalSub);
                }
                intervalSub.initSeq(config.has(Mutation.J2) && !deferred
                        ? seqm.dec(seqm.dec(invalidateSeq.get())) : invalidateSeq.get());   // J2: a planted Java-only fault
            } else {
                warnings.warnOn(mnItreeIsInvalidating(), Warnings.IDLE_ODD);
                intervalSub.initSeq(config.has(Mutation.M9) && !asMerged ? invalidateSeq.get() : seqm.dec(invalidateSeq.get()));
                treeInsert(intervalSub);
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
                    deferredList.get().remove(intervalSub);
                } else if (config.has(Mutation.M11)) {
                    treeRemove(intervalSub);
                } else {
                    deferredList.get().addFirst(intervalSub);
                    seq = config.has(Mutation.M12) ? 0 : invalidateSeq.get();
                }
            } else {
                if (!warnings.warnOn(intervalSub.notInTree(), Warnings.REMOVE_NOT_IN_TREE)) {
                    treeRemove(intervalSub);
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
        if (config.has(Mutation.M10)) return seqReleasedReadOnce(seq);
        lock.lock();
        try {
            return invalidateSeq.get() != seq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * M10, the pre-2022 mmu_interval_seq_released: READ_ONCE(invalidate_seq) != seq, without the
     * lock. Unlocked on purpose in that (mutated) kernel; the race it opens (the seq seen bumped
     * before the deferred list is progressed) is what M10's model finds.
     */
    private boolean seqReleasedReadOnce(long seq) { return invalidateSeq.readOnce() != seq; }

    /**
     * READ_ONCE(subscriptions->invalidate_seq) for a caller outside the lock: the 2019 hmm
     * "valid" flag of mutation D4, which compares it with the notifier's seq under the driver's
     * lock only. Not the kernel's protocol; named so that the unlocked read shows.
     */
    public long readOnceInvalidateSeq() { return invalidateSeq.readOnce(); }

    // --- the quiescent read path: for the abstraction function, the property checkers and tests, which read
    // --- while every process thread is parked (or has stopped); never called from kernel or driver code
    // --- (LockDisciplineTest). No lock: the lock may be held across steps by a parked thread (inv_end's drain).

    /** The seq the last mmu_interval_read_begin of thread {@code t} sampled (the spec's rseq), if any. */
    public java.util.Optional<Long> readBeginSample(Thread t) { return java.util.Optional.ofNullable(readBeginSamples.get(t)); }

    /** subscriptions->invalidate_seq */
    public long invalidateSeq() { return invalidateSeq.quiescent(); }

    /** subscriptions->active_invalidate_ranges */
    public long activeInvalidateRanges() { return activeInvalidateRanges.quiescent(); }

    /** The notifiers in the interval tree, in tree order. */
    public List<MmuIntervalNotifier> treeNotifiers() {
        List<MmuIntervalNotifier> out = new ArrayList<>();
        for (IntervalTree.Node<MmuIntervalNotifier> n : itree.quiescent().inOrder()) out.add(n.value());
        return out;
    }

    /** The notifiers on the deferred list. */
    public List<MmuIntervalNotifier> deferred() { return List.copyOf(deferredList.quiescent()); }

    /** Who holds subscriptions->lock across steps (the drain of mn_itree_inv_end), or null. */
    public Thread lockOwner() { return lock.owner(); }

    public WaitQueue waitQueue() { return wq; }

    SeqArithmetic seqArithmetic() { return seqm; }
}
