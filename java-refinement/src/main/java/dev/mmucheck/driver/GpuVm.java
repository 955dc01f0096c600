package dev.mmucheck.driver;

import dev.mmucheck.kernel.KernelConfig;
import dev.mmucheck.kernel.Mm;
import dev.mmucheck.kernel.MmuIntervalNotifier;
import dev.mmucheck.kernel.MmuIntervalNotifierFinish;
import dev.mmucheck.kernel.MmuIntervalNotifierOps;
import dev.mmucheck.kernel.MmuIntervalNotifierOps.StartResult;
import dev.mmucheck.kernel.MmuNotifierRange;
import dev.mmucheck.kernel.Mutation;
import dev.mmucheck.kernel.Warnings;
import dev.mmucheck.kernel.NonBlockContext;
import dev.mmucheck.scheduling.Label;
import dev.mmucheck.scheduling.Sched;
import dev.mmucheck.scheduling.SleepingLock;
import dev.mmucheck.scheduling.SpecVar;

/**
 * One driver instance on one GPU (xe's {@code struct xe_vm}, test_hmm's {@code struct dmirror}):
 * its user lock ({@code vm->svm.gpusvm.notifier_lock}, taken for write by the notifier and by
 * the fault path here), its userptrs, their notifier ops and the fault path. Several instances
 * on several GPUs may watch the same memory: the multi-GPU case the series is for.
 */
public final class GpuVm {
    private final String name;
    private final Mm mm;
    private final GpuDevice gpu;
    private final DriverKind kind;
    private final KernelConfig config;
    private final Sched sched;
    private final NonBlockContext nonBlock;
    private final SleepingLock notifierLock;
    private final boolean iommu;                 // the model maps the pages in the IOMMU (the spec's ModelIommu)
    private final DriverStats stats = new DriverStats();
    private final java.util.Map<Thread, ReadSection> reads = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The locals of a thread's fault loop: the seq read_begin returned and the CPU PTE version
     * hmm_range_fault read last (0 before it read one). The spec's rseq and rval.
     */
    public record ReadSection(long seq, long pteRead) {}

    public GpuVm(String name, Mm mm, GpuDevice gpu, DriverKind kind) { this(name, mm, gpu, kind, false); }

    /** {@code iommu}: the fault path dma-maps the pages it installs, and the invalidation unmaps them. */
    public GpuVm(String name, Mm mm, GpuDevice gpu, DriverKind kind, boolean iommu) {
        this.iommu = iommu;
        this.name = name;
        this.mm = mm;
        this.gpu = gpu;
        this.kind = kind;
        this.config = mm.config();
        this.sched = mm.sched();
        this.nonBlock = mm.nonBlock();
        this.notifierLock = new SleepingLock(name + "->notifier_lock", sched, sched.changes().mark(SpecVar.ULOCK, SpecVar.RLOCK));
        gpu.bindDriver(notifierLock);     // the device PTEs are changed under this lock
    }

    /**
     * xe_userptr_setup: a userptr over pages [firstPage, lastPage] with its interval notifier
     * inserted (mmu_interval_notifier_insert). A two-pass userptr has invalidate_start and
     * invalidate_finish (and invalidate, which the pre-patch kernel calls); a single-pass one only
     * invalidate. Throws if insert returns an error.
     */
    public Userptr userptrSetup(String name, long firstPage, long lastPage, boolean twoPass) {
        return userptrSetup(name, firstPage, lastPage, twoPass, false);
    }

    /** {@link #userptrSetup}, inserted as the state before anything runs (Mm.insertAtSetUp) if {@code atSetUp}. */
    public Userptr userptrSetup(String name, long firstPage, long lastPage, boolean twoPass, boolean atSetUp) {
        Userptr u = userptrCreate(name, firstPage, lastPage, twoPass);
        userptrInsert(u, atSetUp);
        return u;
    }

    /** A userptr over pages [firstPage, lastPage], its notifier not inserted yet ({@link #userptrInsert}); faults on it wait for the insert. */
    public Userptr userptrCreate(String name, long firstPage, long lastPage, boolean twoPass) {
        return new Userptr(this, notifierLock, sched.changes(), name, firstPage, lastPage, twoPass);
    }

