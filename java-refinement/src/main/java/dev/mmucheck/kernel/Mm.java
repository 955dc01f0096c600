package dev.mmucheck.kernel;


import dev.mmucheck.scheduling.Label;
import dev.mmucheck.scheduling.Sched;
import dev.mmucheck.scheduling.SpecVar;

/**
 * An mm_struct with interval notifiers: the entry points of mm/mmu_notifier.c
 * (__mmu_notifier_invalidate_range_start/_end, __mmu_notifier_release,
 * mmu_interval_notifier_insert/_remove) and the two callers that change PTEs
 * (a blockable unmap and the OOM reaper's non-blockable one).
 */
public final class Mm {
    private final KernelConfig config;
    private final Sched sched;
    private final ProtocolObserver observer;
    private final Warnings warnings;
    private final NonBlockContext nonBlock;
    private final MmuNotifierSubscriptions subscriptions;
    private final ItreeInvalidation itree;
    private final CpuPageTable ptes;
    /** the seq each removing thread waits to move on from (the spec's rmseq) */
    private final java.util.Map<Thread, Long> removeWaits = new java.util.concurrent.ConcurrentHashMap<>();

    public Mm(KernelConfig config, Sched sched, ProtocolObserver observer) {
        this.config = config;
        this.sched = sched;
        this.observer = observer;
        this.warnings = new Warnings(observer, sched.changes().mark(SpecVar.WARN));
        this.nonBlock = new NonBlockContext(observer);
        this.subscriptions = new MmuNotifierSubscriptions(config, sched, warnings, observer);
        this.itree = new ItreeInvalidation(subscriptions, config, sched, warnings, nonBlock, observer);
        subscriptions.onTreeChange(itree::treeChanged);
        this.ptes = new CpuPageTable(observer, sched.changes().mark(SpecVar.PTE));
    }

    public Mm(KernelConfig config) { this(config, new Sched(), ProtocolObserver.NONE); }

    /**
     * mmu_interval_notifier_insert: subscribe [start, start + length) with {@code ops}. Returns 0,
     * or -EOVERFLOW for a zero or overflowing length (the kernel's check), or -EINVAL for ops
     * with invalidate_start but no invalidate_finish: a documented deviation from the kernel's v3
     * WARN_ON_ONCE, which inserts anyway; mutation M5 restores the kernel's behaviour (warn, insert).
     * The notifier is handed back through {@code out[0]}.
     */
    public int mmuIntervalNotifierInsert(String name, long start, long length, MmuIntervalNotifierOps ops,
                                         MmuIntervalNotifier[] out) {
        return insert(name, start, length, ops, out, false);
    }

    /**
     * The state before anything runs: a notifier inserted while idle by the code as merged
     * (invalidate_seq - 1), as the spec's Init has it, whatever mutation of insert's seq is on.
     */
    public MmuIntervalNotifier insertAtSetUp(String name, long start, long length, MmuIntervalNotifierOps ops) {
        MmuIntervalNotifier[] out = new MmuIntervalNotifier[1];
        int err = insert(name, start, length, ops, out, true);
        if (err != 0) throw new IllegalArgumentException("set-up insert of " + name + " returned " + Errno.name(err));
        return out[0];
    }

    private int insert(String name, long start, long length, MmuIntervalNotifierOps ops, MmuIntervalNotifier[] out,
                       boolean atSetUp) {
        if (!atSetUp) sched.at(Label.INSERT);
        MmuIntervalNotifier sub = MmuIntervalNotifier.create(name, start, length);
        if (sub == null) return Errno.EOVERFLOW;
        if (ops == null) throw new IllegalArgumentException("notifier " + name + ": ops is NULL");
        if (config.twoPass() && ops.invalidateStart() != null && ops.invalidateFinish() == null) {
            if (!config.has(Mutation.M5)) return Errno.EINVAL;
            warnings.warnOn(true, Warnings.NO_FINISH);        // WARN_ON_ONCE, inserted anyway
        }
        if (ops.invalidate() == null && (ops.invalidateStart() == null || !config.twoPass())) {
            throw new IllegalArgumentException("notifier " + name + ": no callback this kernel can call");
        }
        sub.ops = ops;
        sub.mm = this;
        sub.everInserted = true;
        subscriptions.insertLocked(sub, atSetUp);
        out[0] = sub;
        return 0;
    }

    /** mmu_interval_notifier_insert, for callers that only want the notifier (throws on an error code). */
    public MmuIntervalNotifier insert(String name, long start, long length, MmuIntervalNotifierOps ops) {
        MmuIntervalNotifier[] out = new MmuIntervalNotifier[1];
        int err = mmuIntervalNotifierInsert(name, start, length, ops, out);
        if (err != 0) throw new IllegalArgumentException("mmu_interval_notifier_insert(" + name + ") returned " + Errno.name(err));
        return out[0];
    }

