package dev.mmucheck.kernel;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.mmucheck.scheduling.Changes;
import dev.mmucheck.scheduling.Label;
import dev.mmucheck.scheduling.Sched;
import dev.mmucheck.scheduling.SpecVar;

/**
 * The invalidation walk of mm/mmu_notifier.c: mn_itree_invalidate (range_start and
 * range_start_nonblock), mn_itree_release (exit_mmap) and the two-pass series'
 * mn_itree_finish_pass. One call runs on one thread; its finish list is its own.
 */
final class ItreeInvalidation {
    private final MmuNotifierSubscriptions subs;
    private final KernelConfig config;
    private final Sched sched;
    private final Warnings warnings;
    private final NonBlockContext nonBlock;
    private final ProtocolObserver observer;
    /**
     * The frame of the invalidation call each thread is in, from its first step until the call
     * returns to its caller's loop (after range_end, or at once on -EAGAIN): for the abstraction
     * function, for range_end's checks, and for M3's put-off finish pass.
     */
    private final Map<Thread, Frame> running = new ConcurrentHashMap<>();

    /**
     * The stack frame of one mn_itree_invalidate / mn_itree_release call: its range, cur_seq,
     * the notifier the walk is at, err, and the on-stack finish list. Written only by its thread.
     */
    static final class Frame {
        final MmuNotifierRange range;
        private final FinishList finishPasses = new FinishList();     // LLIST_HEAD(finish_passes)
        private final Changes changes;
        private volatile long curSeq;
        private volatile MmuIntervalNotifier cursor;
        /** the tree changed while the walk had {@link #cursor} in hand (the spec's torn) */
        private volatile boolean torn;
        private volatile boolean eagain;
        /** M3 only: the finish pass waits for invalidate_range_end */
        volatile boolean finishPassPutOff;
        /** during the finish pass: the finishes not yet finished, the one being finished first */
        private volatile List<MmuIntervalNotifier> passing;

        Frame(MmuNotifierRange range, Changes changes) {
            this.range = range;
            this.changes = changes;
        }

        // Each write marks the spec variable the abstraction reads it into (the spec's cur, cursor, torn, err, flist).
        void setCurSeq(long v) { curSeq = v; changes.touch(SpecVar.CUR); }
        void setCursor(MmuIntervalNotifier v) { cursor = v; changes.touch(SpecVar.CURSOR); }
        void setTorn(boolean v) { torn = v; changes.touch(SpecVar.TORN); }
        void setEagain() { eagain = true; changes.touch(SpecVar.ERR); }
        void setPassing(List<MmuIntervalNotifier> v) { passing = v; changes.touch(SpecVar.FLIST); }
        MmuIntervalNotifier cursor() { return cursor; }
        boolean torn() { return torn; }
        boolean eagain() { return eagain; }

        /** __llist_add(&finish->link, &finish_passes) */
        void queueFinish(MmuIntervalNotifierFinish f) {
            finishPasses.add(f);
            changes.touch(SpecVar.FLIST);
        }

        /** __llist_del_all(&finish_passes) then llist_reverse_order: the finishes in the order the starts handed them out. */
        MmuIntervalNotifierFinish takeFinishesInOrder() {
            MmuIntervalNotifierFinish first = FinishList.reverseOrder(finishPasses.delAll());
            changes.touch(SpecVar.FLIST);   // the links of finishes another list may share (M-series corruption) changed too
            return first;
        }

        boolean noFinishQueued() { return finishPasses.isEmpty(); }

        InvalidationView view() {
            List<MmuIntervalNotifier> p = passing;
            return new InvalidationView(range, curSeq, cursor, torn, eagain, p != null ? p : finishPasses.notifiers());
        }
    }

    ItreeInvalidation(MmuNotifierSubscriptions subs, KernelConfig config, Sched sched, Warnings warnings,
                      NonBlockContext nonBlock, ProtocolObserver observer) {
        this.subs = subs;
        this.config = config;
        this.sched = sched;
        this.warnings = warnings;
        this.nonBlock = nonBlock;
        this.observer = observer;
    }

