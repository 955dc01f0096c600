package dev.mmucheck.driver;

import dev.mmucheck.kernel.MmuIntervalNotifier;
import dev.mmucheck.kernel.MmuIntervalNotifierFinish;
import dev.mmucheck.scheduling.Changes;
import dev.mmucheck.scheduling.GuardedBool;
import dev.mmucheck.scheduling.SleepingLock;
import dev.mmucheck.scheduling.SpecVar;

/**
 * struct xe_userptr: a range of user memory the GPU maps, with its interval notifier, the
 * embedded finish (one per notifier) and {@code finish_inuse}, which says the embedded finish
 * is handed out; a second concurrent invalidation then falls back to waiting inline.
 */
public final class Userptr {
    private final GpuVm vm;
    private final String name;
    private final long firstPage;
    private final long lastPage;
    private final boolean twoPass;
    final Finish finish = new Finish();
    private final GuardedBool finishInuse;   // under vm's notifier lock
    private final GuardedBool gone;          // under vm's notifier lock
    private volatile MmuIntervalNotifier notifier;   // null until mmu_interval_notifier_insert returned
    private final Changes changes;

    /** The embedded struct mmu_interval_notifier_finish; container_of gives the userptr. */
    public final class Finish extends MmuIntervalNotifierFinish {
        public Userptr userptr() { return Userptr.this; }
    }

    Userptr(GpuVm vm, SleepingLock notifierLock, Changes changes, String name, long firstPage, long lastPage, boolean twoPass) {
        this.vm = vm;
        this.changes = changes;
        this.finishInuse = new GuardedBool(name + "->finish_inuse", notifierLock, false, changes.mark(SpecVar.FINUSE));
        this.gone = new GuardedBool(name + "->gone", notifierLock, false, Changes.Mark.NONE);   // not a spec variable
        this.name = name;
        this.firstPage = firstPage;
        this.lastPage = lastPage;
        this.twoPass = twoPass;
    }

    public String name() { return name; }
    public GpuVm vm() { return vm; }
    public long firstPage() { return firstPage; }
    public long lastPage() { return lastPage; }
    public boolean twoPass() { return twoPass; }
    public MmuIntervalNotifier notifier() { return notifier; }

    /** mmu_interval_notifier_insert returned {@code n} (null: it failed); the spec's iseq of it is now its own. */
    void setNotifier(MmuIntervalNotifier n) {
        notifier = n;
        changes.touch(SpecVar.ISEQ);
    }

    /** userptr->finish_inuse, for the abstraction function, the property checkers and tests (the quiescent read path). */
    public boolean finishInuse() { return finishInuse.quiescent(); }

    /**
     * Set finish_inuse; xe does it under the notifier lock (lockdep_assert_held_write). Without
     * the lock (D9's finish) the write is reported as the spec's FinishSlotUnderUserLock breaks,
     * and made all the same, as the mutated driver makes it.
     */
    void setFinishInuse(boolean v, String where) {
        if (finishInuse.lockHeld()) {
            finishInuse.set(v);
        } else {
            vm.reportNotifierLockNotHeld(where);
            finishInuse.setUnderMutationUnlocked(v);
        }
    }

    /**
     * userptr->tlb_inval_submitted, and the thread whose TLB invalidation userptr->inval_batch
     * holds (null: false). Under the notifier lock (read without it by the abstraction function).
     */
    private volatile Thread tlbInvalSubmitted;

    /** tlb_inval_submitted: the submitter of the batch in inval_batch, or null. */
    public Thread tlbInvalSubmitted() { return tlbInvalSubmitted; }

    void setTlbInvalSubmitted(Thread submitter) {
        tlbInvalSubmitted = submitter;
        changes.touch(SpecVar.TLBSUB);
    }

    /**
     * finish_inuse read by the notifier code (xe_assert, pass 1): under the notifier lock; read
     * without it only by D9's finish, which the spec's D9 reads the same way.
     */
    boolean finishInuseInNotifier() { return finishInuse.lockHeld() ? finishInuse.get() : finishInuse.readOnce(); }

    /** Mark the userptr gone, under the notifier lock (the unbind). */
    void markGone() { gone.set(true); }

    /** Is the userptr gone? Under the notifier lock (the fault path, before it installs). */
    boolean isGone() { return gone.get(); }

    /** Is the embedded finish free to hand out? Read under the notifier lock. */
    boolean finishFree(boolean noFinishInuse) { return twoPass && (!finishInuse.get() || noFinishInuse); }

    /**
     * The same test read before mutex_trylock by the trylock driver's non-blockable start
     * (test_hmm's order: *finish is set first, then mutex_trylock or return false): unlocked on
     * purpose; the spec's trylock refusal reads finuse without the lock too (GpuDriver.tla CbStart),
     * and a finish offered with a refusal is never queued (mn_itree_invalidate queues only on true; M4 aside).
     */
    boolean finishFreeBeforeTrylock(boolean noFinishInuse) { return twoPass && (!finishInuse.readOnce() || noFinishInuse); }

    /**
     * The gone mark read without the notifier lock, on purpose: the fault path's check in its
     * read_begin step (xe tests XE_VMA_DESTROYED in xe_vma_userptr_pin_pages under vm->lock,
     * not under the notifier lock) and its wait for the insert; the check that decides an
     * install is made again under the lock at read_retry ({@link #isGone}).
     */
    boolean isGoneReadOnce() { return gone.readOnce(); }

    /** Inserted and not unbound yet (the spec's Bound), read without the lock as {@link #isGoneReadOnce}. */
    boolean isBoundReadOnce() { return notifier != null && !gone.readOnce(); }

    @Override
    public String toString() { return name; }
}