    /** xe_userptr_setup's mmu_interval_notifier_insert for a userptr made by {@link #userptrCreate}. */
    public void userptrInsert(Userptr u) { userptrInsert(u, false); }

    private void userptrInsert(Userptr u, boolean atSetUp) {
        String name = u.name();
        long firstPage = u.firstPage(), lastPage = u.lastPage();
        boolean twoPass = u.twoPass();
        MmuIntervalNotifierOps ops = twoPass
                ? MmuIntervalNotifierOps.twoPass((sub, r, s) -> invalidate(u, r, s), (sub, r, s) -> invalidateStart(u, r, s),
                        config.has(Mutation.M5) ? null : this::invalidateFinish)
                : MmuIntervalNotifierOps.singlePass((sub, r, s) -> invalidate(u, r, s));
        long start = firstPage << MmuNotifierRange.PAGE_SHIFT;
        long length = (lastPage - firstPage + 1) << MmuNotifierRange.PAGE_SHIFT;
        u.setNotifier(atSetUp ? mm.insertAtSetUp(name, start, length, ops) : mm.insert(name, start, length, ops));
        mm.subscriptions().wakeFaultWaiters();     // a fault path waiting for the insert
    }

    /**
     * Unbind and destroy a userptr before its notifier goes (xe: prep_vma_destroy sets
     * XE_VMA_DESTROYED under the notifier lock; the unbind's page-table update zaps the VMA's
     * device PTEs and invalidates the TLB; then xe_vma_destroy -> xe_userptr_remove ->
     * mmu_interval_notifier_remove). Under the user lock ({@code unbind}): mark it gone, so the
     * fault path stops, zap its device PTEs and submit the TLB invalidation of its pages; wait
     * for that fence with the lock held ({@code unbind_wait}); unlock; then
     * mmu_interval_notifier_remove. Afterwards the device maps none of its pages and no callback
     * for it runs. D12: the unbind only marks it gone (no zap, no TLB invalidation). D5: the
     * teardown split by a dropped lock: zap, TLB invalidation and its wait under the lock, unlock,
     * and only then lock again to mark it gone ({@code unbind_mark}); a fault in between installs.
     */
    public void userptrRemove(Userptr u) {
        boolean d5 = config.has(Mutation.D5);
        sched.at(Label.UNBIND);
        notifierLock.lock();
        try {
            if (!d5) {
                u.markGone();
                mm.subscriptions().wakeFaultWaiters(); // a fault path waiting to begin stops
            }
            if (!config.has(Mutation.D12)) {
                gpu.zap(u.firstPage(), u.lastPage());
                gpu.dmaUnmap(u.firstPage(), u.lastPage());     // the spec unmaps with the unbind's zap
                gpu.submitTlbInvalidation(u.name(), u.firstPage(), u.lastPage());
                sched.at(Label.UNBIND_WAIT);
                gpu.waitTlbInvalidation(u.name());
            }
        } finally {
            notifierLock.unlock();
        }
        if (d5) {                                   // D5: the lock was dropped before the mark, on purpose
            sched.at(Label.UNBIND_MARK);
            notifierLock.lock();
            u.markGone();
            mm.subscriptions().wakeFaultWaiters();
            notifierLock.unlock();
        }
        mm.mmuIntervalNotifierRemove(u.notifier());
    }

    /** xe_vma_userptr_invalidate (single pass): all of the teardown inline. */
    boolean invalidate(Userptr u, MmuNotifierRange range, long curSeq) {
        return begin(u, range, curSeq, false).ok();
    }

    /** xe_vma_userptr_invalidate_start: the first pass; hands out the embedded finish when it is free. */
    StartResult invalidateStart(Userptr u, MmuNotifierRange range, long curSeq) {
        return begin(u, range, curSeq, true);
    }