    /**
     * mn_itree_invalidate: walk the notifiers the range hits, in tree order, calling
     * invalidate_start (queueing each finish handed back) or invalidate; a non-blockable
     * callback that returns false stops the walk with -EAGAIN; then the finish pass; on -EAGAIN
     * the internal mn_itree_inv_end (the caller must not call invalidate_range_end).
     */
    int mnItreeInvalidate(MmuNotifierRange range) {
        boolean nb = !range.isBlockable();
        if (nb) nonBlock.nonBlockStart();
        Frame frame = new Frame(range, sched.changes());
        try {
            int err = walk(frame, Warnings.BLOCKABLE_FALSE);
            if (!config.twoPass()) {
                // pre-patch: goto out_would_block
                if (err != 0) subs.mnItreeInvEnd(Label.INV_END, Label.INV_END_DRAIN);
                return err;
            }
            if (err != 0 && config.has(Mutation.M1)) {
                subs.mnItreeInvEnd(Label.INV_END, Label.INV_END_DRAIN);   // v1: goto out_would_block, no finish pass
                return err;
            }
            if (err != 0 && config.has(Mutation.M2)) {
                subs.mnItreeInvEnd(Label.INV_END, Label.INV_END_DRAIN);   // end before the finish pass
                mnItreeFinishPass(frame);
                return err;
            }
            if (err == 0 && config.has(Mutation.M3)) {
                frame.finishPassPutOff = true;                           // the finish pass waits for range_end
                return 0;
            }
            mnItreeFinishPass(frame);
            /* On -EAGAIN the non-blocking caller is not allowed to call invalidate_range_end() */
            if (err != 0 && !config.has(Mutation.M6b)) subs.mnItreeInvEnd(Label.INV_END, Label.INV_END_DRAIN);
            return err;
        } finally {
            // the frame stays: the spec's call lasts until the caller's range_end (or its return on -EAGAIN),
            // and Mm ends it with callReturned()
            if (nb) nonBlock.nonBlockEnd();
        }
    }

    /**
     * The loop of mn_itree_invalidate and mn_itree_release: mn_itree_inv_start_range, then each
     * notifier the range hits, in tree order, until one returns false in a non-blockable range
     * (-EAGAIN). A false in a blockable range is warned at {@code blockableFalseSite} and the walk
     * goes on. Returns 0 or -EAGAIN.
     */
    private int walk(Frame frame, String blockableFalseSite) {
        MmuNotifierRange range = frame.range;
        MmuNotifierSubscriptions.StartRange sr = subs.mnItreeInvStartRange(range);
        running.put(Thread.currentThread(), frame);       // the frame is visible from the first step on
        sched.changes().touch(FRAME_VARS);
        frame.setCurSeq(sr.curSeq());
        try {
            for (MmuIntervalNotifier sub = sr.first(); sub != null; sub = next(frame, sub)) {
                frame.setCursor(sub);
                if (callOne(sub, range, sr.curSeq(), frame)) continue;
                if (warnings.warnOn(range.isBlockable(), blockableFalseSite)) continue;
                frame.setEagain();
                return Errno.EAGAIN;
            }
            return 0;
        } finally {
            frame.setCursor(null);
            frame.setTorn(false);
        }
    }

    /** mn_itree_inv_next from {@code sub}, over a tree that may have changed under the walk since its last step. */
    private MmuIntervalNotifier next(Frame frame, MmuIntervalNotifier sub) {
        boolean torn = frame.torn();
        frame.setTorn(false);
        return subs.mnItreeInvNext(sub, frame.range, torn);
    }

    /**
     * The interval tree changed (called under subscriptions->lock by the change): every walk that
     * has a notifier in hand is torn; its next mn_itree_inv_next may lose its place. In the code
     * as merged no walk is in progress when the tree changes.
     */
    void treeChanged() {
        for (Frame f : running.values()) if (f.cursor() != null) f.setTorn(true);
    }

    /**
     * The body of the walk for one notifier (mn_itree_invalidate and mn_itree_release share it):
     * invalidate_start, queueing the finish if it returned true with one (M4: even if false); or
     * invalidate. Returns the callback's bool.
     */
    private boolean callOne(MmuIntervalNotifier sub, MmuNotifierRange range, long curSeq, Frame frame) {
        MmuIntervalNotifierOps ops = sub.ops();
        sched.at(Label.INV_CB_START);
        observer.callbackRan(sub);
        if (config.twoPass() && ops.invalidateStart() != null) {
            MmuIntervalNotifierOps.StartResult r = ops.invalidateStart().invalidateStart(sub, range, curSeq);
            MmuIntervalNotifierFinish finish = r.finish();
            if ((r.ok() || config.has(Mutation.M4)) && finish != null) {
                finish.notifier = sub;
                frame.queueFinish(finish);                       // __llist_add(&finish->link, &finish_passes)
                observer.finishQueued(sub, finish);
            }
            return r.ok();
        }
        if (ops.invalidate() == null) throw new KernelOops("ops->invalidate is NULL for notifier " + sub.name());
        return ops.invalidate().invalidate(sub, range, curSeq);
    }