    /**
     * mmu_interval_notifier_remove: once it returns, no callback for {@code sub} runs or will run.
     * Waits (might_sleep) while an invalidation that may still call it is in progress.
     */
    public void mmuIntervalNotifierRemove(MmuIntervalNotifier sub) {
        if (sub.mm != this || !sub.everInserted) {
            throw new IllegalStateException("mmu_interval_notifier_remove(" + sub.name() + "): never inserted into this mm");
        }
        sched.at(Label.REMOVE);
        nonBlock.mightSleep("mmu_interval_notifier_remove");
        long seq = subscriptions.removeLocked(sub);
        if (seq != 0) {
            removeWaits.put(Thread.currentThread(), seq);
            sched.changes().touch(SpecVar.RMSEQ);
            sched.at(Label.REMOVE_WAIT);
            subscriptions.wq.waitEvent(() -> subscriptions.mmuIntervalSeqReleased(seq), Label.REMOVE_WAIT);
            removeWaits.remove(Thread.currentThread());
            sched.changes().touch(SpecVar.RMSEQ);
        }
        sub.everInserted = false;
    }

    /** __mmu_notifier_invalidate_range_start (via mmu_notifier_invalidate_range_start): 0 or -EAGAIN. */
    public int mmuNotifierInvalidateRangeStart(MmuNotifierRange range) {
        int err = itree.mnItreeInvalidate(range);
        observer.rangeStartReturned(range, err);
        return err;
    }

    /**
     * mmu_notifier_invalidate_range_start_nonblock: the OOM reaper's form; the range must not be
     * blockable. Returns 0, or -EAGAIN, after which the caller must not call invalidate_range_end.
     */
    public int mmuNotifierInvalidateRangeStartNonblock(MmuNotifierRange range) {
        if (range.isBlockable()) {
            throw new IllegalArgumentException("mmu_notifier_invalidate_range_start_nonblock(" + range
                    + "): the range is blockable; make it with blockable = false");
        }
        return mmuNotifierInvalidateRangeStart(range);
    }

    /** __mmu_notifier_invalidate_range_end: mn_itree_inv_end (M3: after the put-off finish pass). */
    public void mmuNotifierInvalidateRangeEnd(MmuNotifierRange range) {
        if (itree.refusedWithEagain(range) && !config.has(Mutation.M6)) {
            throw new IllegalStateException("mmu_notifier_invalidate_range_end(" + range + ") after its range_start returned "
                    + "-EAGAIN: the non-blocking caller must not call invalidate_range_end (the end already ran)");
        }
        observer.rangeEndCalled(range);
        if (config.twoPass() && config.has(Mutation.M3)) itree.putOffFinishPass(range);
        subscriptions.mnItreeInvEnd(Label.RANGE_END, Label.RANGE_END_DRAIN);
        itree.callReturned();
    }

    /** __mmu_notifier_release -> mn_itree_release (exit_mmap). */
    public void mmuNotifierRelease() {
        itree.mnItreeRelease();
    }

    /**
     * A caller that changes PTEs (zap_page_range_single, change_protection, migrate: all follow
     * this shape): invalidate_range_start; if it returned 0, change the CPU PTEs of the range and
     * call invalidate_range_end. Returns what range_start returned. A non-blockable range is the
     * OOM reaper's (__oom_reap_task_mm): on -EAGAIN it changes nothing and does not call
     * range_end (M6: it calls range_end anyway).
     */
    public int changePtes(MmuNotifierRange range) {
        int err = mmuNotifierInvalidateRangeStart(range);
        if (err != 0) {
            if (config.has(Mutation.M6)) mmuNotifierInvalidateRangeEnd(range);
            itree.callReturned();
            return err;
        }
        sched.at(Label.MM_CHANGE_PTE);
        ptes.change(range.firstPage(), range.lastPage());
        mmuNotifierInvalidateRangeEnd(range);
        return 0;
    }

    // --- accessors ---

    public MmuNotifierSubscriptions subscriptions() { return subscriptions; }

    /**
     * Where an invalidation walk resumes when the interval tree changed under it (only a mutation
     * changes it during a walk: M18, M11, M8, M14). Set before the processes take steps; a
     * replay answers with TLC's choice, a random run with a random one. Default: in order.
     */
    public void walkResume(WalkResume w) { subscriptions.walkResume(w); }

    public CpuPageTable ptes() { return ptes; }

    public Warnings warnings() { return warnings; }

    public NonBlockContext nonBlock() { return nonBlock; }

    public KernelConfig config() { return config; }

    public Sched sched() { return sched; }

    public ProtocolObserver observer() { return observer; }

    /** The locals of the invalidation thread {@code t} is running, if any (spec: irange, cur, cursor, err, flist). */
    public java.util.Optional<InvalidationView> invalidationOf(Thread t) { return itree.invalidationOf(t); }

    /** The seq that thread {@code t}'s mmu_interval_notifier_remove waits to move on from, if it waits (spec: rmseq). */
    public java.util.Optional<Long> removeWaitOf(Thread t) { return java.util.Optional.ofNullable(removeWaits.get(t)); }

}