    /**
     * The shared body of invalidate and invalidate_start: refuse or take the user lock
     * ({@code inv_cb_start}); then ({@code inv_cb_zap}) mmu_interval_set_seq and
     * <ul>
     * <li>xe, two-pass (xe_vma_userptr_invalidate_pass1): the VM's fences not all signalled and the
     * finish free: finish_inuse = true, hand out the finish, device PTEs still live; otherwise
     * xe_vma_userptr_do_inval(false): wait for the VM's fences (first in the step), zap, submit the
     * TLB invalidation into inval_batch and, the finish free, xe_assert(!tlb_inval_submitted),
     * finish_inuse = tlb_inval_submitted = true, hand out the finish; else wait inline;</li>
     * <li>the trylock driver, single-pass invalidate: zap, submit, hand out the finish if one is
     * free (marking the fence submitted), else wait inline ({@code inv_cb_wait}; D11: a
     * single-pass invalidate does not wait).</li>
     * </ul>
     */
    private StartResult begin(Userptr u, MmuNotifierRange range, long curSeq, boolean twoPassCall) {
        stats.callbacks.incrementAndGet();
        boolean blockable = range.isBlockable();
        if (kind.isXe() && !blockable && !config.has(Mutation.M16)) {
            stats.refusals.incrementAndGet();
            return StartResult.refused();                   // if (!mmu_notifier_range_blockable(range)) return false;
        }
        if (kind == DriverKind.TRYLOCK && !blockable) {
            // test_hmm: *finish is set first; mutex_trylock or return false
            MmuIntervalNotifierFinish offered = twoPassCall && u.finishFreeBeforeTrylock(config.has(Mutation.M15)) ? u.finish : null;
            if (!notifierLock.tryLock()) {
                stats.refusals.incrementAndGet();
                return new StartResult(false, offered);
            }
        } else if (kind.isXe() && config.has(Mutation.D8)) {
            // D8: a defective xe start gives up on a held lock and returns false although blockable
            if (!notifierLock.tryLock()) {
                stats.refusals.incrementAndGet();
                return StartResult.refused();
            }
        } else {
            nonBlock.mightSleep(name + ": down_write(notifier_lock) in invalidate_start");
            notifierLock.lock();
        }
        sched.at(Label.INV_CB_ZAP);
        boolean m15 = config.has(Mutation.M15);
        boolean xePass1 = kind.isXe() && twoPassCall;
        if (xePass1) gpu.waitUntil(() -> u.finishFree(m15) || !gpu.vmBusy());   // do_inval's dma_resv_wait_timeout
        // D2: a start that hands out a submitted finish sets the seq after up_write
        boolean d2Later = config.has(Mutation.D2) && twoPassCall && u.finishFree(m15) && !(xePass1 && gpu.vmBusy());
        if (!config.has(Mutation.D1) && !d2Later) {
            notifierLock.assertHeld(u.name() + "->notifier.invalidate_seq", "written by mmu_interval_set_seq");
            u.notifier().setSeq(curSeq);                          // mmu_interval_set_seq(mni, cur_seq)
        }
        if (xePass1 && u.finishFree(m15) && gpu.vmBusy()) {    // pass 1 defers: the finish zaps
            u.setFinishInuse(true, "xe_vma_userptr_invalidate_pass1");
            stats.finishesHandedOut.incrementAndGet();
            notifierLock.unlock();
            return StartResult.finishLater(u.finish);
        }
        gpu.zap(u.firstPage(), u.lastPage());
        gpu.submitTlbInvalidation(u.name(), u.firstPage(), u.lastPage());   // xe_vm_invalidate_vma_submit
        if (twoPassCall) {
            if (u.finishFree(m15)) {
                if (kind.isXe()) xeAssert(u.tlbInvalSubmitted() == null, Warnings.XE_SUBMIT_FREE);
                u.setFinishInuse(true, "xe_vma_userptr_invalidate_start");
                u.setTlbInvalSubmitted(Thread.currentThread());
                stats.finishesHandedOut.incrementAndGet();
                notifierLock.unlock();
                if (d2Later) {
                    sched.at(Label.INV_CB_SET_SEQ);
                    u.notifier().setSeq(curSeq);              // D2: mmu_interval_set_seq without the lock, on purpose
                }
                return StartResult.finishLater(u.finish);
            }
            stats.finishFallbacks.incrementAndGet();
        }
        sched.at(Label.INV_CB_WAIT);
        nonBlock.mightSleep(name + ": wait for the TLB invalidation inline");
        if (twoPassCall || !config.has(Mutation.D11)) {
            gpu.waitTlbInvalidation(u.name());              // xe_vm_invalidate_vma: the fence it submitted
        }
        dmaUnmap(u);
        notifierLock.unlock();
        return StartResult.done();
    }