    /**
     * mn_itree_finish_pass: take the whole list, put it back in the order the starts handed the
     * finishes out (llist_reverse_order), call each f->notifier->ops->invalidate_finish(f).
     * A pass over an empty list touches nothing shared and has no scheduling point (CONTRACT.md).
     */
    void mnItreeFinishPass(Frame frame) {
        if (frame.noFinishQueued()) return;
        sched.at(Label.INV_FINISH_PASS);
        MmuIntervalNotifierFinish first = frame.takeFinishesInOrder();
        boolean visible = running.get(Thread.currentThread()) == frame;
        for (MmuIntervalNotifierFinish f = first, next; f != null; f = next) {
            next = f.link;                                       // llist_for_each_entry_safe
            if (visible) frame.setPassing(FinishList.from(f));
            MmuIntervalNotifierOps.InvalidateFinish fin = f.notifier.ops().invalidateFinish();
            if (fin == null) {
                throw new KernelOops("mn_itree_finish_pass: NULL invalidate_finish of notifier " + f.notifier.name()
                        + " (a two-pass notifier inserted without invalidate_finish)");
            }
            observer.finishCalled(f);
            fin.invalidateFinish(f);
        }
        if (visible) frame.setPassing(null);
    }

    /** The current thread's invalidation call has returned to its caller: its frame is gone. */
    void callReturned() {
        running.remove(Thread.currentThread());
        sched.changes().touch(FRAME_VARS);
    }

    /** The spec variables read from the frames: one appearing or going changes each of them. */
    private static final long FRAME_VARS = SpecVar.IRANGE.bit() | SpecVar.CUR.bit() | SpecVar.CURSOR.bit() | SpecVar.TORN.bit()
            | SpecVar.ERR.bit() | SpecVar.FLIST.bit();

    /** M3 only: the finish pass of {@code range}'s invalidation, put off to __mmu_notifier_invalidate_range_end. */
    void putOffFinishPass(MmuNotifierRange range) {
        Frame frame = running.get(Thread.currentThread());
        if (frame != null && frame.range == range && frame.finishPassPutOff) {
            frame.finishPassPutOff = false;
            mnItreeFinishPass(frame);
        }
    }

    /** True if the current thread's invalidation call for {@code range} ended in -EAGAIN and has not returned yet. */
    boolean refusedWithEagain(MmuNotifierRange range) {
        Frame frame = running.get(Thread.currentThread());
        return frame != null && frame.range == range && frame.eagain();
    }

    /**
     * mn_itree_release: exit_mmap invalidates the whole address space, blockable; a callback
     * must not fail (WARN_ON); the finish pass, then mn_itree_inv_end.
     */
    void mnItreeRelease() {
        MmuNotifierRange range = new MmuNotifierRange(0, MmuNotifierRange.ULONG_MAX, true, MmuNotifierRange.Event.RELEASE);
        Frame frame = new Frame(range, sched.changes());
        try {
            walk(frame, Warnings.RELEASE_FALSE);           // blockable: a false is warned, never -EAGAIN
            if (config.twoPass() && config.has(Mutation.M2)) {
                subs.mnItreeInvEnd(Label.INV_END, Label.INV_END_DRAIN);
                mnItreeFinishPass(frame);
                return;
            }
            // M19: mn_itree_release without its finish pass (the finish list dies with the frame)
            if (config.twoPass() && !config.has(Mutation.M19)) mnItreeFinishPass(frame);
            subs.mnItreeInvEnd(Label.INV_END, Label.INV_END_DRAIN);
        } finally {
            callReturned();
        }
    }

    /** The locals of the invalidation call thread {@code t} is in, if any. */
    Optional<InvalidationView> invalidationOf(Thread t) {
        return Optional.ofNullable(running.get(t)).map(Frame::view);
    }
}
