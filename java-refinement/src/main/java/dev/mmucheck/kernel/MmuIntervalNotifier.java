package dev.mmucheck.kernel;

import dev.mmucheck.scheduling.SpecVar;

/**
 * struct mmu_interval_notifier: an interval subscription, its node in the interval tree, its
 * own {@code invalidate_seq} (written with WRITE_ONCE under the driver's user lock, read with
 * READ_ONCE: volatile here), and the read-side inlines of include/linux/mmu_notifier.h.
 */
public final class MmuIntervalNotifier {
    private final String name;
    final IntervalTree.Node<MmuIntervalNotifier> intervalTree;
    private volatile long invalidateSeq;
    volatile MmuIntervalNotifierOps ops;
    volatile Mm mm;
    boolean everInserted;              // for the remove-of-a-never-inserted-notifier contract

    /**
     * A subscription of [start, start + length - 1], not inserted yet. The length is checked
     * again by insert, which returns -EOVERFLOW as the kernel does; here a bad length cannot even
     * make a node, so the constructor takes start and last.
     */
    private MmuIntervalNotifier(String name, long start, long last) {
        this.name = name;
        this.intervalTree = new IntervalTree.Node<>(start, last, this);
    }

    /**
     * A new notifier for [start, start + length): null if length is 0 or the end overflows
     * (the caller gets -EOVERFLOW from {@link Mm#mmuIntervalNotifierInsert}).
     */
    static MmuIntervalNotifier create(String name, long start, long length) {
        if (length == 0) return null;
        long last = start + (length - 1);
        if (Long.compareUnsigned(last, start) < 0) return null;   // check_add_overflow
        return new MmuIntervalNotifier(name, start, last);
    }

    public String name() { return name; }

    public long start() { return intervalTree.start(); }

    /** interval_tree.last: the last byte, inclusive */
    public long last() { return intervalTree.last(); }

    public MmuIntervalNotifierOps ops() { return ops; }

    /**
     * interval_sub->invalidate_seq for the abstraction function, the property checkers and tests,
     * which read it while every process thread is parked (the quiescent read path; never called
     * from kernel or driver code, LockDisciplineTest).
     */
    public long invalidateSeq() { return invalidateSeq; }

    /**
     * READ_ONCE(interval_sub->invalidate_seq): mmu_interval_read_begin reads it under
     * subscriptions->lock, but it is written under the driver's user lock (mmu_interval_set_seq),
     * which read_begin does not hold: the kernel pairs READ_ONCE with that WRITE_ONCE, and a
     * collision is caught later by read_retry under the user lock. Mutation D4's driver reads it here
     * too (under the user lock, comparing it with the subscriptions seq read unlocked).
     */
    public long readOnceInvalidateSeq() { return invalidateSeq; }

    /**
     * mmu_interval_set_seq: WRITE_ONCE(interval_sub->invalidate_seq, cur_seq). Must be called
     * unconditionally from the invalidate callback, under the driver's user lock (the notifier
     * does not know that lock; the driver asserts it before the call, GpuVm).
     */
    public void setSeq(long curSeq) {
        invalidateSeq = curSeq;
        seqChanged();
    }

    void initSeq(long seq) {
        invalidateSeq = seq;
        seqChanged();
    }

    /** The spec's iseq may have changed (a notifier not inserted yet has no mm, and no iseq of its own to mark). */
    private void seqChanged() {
        Mm m = mm;
        if (m != null) m.sched().changes().touch(SpecVar.ISEQ);
    }

    /** mmu_interval_read_begin: see {@link MmuNotifierSubscriptions#readBegin}. */
    public long readBegin() {
        Mm m = mm;
        if (m == null) throw new IllegalStateException("mmu_interval_read_begin on notifier " + name + " that was never inserted");
        return m.subscriptions().readBegin(this);
    }

    /** mmu_interval_read_begin, called inside the caller's {@code read_begin} step (the caller announced the label). */
    public long readBeginInStep() {
        Mm m = mm;
        if (m == null) throw new IllegalStateException("mmu_interval_read_begin on notifier " + name + " that was never inserted");
        return m.subscriptions().readBeginInStep(this);
    }

    /**
     * mmu_interval_read_retry: under the user lock, true if an invalidation collided with the
     * critical section that began with {@code seq}. (A plain read: the caller holds the lock
     * set_seq is called under; the driver asserts it, GpuVm.)
     */
    public boolean readRetry(long seq) {
        Mm m = mm;
        if (m != null && m.config().has(Mutation.J1)) return invalidateSeq > seq;   // planted Java-only fault
        return invalidateSeq != seq;
    }

    /** mmu_interval_check_retry: the same test without the lock (READ_ONCE), an early-out hint only. */
    public boolean checkRetry(long seq) { return invalidateSeq != seq; }

    /** RB_EMPTY_NODE(&interval_sub->interval_tree.rb) */
    boolean notInTree() { return intervalTree.isEmptyNode(); }

    @Override
    public String toString() {
        return String.format("%s[0x%x, 0x%x]", name, start(), last());
    }
}