    /** xe_assert(cond): a WARN (CONFIG_DRM_XE_DEBUG) at {@code site} if it is false; the code goes on. */
    private void xeAssert(boolean cond, String site) { mm.warnings().warnOn(!cond, site); }

    /**
     * xe_vma_userptr_invalidate_finish: take the user lock again ({@code inv_fin_lock}; D9 skips
     * it); then ({@code inv_fin_wait}) dispatch on tlb_inval_submitted:
     * xe_vma_userptr_complete_tlb_inval (xe_assert(finish_inuse), wait for the batch inval_batch
     * holds, tlb_inval_submitted = finish_inuse = false; D10 does not wait), or
     * xe_vma_userptr_do_inval(true) (xe_assert(finish_inuse && !tlb_inval_submitted), wait for the
     * VM's fences, zap, submit, and wait for it at {@code inv_fin_sync}, finish_inuse = false);
     * unlock.
     */
    void invalidateFinish(MmuIntervalNotifierFinish f) {
        Userptr u = ((Userptr.Finish) f).userptr();
        nonBlock.mightSleep(name + ": invalidate_finish");
        boolean locked = !config.has(Mutation.D9);
        if (locked) {
            sched.at(Label.INV_FIN_LOCK);
            notifierLock.lock();
        }
        sched.at(Label.INV_FIN_WAIT);
        Thread submitter = u.tlbInvalSubmitted();
        boolean d10 = config.has(Mutation.D10);
        gpu.waitUntil(() -> submitter != null ? d10 || gpu.signalled(u.name(), submitter) : !gpu.vmBusy());
        if (submitter != null) {
            if (!d10 && submitter == Thread.currentThread()) stats.finishesThatWaited.incrementAndGet();
            xeAssert(u.finishInuseInNotifier(), Warnings.XE_COMPLETE_INUSE);
            u.setTlbInvalSubmitted(null);
        } else {
            xeAssert(u.finishInuseInNotifier(), Warnings.XE_DEFERRED_INVAL);
            gpu.zap(u.firstPage(), u.lastPage());
            gpu.submitTlbInvalidation(u.name(), u.firstPage(), u.lastPage());   // xe_vm_invalidate_vma
            sched.at(Label.INV_FIN_SYNC);
            gpu.waitTlbInvalidation(u.name());
        }
        dmaUnmap(u);
        u.setFinishInuse(false, "xe_vma_userptr_invalidate_finish");
        if (locked) notifierLock.unlock();
    }

    /** Decides whether the bind path's k-th lock (0-based) of thread {@code reader} injects (CONFIG_DRM_XE_USERPTR_INVAL_INJECT's counter). */
    @FunctionalInterface
    public interface InjectChooser {
        boolean inject(String reader, int k);

        InjectChooser NEVER = (reader, k) -> false;
    }

    private volatile InjectChooser injectChooser = InjectChooser.NEVER;
    private final java.util.Map<Thread, Integer> locksTaken = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether the bind path injects, when this driver is built with the inject path (read ahead from a trace by the replay). */
    public void setInjectChooser(InjectChooser c) { injectChooser = java.util.Objects.requireNonNull(c); }

