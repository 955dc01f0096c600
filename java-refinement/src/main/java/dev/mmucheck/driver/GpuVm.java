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
        StartResult refused = enterCallback(u, range, false);
        return refused != null ? refused.ok() : invalidateLocked(u, curSeq, false).ok();
    }

    /**
     * The driver's invalidate_start: xe's {@link #xeInvalidateStart}, or the trylock driver's
     * first pass, which hands out the embedded finish when it is free.
     */
    StartResult invalidateStart(Userptr u, MmuNotifierRange range, long curSeq) {
        StartResult refused = enterCallback(u, range, true);
        if (refused != null) return refused;
        return kind.isXe() ? xeInvalidateStart(u, curSeq) : invalidateLocked(u, curSeq, true);
    }

    /**
     * The callbacks' first step ({@code inv_cb_start}): refuse, or take the user lock. xe:
     * {@code if (!mmu_notifier_range_blockable(range)) return false; down_write(notifier_lock)}
     * (M16: no blockable check; D8: a held lock makes even a blockable start return false). The
     * trylock driver, non-blockable: *finish is set first, then mutex_trylock or return false.
     * Returns the refusal, or null with the user lock held.
     */
    private StartResult enterCallback(Userptr u, MmuNotifierRange range, boolean twoPassCall) {
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
        return null;
    }

    /** mmu_interval_set_seq(mni, cur_seq), under the user lock. */
    private void mmuIntervalSetSeq(Userptr u, long curSeq) {
        notifierLock.assertHeld(u.name() + "->notifier.invalidate_seq", "written by mmu_interval_set_seq");
        u.notifier().setSeq(curSeq);
    }

    /**
     * The user lock held ({@code inv_cb_zap}): mmu_interval_set_seq (D1: not called), zap, submit
     * the TLB invalidation, and hand out the finish if this is a two-pass start and the finish is
     * free (marking the fence submitted, as xe does), else wait for it inline
     * ({@code inv_cb_wait}; D11: a single-pass invalidate does not wait). The trylock driver's
     * callbacks and the single-pass invalidate of every driver.
     */
    private StartResult invalidateLocked(Userptr u, long curSeq, boolean twoPassCall) {
        sched.at(Label.INV_CB_ZAP);
        boolean m15 = config.has(Mutation.M15);
        // D2: a start that hands out a submitted finish sets the seq after up_write
        boolean d2Later = config.has(Mutation.D2) && twoPassCall && u.finishFree(m15);
        if (!config.has(Mutation.D1) && !d2Later) mmuIntervalSetSeq(u, curSeq);
        gpu.zap(u.firstPage(), u.lastPage());
        gpu.submitTlbInvalidation(u.name(), u.firstPage(), u.lastPage());
        if (twoPassCall) {
            if (u.finishFree(m15)) {
                u.setFinishInuse(true, "invalidate_start");
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
            gpu.waitTlbInvalidation(u.name());              // the fence it submitted
        }
        dmaUnmap(u);
        notifierLock.unlock();
        return StartResult.done();
    }

    /*
     * xe (drivers/gpu/drm/xe/xe_userptr.c), one method per kernel function. The spec cuts these
     * functions into steps (GpuDriver.tla's CbZap, CbWait, FinWait, FinSync, ReadInject*), and a
     * wait is the guard of a step: it comes right after the step's label, before anything the step
     * changes. So a kernel wait that follows a change in the same step (dma_resv_wait_timeout after
     * mmu_interval_set_seq or after an xe_assert) sits at the start of its step here; XeSteps says
     * where each flow puts it.
     */

    /**
     * Where a flow cuts {@link #xeDoInval} into steps. dma_resv_wait_timeout (the VM's fences):
     * for do_inval(false) the guard of pass 1's step ({@link #xePass1Wait}, before
     * mmu_interval_set_seq); for do_inval(true) with {@code resvWaitStep} null the guard of the
     * step the caller labelled (invalidate_finish's {@code inv_fin_wait}), so before the
     * xe_assert; otherwise the guard of step {@code resvWaitStep}, after the xe_assert (in the
     * caller's step). The synchronous xe_vm_invalidate_vma waits for its fence at step
     * {@code tlbWaitStep}. {@code unmapsPages}: drm_gpusvm_unmap_pages at the end (the inject
     * path, GpuDriver.tla's ReadInject*, leaves the IOMMU mapping alone; no model has both).
     */
    private record XeSteps(Label resvWaitStep, Label tlbWaitStep, boolean unmapsPages) {}

    private static final XeSteps START = new XeSteps(null, Label.INV_CB_WAIT, true);
    private static final XeSteps FINISH = new XeSteps(null, Label.INV_FIN_SYNC, true);
    private static final XeSteps INJECT_PASS1 = new XeSteps(null, Label.READ_INJECT_SYNC, false);
    private static final XeSteps INJECT = new XeSteps(Label.READ_INJECT_INVAL, Label.READ_INJECT_WAIT, false);

    /**
     * xe_vma_userptr_invalidate_start after its blockable check and down_write
     * ({@link #enterCallback}): ({@code inv_cb_zap}) mmu_interval_set_seq (D1: not called; D2:
     * after up_write when it hands out a submitted finish), xe_vma_userptr_invalidate_pass1,
     * up_write. Pass 1's wait comes first: the step's guard.
     */
    private StartResult xeInvalidateStart(Userptr u, long curSeq) {
        sched.at(Label.INV_CB_ZAP);
        boolean m15 = config.has(Mutation.M15);     // M15: no finish_inuse, the finish always looks free
        xePass1Wait(() -> u.finishFree(m15));
        boolean d2Later = config.has(Mutation.D2) && u.finishFree(m15) && !gpu.vmBusy();
        if (!config.has(Mutation.D1) && !d2Later) mmuIntervalSetSeq(u, curSeq);
        boolean finishInuse = !u.finishFree(m15);
        if (finishInuse) stats.finishFallbacks.incrementAndGet();    // pass 1 will wait inline
        MmuIntervalNotifierFinish finish = xeInvalidatePass1(u, finishInuse, START);
        if (finish != null) stats.finishesHandedOut.incrementAndGet();
        notifierLock.unlock();
        if (d2Later) {
            sched.at(Label.INV_CB_SET_SEQ);
            u.notifier().setSeq(curSeq);                      // D2: mmu_interval_set_seq without the lock, on purpose
        }
        return finish == null ? StartResult.done() : StartResult.finishLater(finish);
    }

    /**
     * The guard of the step pass 1 runs in: pass 1 defers (the finish free, {@code finishFree}
     * as the flow reads finish_inuse) or do_inval(false)'s dma_resv_wait_timeout returns (the
     * VM's fences signalled).
     */
    private void xePass1Wait(java.util.function.BooleanSupplier finishFree) {
        gpu.waitUntil(() -> finishFree.getAsBoolean() || !gpu.vmBusy());
    }

    /**
     * xe_vma_userptr_invalidate_pass1, after {@link #xePass1Wait}: the VM's fences signalled or
     * the finish in use ({@code finishInuse}, finish_inuse as the flow reads it): do_inval(false);
     * otherwise defer: finish_inuse = true, hand out the finish, device PTEs still live.
     */
    private MmuIntervalNotifierFinish xeInvalidatePass1(Userptr u, boolean finishInuse, XeSteps steps) {
        boolean signaled = !gpu.vmBusy();
        if (signaled || finishInuse) return xeDoInval(u, false, finishInuse, steps);
        u.setFinishInuse(true, "xe_vma_userptr_invalidate_pass1");    // defer: the finish zaps
        return u.finish;
    }

    /**
     * xe_vma_userptr_do_inval(vm, uvma, is_deferred), under the notifier lock held for write:
     * is_deferred: xe_assert(finish_inuse && !tlb_inval_submitted); wait for the VM's fences
     * (where: {@link XeSteps}); then, not deferred and the finish free ({@code !finishInuse}):
     * xe_assert(!tlb_inval_submitted), finish_inuse = tlb_inval_submitted = true, zap and submit
     * into inval_batch (xe_vm_invalidate_vma_submit), hand out the finish. Otherwise the
     * synchronous xe_vm_invalidate_vma: zap, submit, wait for that fence; is_deferred:
     * finish_inuse = false; drm_gpusvm_unmap_pages. A deferred call finds finish_inuse set (its
     * xe_assert says so) and goes the synchronous way even if the assert fired, as the spec's
     * FinWait and ReadInjectInval do; {@code finishInuse} is read only when not deferred.
     */
    private MmuIntervalNotifierFinish xeDoInval(Userptr u, boolean isDeferred, boolean finishInuse, XeSteps steps) {
        if (isDeferred) {
            if (steps.resvWaitStep() == null) xeDmaResvWait();          // the guard of the caller's step
            xeAssert(u.finishInuseInNotifier() && u.tlbInvalSubmitted() == null, Warnings.XE_DEFERRED_INVAL);
            if (steps.resvWaitStep() != null) {
                sched.at(steps.resvWaitStep());
                xeDmaResvWait();
            }
        }
        if (!isDeferred && !finishInuse) {
            xeAssert(u.tlbInvalSubmitted() == null, Warnings.XE_SUBMIT_FREE);
            u.setFinishInuse(true, "xe_vma_userptr_do_inval");
            u.setTlbInvalSubmitted(Thread.currentThread());
            xeVmInvalidateVmaSubmit(u);
            return u.finish;
        }
        xeVmInvalidateVmaSubmit(u);                                   // xe_vm_invalidate_vma: submit ...
        sched.at(steps.tlbWaitStep());
        // invalidate_finish made its might_sleep check on entry
        if (!isDeferred) nonBlock.mightSleep(name + ": wait for the TLB invalidation inline");
        gpu.waitTlbInvalidation(u.name());                            // ... and wait for the fence it submitted
        if (isDeferred) u.setFinishInuse(false, "xe_vma_userptr_do_inval");
        if (steps.unmapsPages()) dmaUnmap(u);
        return null;
    }

    /**
     * xe_vma_userptr_complete_tlb_inval, its xe_tlb_inval_batch_wait (on the batch
     * inval_batch holds, submitted by {@code submitter}) the guard of the step the caller
     * labelled, so before the xe_assert (D10's finish passes {@code batchWait} false: no wait);
     * xe_assert(finish_inuse); tlb_inval_submitted = finish_inuse = false;
     * drm_gpusvm_unmap_pages. Its xe_assert(tlb_inval_submitted) holds: both callers dispatch on it.
     */
    private void xeCompleteTlbInval(Userptr u, Thread submitter, boolean batchWait, XeSteps steps) {
        gpu.waitUntil(() -> !batchWait || gpu.signalled(u.name(), submitter));
        xeAssert(u.finishInuseInNotifier(), Warnings.XE_COMPLETE_INUSE);
        u.setTlbInvalSubmitted(null);
        u.setFinishInuse(false, "xe_vma_userptr_complete_tlb_inval");
        if (steps.unmapsPages()) dmaUnmap(u);
    }

    /** xe_vm_invalidate_vma_submit: zap the userptr's device PTEs, submit the TLB invalidation of its pages (into inval_batch). */
    private void xeVmInvalidateVmaSubmit(Userptr u) {
        gpu.zap(u.firstPage(), u.lastPage());
        gpu.submitTlbInvalidation(u.name(), u.firstPage(), u.lastPage());
    }

    /** do_inval's dma_resv_wait_timeout(xe_vm_resv(vm), DMA_RESV_USAGE_BOOKKEEP): the VM's fences (bind jobs) signalled. */
    private void xeDmaResvWait() { gpu.waitUntil(() -> !gpu.vmBusy()); }

    /** xe_assert(cond): a WARN (CONFIG_DRM_XE_DEBUG) at {@code site} if it is false; the code goes on. */
    private void xeAssert(boolean cond, String site) { mm.warnings().warnOn(!cond, site); }

    /**
     * The finish (xe_vma_userptr_invalidate_finish; the trylock driver's finish is the same):
     * down_write(notifier_lock) again ({@code inv_fin_lock}; D9 skips it); then
     * ({@code inv_fin_wait}) tlb_inval_submitted ? xe_vma_userptr_complete_tlb_inval (D10: without
     * its wait) : xe_vma_userptr_do_inval(true), whose inline wait is {@code inv_fin_sync}; up_write.
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
        if (submitter != null) {
            boolean d10 = config.has(Mutation.D10);
            // the stress run's figure: a finish whose own TLB invalidation is still running when it gets here
            if (!d10 && submitter == Thread.currentThread() && !gpu.signalled(u.name(), submitter)) stats.finishesThatWaited.incrementAndGet();
            xeCompleteTlbInval(u, submitter, !d10, FINISH);
        } else {
            xeDoInval(u, true, true, FINISH);
        }
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
     * upstream), from {@code read_inject}; it unlocks at the end (the bind path then starts over):
     * <pre>
     *   finish = xe_vma_userptr_invalidate_pass1(vm, uvma);
     *   if (finish) finish = xe_vma_userptr_do_inval(vm, uvma, true);     (merged)
     *   if (finish) xe_vma_userptr_complete_tlb_inval(vm, uvma);
     * </pre>
     * do_inval(true) never hands out a finish, so the third line never runs. The fix (README)
     * replaces the second line by invalidate_finish's dispatch: tlb_inval_submitted ?
     * complete_tlb_inval : do_inval(true). tlb_inval_submitted is set here exactly when pass 1
     * submitted, which is what GpuDriver.tla's ReadInject decides by (InjectPass1Submits); after
     * a deferring pass 1 the fixed path also clears tlb_inval_submitted, as the spec's
     * ReadInjectWait does (it is clear already unless do_inval's xe_assert fired).
     */
    private void xeForceInvalidate(Userptr u) {
        xePass1Wait(() -> !u.finishInuseInNotifier());
        boolean finishInuse = u.finishInuseInNotifier();
        boolean pass1Submits = !finishInuse && !gpu.vmBusy();
        MmuIntervalNotifierFinish finish = xeInvalidatePass1(u, finishInuse, INJECT_PASS1);
        if (finish != null) {
            if (!kind.injectFixed()) {
                xeDoInval(u, true, true, INJECT);
            } else if (pass1Submits) {
                sched.at(Label.READ_INJECT_WAIT);
                xeCompleteTlbInval(u, Thread.currentThread(), true, INJECT);
            } else {
                xeDoInval(u, true, true, INJECT);
                u.setTlbInvalSubmitted(null);
            }
        }
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
                xeForceInvalidate(u);
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