    /**
     * xe_vma_userptr_force_invalidate, called with the notifier lock held for write (as fixed
     * upstream), from {@code read_inject}: pass 1, then do_inval(true) if it handed out a finish
     * (merged), or invalidate_finish's dispatch (fixed). The bind path then starts over.
     */
    private void forceInvalidate(Userptr u) {
        Thread me = Thread.currentThread();
        gpu.waitUntil(() -> !u.finishInuseInNotifier() || !gpu.vmBusy());   // do_inval(false)'s wait, if pass 1 goes there
        if (u.finishInuseInNotifier()) {                                   // do_inval(false), synchronous
            gpu.zap(u.firstPage(), u.lastPage());
            gpu.submitTlbInvalidation(u.name(), u.firstPage(), u.lastPage());
            sched.at(Label.READ_INJECT_SYNC);
            gpu.waitTlbInvalidation(u.name());
            notifierLock.unlock();
            return;
        }
        if (!gpu.vmBusy()) {                                     // do_inval(false): submit, hand out the finish
            xeAssert(u.tlbInvalSubmitted() == null, Warnings.XE_SUBMIT_FREE);
            gpu.zap(u.firstPage(), u.lastPage());
            gpu.submitTlbInvalidation(u.name(), u.firstPage(), u.lastPage());
            u.setFinishInuse(true, "xe_vma_userptr_force_invalidate");
            u.setTlbInvalSubmitted(me);
            if (kind.injectFixed()) {                            // the fix: complete_tlb_inval
                sched.at(Label.READ_INJECT_WAIT);
                gpu.waitTlbInvalidation(u.name());
                u.setTlbInvalSubmitted(null);
                u.setFinishInuse(false, "xe_vma_userptr_complete_tlb_inval");
                notifierLock.unlock();
                return;
            }
        } else {
            u.setFinishInuse(true, "xe_vma_userptr_invalidate_pass1");   // pass 1 defers
        }
        // do_inval(true)
        xeAssert(u.finishInuseInNotifier() && u.tlbInvalSubmitted() == null, Warnings.XE_DEFERRED_INVAL);
        sched.at(Label.READ_INJECT_INVAL);
        gpu.waitUntil(() -> !gpu.vmBusy());
        gpu.zap(u.firstPage(), u.lastPage());
        gpu.submitTlbInvalidation(u.name(), u.firstPage(), u.lastPage());   // xe_vm_invalidate_vma
        sched.at(Label.READ_INJECT_WAIT);
        gpu.waitTlbInvalidation(u.name());
        if (kind.injectFixed()) u.setTlbInvalSubmitted(null);
        u.setFinishInuse(false, "xe_vma_userptr_do_inval");
        notifierLock.unlock();
    }

    /**
     * The fault path (drm_gpusvm_get_pages, nouveau_range_fault, dmirror_range_fault):
     * mmu_interval_read_begin, read the CPU PTE (hmm_range_fault), take the user lock,
     * mmu_interval_read_retry: retry, or program the device PTE and unlock. Returns the CPU PTE
     * version installed.
     */
    public long fault(Userptr u, long page) {
        return faultIfBound(u, page).orElseThrow(() ->
                new IllegalStateException("fault on userptr " + u.name() + " after it was unbound"));
    }

    /**
     * {@link #fault}, for a userptr that may be unbound meanwhile: the fault path starts once
     * the userptr is inserted (waiting in its {@code read_begin} step until then), and stops
     * without installing if the userptr is unbound, seen at {@code read_begin} (xe: the VMA is
     * XE_VMA_DESTROYED) or under the user lock at {@code read_retry}. Returns the CPU PTE
     * version installed, or empty if it stopped.
     */
    public java.util.OptionalLong faultIfBound(Userptr u, long page) { return faultIfBound(u, page, false); }

    /**
     * {@link #faultIfBound}; {@code exclusive}: the fault asks for exclusive access to the page
     * (nouveau_atomic_range_fault: make_device_exclusive_range instead of hmm_range_fault), which
     * invalidates the page itself, with this driver as the range's owner. This driver's callback
     * recognises that range and returns at once without mmu_interval_set_seq (D7: it does not,
     * and sets the seq under the user lock, so the fault's own invalidation makes it retry).
     */
    public java.util.OptionalLong faultIfBound(Userptr u, long page, boolean exclusive) {
        if (Long.compareUnsigned(page, u.firstPage()) < 0 || Long.compareUnsigned(page, u.lastPage()) > 0) {
            throw new IllegalArgumentException("fault on page " + page + " outside userptr " + u.name());
        }
        stats.faults.incrementAndGet();
        for (;;) {
            sched.at(Label.READ_BEGIN);
            // one wait for the whole step: the userptr gone (stop), or inserted and subscriptions->lock free
            java.util.OptionalLong begun = mm.subscriptions().readBeginUnlessGone(() -> u.isBoundReadOnce() ? u.notifier() : null, u::isGoneReadOnce);
            if (begun.isEmpty()) return java.util.OptionalLong.empty();
            long seq = begun.getAsLong();
            ReadSection before = reads.get(Thread.currentThread());
            reads.put(Thread.currentThread(), new ReadSection(seq, before == null ? 0 : before.pteRead()));
            sched.changes().touch(SpecVar.RVAL);
            sched.at(Label.READ_PTE);
            if (exclusive) {
                mm.subscriptions().ownExclusiveInvalidation(notifierLock, cur -> {
                    if (!config.has(Mutation.D7)) return;        // range->owner == this device: filtered
                    notifierLock.lock();
                    u.notifier().setSeq(cur);                      // D7: mmu_interval_set_seq on its own range
                    notifierLock.unlock();
                });
            }
            long v = mm.ptes().pte(page);
            reads.put(Thread.currentThread(), new ReadSection(seq, v));
            sched.changes().touch(SpecVar.RVAL);
            sched.at(Label.READ_LOCK);
            userLock();
            int k = locksTaken.merge(Thread.currentThread(), 1, Integer::sum) - 1;   // this thread's k-th read_lock
            if (kind.inject() && u.twoPass() && !u.isGone() && injectChooser.inject(Thread.currentThread().getName(), k)) {
                sched.at(Label.READ_INJECT);
                forceInvalidate(u);
                continue;
            }
            sched.at(Label.READ_RETRY);
            notifierLock.assertHeld(u.name() + "->notifier.invalidate_seq", "read by mmu_interval_read_retry");
            boolean retry = config.has(Mutation.D4)   // 2019: "valid" while no invalidation runs, subscriptions' seq read unlocked
                    ? u.notifier().readOnceInvalidateSeq() == mm.subscriptions().readOnceInvalidateSeq()
                    : u.notifier().readRetry(seq);
            if (u.isGone()) {                                   // unbound under this lock by userptrRemove: stop
                userUnlock();
                return java.util.OptionalLong.empty();
            }
            if (retry) {
                stats.retries.incrementAndGet();
                userUnlock();
                continue;
            }
            if (config.has(Mutation.D3)) {
                userUnlock();
                sched.at(Label.READ_INSTALL);
                gpu.installUnlocked(page, v);                // D3: after up_write, on purpose
                if (iommu) gpu.dmaMap(page, v);
                if (kind.bindFences()) gpu.submitBindJob();
            } else {
                gpu.install(page, v);
                if (iommu) gpu.dmaMap(page, v);             // drm_gpusvm_get_pages maps the pages under the notifier lock
                if (kind.bindFences()) gpu.submitBindJob();  // the bind job's fence joins the VM's dma-resv
                userUnlock();
            }
            return java.util.OptionalLong.of(v);
        }
    }

    /**
     * drm_gpusvm_unmap_pages in the invalidation (xe_vma_userptr_do_inval,
     * xe_vma_userptr_complete_tlb_inval), after its TLB invalidation completed; D6 leaves the
     * pages mapped.
     */
    private void dmaUnmap(Userptr u) {
        if (!config.has(Mutation.D6)) gpu.dmaUnmap(u.firstPage(), u.lastPage());
    }

    /**
     * The fault path's lock: xe's notifier_lock in read mode (down_read), except with
     * CONFIG_DRM_XE_USERPTR_INVAL_INJECT, whose bind path holds it for write (as fixed upstream);
     * the trylock driver's mutex (GpuDriver.tla's ReadMode).
     */
    private boolean readMode() { return kind.isXe() && !kind.inject(); }

    private void userLock() { if (readMode()) notifierLock.lockRead(); else notifierLock.lock(); }

    private void userUnlock() { if (readMode()) notifierLock.unlockRead(); else notifierLock.unlock(); }

    /** The holders of the user lock in read mode (for the abstraction function). */
    public java.util.List<Thread> notifierLockReaders() { return notifierLock.readers(); }

    /** The read section thread {@code t} is in, if it is in the fault path. */
    public java.util.Optional<ReadSection> readSectionOf(Thread t) { return java.util.Optional.ofNullable(reads.get(t)); }

    /** finish_inuse changed without the notifier lock (D9): the spec's FinishSlotUnderUserLock breaks. */
    void reportNotifierLockNotHeld(String where) {
        mm.observer().lockNotHeld(notifierLock.name(), where);
    }

    public String name() { return name; }
    public GpuDevice gpu() { return gpu; }
    public DriverKind kind() { return kind; }
    public DriverStats stats() { return stats; }
    /** Who holds the user lock, or null (for the abstraction function). */
    public Thread notifierLockOwner() { return notifierLock.owner(); }
}
