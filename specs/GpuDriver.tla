------------------------------ MODULE GpuDriver ------------------------------
(***************************************************************************)
(* The driver: one instance per GPU, each with its own user lock (xe's     *)
(* vm->svm.gpusvm.notifier_lock, test_hmm's dmirror->mutex), device page   *)
(* tables, a TLB and asynchronous TLB invalidations that only the GPU      *)
(* completes. Its mmu_interval_notifier_ops run on the invalidating thread *)
(* (steps of the Invalidator), its fault path is the Reader.               *)
(*                                                                         *)
(*  Driver[g] is the driver of GPU g's instance, so a model may mix them.  *)
(*  The xe forms (drivers/gpu/drm/xe/xe_userptr.c with the series; a VM   *)
(*  in fault mode whose userptrs are bound: initial_bind set):            *)
(*    invalidate_start: if (!blockable) return false; down_write;          *)
(*      mmu_interval_set_seq; xe_vma_userptr_invalidate_pass1:            *)
(*      - the VM's fences not all signalled and the finish free: hand out  *)
(*        the finish, device PTEs still live (the finish zaps);            *)
(*      - otherwise xe_vma_userptr_do_inval(false): wait for the VM's      *)
(*        fences; finish free: zap, submit the TLB invalidation into       *)
(*        userptr->inval_batch, tlb_inval_submitted = true, hand out the   *)
(*        finish; finish in use: zap, submit and wait inline, NULL;        *)
(*      up_write.                                                          *)
(*    invalidate_finish: down_write; tlb_inval_submitted ?                 *)
(*      xe_vma_userptr_complete_tlb_inval (wait for inval_batch) :         *)
(*      xe_vma_userptr_do_inval(true) (wait for the VM's fences, zap,     *)
(*      submit and wait); finish_inuse = false; up_write.                  *)
(*    "xe": the VM's fences have always signalled when a notifier looks   *)
(*      (bind jobs are not modelled): only the submitted-batch flow and   *)
(*      the in-use fallback; "xe-fences": the fault path's bind (Install)  *)
(*      adds a bind job's fence to the VM's dma-resv, which the GPU       *)
(*      signals later; "xe-inject": xe-fences built with                   *)
(*      CONFIG_DRM_XE_USERPTR_INVAL_INJECT (the bind path may run          *)
(*      xe_vma_userptr_force_invalidate, ReadInject); "xe-inject-fixed":   *)
(*      that path with the fix README proposes.                           *)
(*  Driver[g] = "trylock" (lib/test_hmm.c's locking, two-pass):            *)
(*    invalidate_start: *finish = free slot ? &slot : NULL; blockable:      *)
(*      mutex_lock, else mutex_trylock or return false; then zap, submit,  *)
(*      hand out the finish (it waits for that fence) or wait inline.     *)
(*  Single-pass invalidate: zap, submit, always waiting inline.            *)
(*  xe_assert()s are WARNs (CONFIG_DRM_XE_DEBUG) and the code goes on:     *)
(*  each adds its site to warn when its condition is false; MmuProperties  *)
(*  has one XeAssert_* invariant per site.                                 *)
(* TLB invalidations are fences (xe: userptr->inval_batch, submitted by   *)
(* xe_vm_invalidate_vma_submit, waited for by xe_tlb_inval_batch_wait; the *)
(* inline path xe_vm_invalidate_vma submits and waits). fences[g] holds    *)
(* the fences GPU g has not signalled yet, each [n |-> notifier, by |->    *)
(* invalidator]: one callback's TLB invalidation of its notifier's pages.  *)
(* A finish or an inline wait waits for its own fence only (the finish     *)
(* pass runs on the invalidating thread, whose start submitted it). The   *)
(* GPU signals its pending fences in any order.                            *)
(* Simplifications (README "What is abstracted"): a zap clears the whole   *)
(* notifier's pages on its GPU; a fence covers exactly those pages, and    *)
(* when the GPU signals it, every translation of those pages cached on    *)
(* that GPU is dropped (also one cached after the submit); a device PTE is *)
(* cached in the TLB as soon as it is installed (the GPU uses it at once). *)
(***************************************************************************)
EXTENDS MmuNotifierCore

XeDrivers == {"xe", "xe-fences", "xe-inject", "xe-inject-fixed"}
IsXe(g) == Driver[g] \in XeDrivers
\* the fault path's bind adds a bind job's fence to the VM's dma-resv
BindFences(g) == Driver[g] \in {"xe-fences", "xe-inject", "xe-inject-fixed"}
\* CONFIG_DRM_XE_USERPTR_INVAL_INJECT
Inject(g) == Driver[g] \in {"xe-inject", "xe-inject-fixed"}
InjectFixed(g) == Driver[g] = "xe-inject-fixed"

\* xe_vma_userptr_invalidate_start: if (!mmu_notifier_range_blockable(range)) return false;
\* M16 drops the check: a non-blockable start then sleeps like a blockable one.
XeRefuses(i, g) == IsXe(g) /\ ~Blk(i) /\ ~M("M16")
(* The readers whose fault path asks for exclusive access to the page     *)
(* (nouveau_atomic_range_fault: make_device_exclusive_range instead of     *)
(* hmm_range_fault). None by default; a model names them by overriding     *)
(* this definition in its .cfg (ExclusiveReaders <- ...).                  *)
ExclusiveReaders == {}
\* the TLB invalidation fence process p (an invalidator's callback, an unbind, an inject) submitted for notifier n
Fence(n, p) == [n |-> n, by |-> p]
\* dma_fence_is_signaled: that fence is not pending on n's GPU
FenceSignalled(n, p) == Fence(n, p) \notin fences[GpuOf(n)]
\* a bind job's fence (xe_vma_rebind's page-table update job, in the VM's dma-resv, BOOKKEEP)
BindFence(r) == [n |-> NoNotifier, by |-> r]
\* xe_vma_userptr_invalidate_pass1's dma_resv_for_each_fence loop: some fence of the VM is
\* not signalled (dma_resv_wait_timeout(DMA_RESV_USAGE_BOOKKEEP) waits while this holds)
VmBusy(g) == \E f \in fences[g] : f.n = NoNotifier
\* the finish a start can hand out: the embedded one, unless in use (M15: no finish_inuse)
FreeFinish(n) == UsesStart(n) /\ (~finuse[n] \/ M("M15"))

(* The IOMMU (DMA) mapping of the pages a fault got (xe: drm_gpusvm_get_pages *)
(* dma-maps them under the notifier lock once mmu_interval_read_retry said *)
(* no; has_dma_mapping). Off (iommu stays 0) unless a model overrides      *)
(* ModelIommu (ModelIommu <- IommuOn): it adds states the other models do   *)
(* not need.                                                               *)
ModelIommu == FALSE
(* drm_gpusvm_unmap_pages: the invalidation removes the IOMMU mapping of    *)
(* notifier n's pages on its GPU, after its TLB invalidation completed and *)
(* before it returns to the core (xe: xe_vma_userptr_do_inval and          *)
(* xe_vma_userptr_complete_tlb_inval; "drm/xe/userptr: Unmap userptrs in   *)
(* the mmu notifier", 2025). D6 leaves the mapping (the unmap deferred to  *)
(* a later rebind or the userptr's destruction).                           *)
DmaUnmap(n) ==
    iommu' = IF M("D6") THEN iommu
             ELSE [iommu EXCEPT ![GpuOf(n)] = [p \in Pages |-> IF p \in NotifierPages[n] THEN 0 ELSE @[p]]]
\* D2: the start that hands out a submitted finish sets the seq after up_write (CbSetSeq)
D2SetsLater(n) == M("D2") /\ FreeFinish(n) /\ ~(IsXe(GpuOf(n)) /\ UsesStart(n) /\ VmBusy(GpuOf(n)))
\* an xe two-pass start whose pass 1 defers (fences not signalled, finish free):
\* it hands out the finish and zaps nothing
XeDefers(n) == IsXe(GpuOf(n)) /\ UsesStart(n) /\ FreeFinish(n) /\ VmBusy(GpuOf(n))

\* the xe_assert() sites (xe_userptr.c), as the WARNs they are with CONFIG_DRM_XE_DEBUG
WarnXeDeferredInval == "xe_vma_userptr_do_inval: xe_assert(finish_inuse && !tlb_inval_submitted)"
WarnXeSubmitFree == "xe_vma_userptr_do_inval: xe_assert(!tlb_inval_submitted)"
WarnXeCompleteInuse == "xe_vma_userptr_complete_tlb_inval: xe_assert(finish_inuse)"
WarnXeCompleteSubmitted == "xe_vma_userptr_complete_tlb_inval: xe_assert(tlb_inval_submitted)"
\* warn plus site w if condition c is false
XeWarnUnless(c, w) == IF c THEN {} ELSE {w}
\* a device's PTEs of notifier n's pages zapped
Zapped(g, n) == [dpte EXCEPT ![g] = [p \in Pages |-> IF p \in NotifierPages[n] THEN 0 ELSE @[p]]]

(* invalidate_start / invalidate, the prologue up to holding the user lock *)
(* (xe: down_write(&vm->svm.gpusvm.notifier_lock); test_hmm: mutex_lock,   *)
(* or mutex_trylock when not blockable). D8: an xe start that finds the    *)
(* lock held returns false although the range is blockable (a defective    *)
(* driver); mn_itree_invalidate WARNs and continues, nothing torn down.    *)
CbStart(i) ==
    LET n == cursor[i]
        g == GpuOf(n)
    IN /\ pc[i] = "inv_cb_start"
       /\ \/ /\ XeRefuses(i, g)
             /\ CallbackReturns(i, FALSE, NoNotifier)
             /\ UNCHANGED ulock
          \/ /\ M("D8") /\ IsXe(g) /\ Blk(i) /\ ~UserLockFree(g)   \* D8: gives up, returns false
             /\ CallbackReturns(i, FALSE, NoNotifier)
             /\ UNCHANGED ulock
          \/ /\ ~XeRefuses(i, g)
             /\ Blk(i) \/ IsXe(g)
             /\ UserLockFree(g)                               \* down_write sleeps until free
             /\ ulock' = [ulock EXCEPT ![g] = i]
             /\ Goto(i, "inv_cb_zap")
             /\ UNCHANGED warn
          \/ /\ Driver[g] = "trylock" /\ ~Blk(i)
             /\ IF UserLockFree(g)
                THEN /\ ulock' = [ulock EXCEPT ![g] = i]
                     /\ Goto(i, "inv_cb_zap")
                     /\ UNCHANGED warn
                ELSE /\ CallbackReturns(i, FALSE, IF FreeFinish(n) THEN n ELSE NoNotifier)
                     /\ UNCHANGED ulock
       /\ step' = Step(i, "inv_cb_start", n, irange[i])
       /\ UNCHANGED rlock
       /\ UNCHANGED <<coreVars, pte, finuse, tlbsub, dpte, tlb, iommu, fences, readVars, rmseq>>

(* Under the user lock: mmu_interval_set_seq(interval_sub, cur_seq) (D1:    *)
(* not called); then                                                       *)
(* - xe, two-pass, xe_vma_userptr_invalidate_pass1: fences not signalled    *)
(*   and the finish free (XeDefers): finish_inuse = true, hand out the     *)
(*   finish, zap nothing; otherwise xe_vma_userptr_do_inval(vm, uvma,      *)
(*   false), whose dma_resv_wait_timeout is this step's guard (nobody sees *)
(*   iseq or the device between set_seq and it: the lock is held for       *)
(*   write): finish free: xe_assert(!tlb_inval_submitted), finish_inuse =  *)
(*   tlb_inval_submitted = true, zap and submit into inval_batch           *)
(*   (xe_vm_invalidate_vma_submit), hand out the finish; finish in use:    *)
(*   zap, submit, wait inline (CbWait; xe_vm_invalidate_vma);              *)
(* - the trylock driver and single-pass invalidate: zap, submit; a         *)
(*   two-pass start with a free finish hands it out (the trylock driver    *)
(*   marks the fence submitted as xe does), else wait inline (CbWait).     *)
CbZap(i) ==
    LET n == cursor[i]
        g == GpuOf(n)
    IN /\ pc[i] = "inv_cb_zap"
       /\ iseq' = IF M("D1") \/ D2SetsLater(n) THEN iseq ELSE [iseq EXCEPT ![n] = cur[i]]
       /\ IF XeDefers(n)
          THEN /\ finuse' = [finuse EXCEPT ![n] = TRUE]
               /\ ulock' = [ulock EXCEPT ![g] = NoProc]
               /\ CallbackReturns(i, TRUE, n)
               /\ UNCHANGED <<tlbsub, dpte, iommu, fences>>
          ELSE /\ IsXe(g) /\ UsesStart(n) => ~VmBusy(g)     \* do_inval: dma_resv_wait_timeout
               /\ dpte' = Zapped(g, n)                      \* the start zaps the device PTEs
               /\ fences' = [fences EXCEPT ![g] = @ \cup {Fence(n, i)}]
               /\ IF FreeFinish(n)
                  THEN /\ finuse' = [finuse EXCEPT ![n] = TRUE]
                       /\ tlbsub' = [tlbsub EXCEPT ![n] = i]
                       /\ ulock' = [ulock EXCEPT ![g] = NoProc]
                       /\ LET w == IF IsXe(g) THEN XeWarnUnless(tlbsub[n] = NoProc, WarnXeSubmitFree) ELSE {}
                          IN IF D2SetsLater(n)
                             THEN /\ Goto(i, "inv_cb_set_seq") /\ warn' = warn \cup w
                             ELSE CallbackReturnsWarn(i, TRUE, n, w)
                  ELSE /\ Goto(i, "inv_cb_wait")
                       /\ UNCHANGED <<finuse, tlbsub, ulock, warn>>
       /\ step' = Step(i, "inv_cb_zap", n, irange[i])
       /\ UNCHANGED rlock
       /\ UNCHANGED <<seq, active, tree, deferred, slock, wq, pte, tlb, iommu, readVars, rmseq>>

(* D2: mmu_interval_set_seq outside the user lock: a start that hands out  *)
(* its finish (the series' new path) sets the seq after up_write, so a     *)
(* fault path may take the lock in between and pass mmu_interval_read_retry.*)
CbSetSeq(i) ==
    LET n == cursor[i]
    IN /\ pc[i] = "inv_cb_set_seq"
       /\ iseq' = [iseq EXCEPT ![n] = cur[i]]
       /\ CallbackReturns(i, TRUE, n)
       /\ step' = Step(i, "inv_cb_set_seq", n, irange[i])
       /\ UNCHANGED rlock
       /\ UNCHANGED <<seq, active, tree, deferred, slock, wq, deviceVars, readVars, rmseq>>

(* The synchronous path (single-pass invalidate, or the finish in use):    *)
(* wait for this notifier's own TLB invalidation fence (xe_vm_invalidate_vma *)
(* waits for the fence it submitted); up_write; return true.               *)
(* D11: a single-pass invalidate returns before its fence signals.         *)
InlineWaitDone(i, n) == FenceSignalled(n, i) \/ (M("D11") /\ ~UsesStart(n))
CbWait(i) ==
    LET n == cursor[i]
        g == GpuOf(n)
    IN /\ pc[i] = "inv_cb_wait"
       /\ InlineWaitDone(i, n)
       /\ DmaUnmap(n)
       /\ ulock' = [ulock EXCEPT ![g] = NoProc]
       /\ CallbackReturns(i, TRUE, NoNotifier)
       /\ step' = Step(i, "inv_cb_wait", n, irange[i])
       /\ UNCHANGED rlock
       /\ UNCHANGED <<coreVars, pte, finuse, tlbsub, dpte, tlb, fences, readVars, rmseq>>

(* invalidate_finish: down_write(notifier_lock) again (D9 skips this).     *)
FinLock(i) ==
    LET n == Head(flist[i])
        g == GpuOf(n)
    IN /\ pc[i] = "inv_fin_lock"
       /\ UserLockFree(g)
       /\ ulock' = [ulock EXCEPT ![g] = i]
       /\ Goto(i, "inv_fin_wait")
       /\ step' = Step(i, "inv_fin_lock", n, irange[i])
       /\ UNCHANGED rlock
       /\ UNCHANGED <<coreVars, pte, finuse, tlbsub, dpte, tlb, iommu, fences, readVars, rmseq, warn>>

\* the finish's end: finish_inuse = false (and tlb_inval_submitted, if t); up_write; the
\* finish pass moves to the next finish
FinishDone(i, n, t) ==
    LET g == GpuOf(n)
        rest == Tail(flist[i])
    IN /\ DmaUnmap(n)
       /\ finuse' = [finuse EXCEPT ![n] = FALSE]
       /\ tlbsub' = IF t THEN [tlbsub EXCEPT ![n] = NoProc] ELSE tlbsub
       /\ ulock' = IF ulock[g] = i THEN [ulock EXCEPT ![g] = NoProc] ELSE ulock
       /\ Leave(i, NextFinish(i, rest, err[i]), err[i], rest, cursor[i])

(* xe_vma_userptr_invalidate_finish, under the lock, dispatches on         *)
(* tlb_inval_submitted:                                                     *)
(* - set: xe_vma_userptr_complete_tlb_inval: xe_assert(finish_inuse),      *)
(*   xe_assert(tlb_inval_submitted); xe_tlb_inval_batch_wait on the fence  *)
(*   inval_batch holds (tlbsub[n]: on the normal path the one this         *)
(*   invalidation's start submitted); tlb_inval_submitted = finish_inuse = *)
(*   false; up_write. D10: returns without waiting for that fence.         *)
(* - clear (pass 1 deferred): xe_vma_userptr_do_inval(vm, uvma, true):     *)
(*   xe_assert(finish_inuse && !tlb_inval_submitted); wait for the VM's    *)
(*   fences (this step's guard); finish_inuse is set, so the synchronous    *)
(*   xe_vm_invalidate_vma: zap, submit, and wait (FinSync).                *)
FinishWaitDone(n) == FenceSignalled(n, tlbsub[n]) \/ M("D10")
FinWait(i) ==
    LET n == Head(flist[i])
        g == GpuOf(n)
    IN /\ pc[i] = "inv_fin_wait"
       /\ IF tlbsub[n] # NoProc
          THEN /\ FinishWaitDone(n)
               /\ FinishDone(i, n, TRUE)
               /\ warn' = warn \cup XeWarnUnless(finuse[n], WarnXeCompleteInuse)
               /\ UNCHANGED <<dpte, fences>>
          ELSE /\ ~VmBusy(g)
               /\ dpte' = Zapped(g, n)
               /\ fences' = [fences EXCEPT ![g] = @ \cup {Fence(n, i)}]
               /\ warn' = warn \cup XeWarnUnless(finuse[n], WarnXeDeferredInval)
               /\ Goto(i, "inv_fin_sync")
               /\ UNCHANGED <<finuse, tlbsub, ulock, iommu>>
       /\ step' = Step(i, "inv_fin_wait", n, irange[i])
       /\ UNCHANGED rlock
       /\ UNCHANGED <<coreVars, pte, tlb, readVars, rmseq>>

(* do_inval(true)'s xe_vm_invalidate_vma waits for the fence it submitted; *)
(* if (is_deferred) finish_inuse = false; drm_gpusvm_unmap_pages; up_write. *)
FinSync(i) ==
    LET n == Head(flist[i])
    IN /\ pc[i] = "inv_fin_sync"
       /\ FenceSignalled(n, i)
       /\ FinishDone(i, n, FALSE)
       /\ step' = Step(i, "inv_fin_sync", n, irange[i])
       /\ UNCHANGED rlock
       /\ UNCHANGED <<coreVars, pte, dpte, tlb, fences, readVars, rmseq, warn>>

-----------------------------------------------------------------------------
(* GPU g completes the pending TLB invalidation f and its fence signals    *)
(* (xe_guc_tlb_inval_done_handler): the translations it covers, its        *)
(* notifier's pages on g, are dropped from g's TLB. A GPU may complete its *)
(* pending fences in any order. A bind job's fence (f.n = NoNotifier)      *)
(* covers no pages: the job is done, the VM's dma-resv has one fence less. *)
FencePages(f) == IF f.n = NoNotifier THEN {} ELSE NotifierPages[f.n]
GpuTlbInvalDone(g, f) ==
    /\ f \in fences[g]
    /\ fences' = [fences EXCEPT ![g] = @ \ {f}]
    /\ tlb' = [tlb EXCEPT ![g] = [p \in Pages |-> IF p \in FencePages(f) THEN 0 ELSE @[p]]]
    /\ step' = Step(g, "gpu_tlb_inval_done", f.n, FencePages(f))
    /\ UNCHANGED <<coreVars, pc, invVars, pte, ulock, rlock, finuse, tlbsub, dpte, iommu, readVars, rmseq, warn>>

-----------------------------------------------------------------------------
(* The fault path (nouveau_range_fault, drm_gpusvm_get_pages, test_hmm's   *)
(* dmirror_range_fault): after mmu_interval_read_begin, hmm_range_fault    *)
(* reads the CPU PTE without the user lock.                                *)
ReadPte(r) ==
    /\ pc[r] = "read_pte"
    /\ r \notin ExclusiveReaders
    /\ rval' = [rval EXCEPT ![r] = pte[ReaderPage[r]]]
    /\ pc' = [pc EXCEPT ![r] = "read_lock"]
    /\ step' = Step(r, "read_pte", ReaderNotifier[r], {ReaderPage[r]})
    /\ UNCHANGED rlock
    /\ UNCHANGED <<coreVars, invVars, deviceVars, rseq, nreads, rmseq, warn>>

(* make_device_exclusive_range(), called by the fault path between         *)
(* mmu_interval_read_begin and the user lock, invalidates the page itself  *)
(* (an MMU_NOTIFY_EXCLUSIVE range whose owner is this driver) and returns  *)
(* the page. The model runs that invalidation as one step, when no other   *)
(* is in progress and the user lock is free, in models where the reader's *)
(* notifier is the only one over its page: mn_itree_inv_start_range        *)
(* (seq |= 1, cur_seq), the driver's callback, mn_itree_inv_end (seq++;    *)
(* the deferred list is empty while no range is active; wake_up_all). The  *)
(* callback recognises its own exclusive range and returns at once without *)
(* mmu_interval_set_seq (nouveau: range->event == MMU_NOTIFY_EXCLUSIVE &&  *)
(* range->owner == the device). D7 drops that filter: the callback takes  *)
(* the user lock and sets the seq to cur_seq, so the fault's own           *)
(* invalidation makes its mmu_interval_read_retry fail, every time.       *)
ReadExclusive(r) ==
    LET n == ReaderNotifier[r]
        cs == SeqSetOdd(seq)
    IN /\ pc[r] = "read_pte"
       /\ r \in ExclusiveReaders
       /\ SubsLockFree /\ active = 0 /\ UserLockFree(GpuOf(n))
       /\ seq' = SeqInc(cs)
       /\ iseq' = IF M("D7") THEN [iseq EXCEPT ![n] = cs] ELSE iseq
       /\ wq' = IF M("M13") THEN wq ELSE {}     \* its mn_itree_inv_end's wake_up_all
       /\ rval' = [rval EXCEPT ![r] = pte[ReaderPage[r]]]
       /\ pc' = [pc EXCEPT ![r] = "read_lock"]
       /\ step' = Step(r, "read_pte", n, {ReaderPage[r]})
       /\ UNCHANGED <<active, tree, deferred, slock, invVars, deviceVars, rseq, nreads, rmseq, warn>>

\* xe's fault path takes notifier_lock in read mode (down_read); the trylock driver's is a
\* mutex, and with CONFIG_DRM_XE_USERPTR_INVAL_INJECT the bind path takes it for write
ReadMode(g) == IsXe(g) /\ ~Inject(g)
\* the fault path's up_read / up_write / mutex_unlock
UserUnlock(r, g) ==
    IF ReadMode(g)
    THEN /\ rlock' = [rlock EXCEPT ![g] = @ \ {r}] /\ UNCHANGED ulock
    ELSE /\ ulock' = [ulock EXCEPT ![g] = NoProc] /\ UNCHANGED rlock

(* take the user lock (mutex_lock / down_read(notifier_lock)). With       *)
(* CONFIG_DRM_XE_USERPTR_INVAL_INJECT the bind path holds it for write (as *)
(* fixed upstream) and its vma_check_userptr may inject (its counter,      *)
(* decided here: the next step is read_inject) instead of read_retry.     *)
ReadLockNext(r) ==
    LET n == ReaderNotifier[r]
    IN IF Inject(GpuOf(n)) /\ UsesStart(n) /\ ~Unbound(n) THEN {"read_retry", "read_inject"} ELSE {"read_retry"}
ReadLock(r) ==
    LET g == GpuOf(ReaderNotifier[r])
    IN /\ pc[r] = "read_lock"
       /\ IF ReadMode(g)
          THEN /\ ulock[g] = NoProc                         \* down_read: no writer
               /\ rlock' = [rlock EXCEPT ![g] = @ \cup {r}]
               /\ UNCHANGED ulock
          ELSE /\ UserLockFree(g)
               /\ ulock' = [ulock EXCEPT ![g] = r]
               /\ UNCHANGED rlock
       /\ \E l \in ReadLockNext(r) : pc' = [pc EXCEPT ![r] = l]
       /\ step' = Step(r, "read_lock", ReaderNotifier[r], {ReaderPage[r]})
       /\ UNCHANGED <<coreVars, invVars, pte, finuse, tlbsub, dpte, tlb, iommu, fences, readVars, rmseq, warn>>

\* program the device PTE from the CPU PTE version read (the GPU caches it at once)
Install(r) ==
    LET g == GpuOf(ReaderNotifier[r])
        p == ReaderPage[r]
    IN /\ dpte' = [dpte EXCEPT ![g][p] = rval[r]]
       /\ tlb' = [tlb EXCEPT ![g][p] = rval[r]]
       /\ iommu' = IF ModelIommu THEN [iommu EXCEPT ![g][p] = rval[r]] ELSE iommu
       \* xe-fences: the bind (xe_vma_rebind) is a GPU job whose fence joins the VM's dma-resv
       /\ fences' = IF BindFences(g) THEN [fences EXCEPT ![g] = @ \cup {BindFence(r)}] ELSE fences
       /\ nreads' = [nreads EXCEPT ![r] = @ + 1]
       /\ pc' = [pc EXCEPT ![r] = IF nreads[r] + 1 < MaxReads THEN "read_begin" ELSE "done"]

(* mmu_interval_read_retry(interval_sub, seq) under the user lock: a       *)
(* different interval_sub->invalidate_seq means an invalidation collided:  *)
(* unlock and start over; else program the device PTE and unlock.          *)
(* D4 is the 2019 hmm_range 'valid' flag: retry only while an invalidation *)
(* of this notifier is in progress. D3 installs after dropping the lock.   *)
(* A userptr unbound meanwhile (Unbind, under this lock) is not installed: *)
(* the fault path stops (xe: the VMA is XE_VMA_DESTROYED).                 *)
ReadRetry(r) ==
    LET n == ReaderNotifier[r]
        g == GpuOf(n)
        retry == IF M("D4") THEN iseq[n] = seq ELSE iseq[n] # rseq[r]
    IN /\ pc[r] = "read_retry"
       /\ UserUnlock(r, g)
       /\ IF Unbound(n)     \* unbound under this lock: install nothing, stop
          THEN /\ pc' = [pc EXCEPT ![r] = "done"]
               /\ UNCHANGED <<dpte, tlb, iommu, nreads, fences>>
          ELSE IF retry
          THEN /\ pc' = [pc EXCEPT ![r] = "read_begin"]
               /\ UNCHANGED <<dpte, tlb, iommu, nreads, fences>>
          ELSE IF M("D3")
          THEN /\ pc' = [pc EXCEPT ![r] = "read_install"]
               /\ UNCHANGED <<dpte, tlb, iommu, nreads, fences>>
          ELSE Install(r)
       /\ step' = Step(r, "read_retry", n, {ReaderPage[r]})
       /\ UNCHANGED <<coreVars, invVars, pte, finuse, tlbsub, rseq, rval, rmseq, warn>>

(* D3 only: the device PTE is programmed after the user lock was dropped. *)
ReadInstall(r) ==
    /\ pc[r] = "read_install"
    /\ Install(r)
    /\ step' = Step(r, "read_install", ReaderNotifier[r], {ReaderPage[r]})
    /\ UNCHANGED <<coreVars, invVars, pte, ulock, rlock, finuse, tlbsub, rseq, rval, rmseq, warn>>

(* The fault path of a userptr the driver has unbound (xe: the VMA is      *)
(* XE_VMA_DESTROYED, so xe_vma_userptr_pin_pages returns at once): the     *)
(* reader stops without calling mmu_interval_read_begin. (Before the       *)
(* insert the reader waits: ReadBegin needs its notifier Bound.)           *)
ReadGone(r) ==
    /\ pc[r] = "read_begin"
    /\ Unbound(ReaderNotifier[r])
    /\ pc' = [pc EXCEPT ![r] = "done"]
    /\ step' = Step(r, "read_begin", ReaderNotifier[r], {})
    /\ UNCHANGED rlock
    /\ UNCHANGED <<coreVars, invVars, deviceVars, readVars, rmseq, warn>>

-----------------------------------------------------------------------------
(* CONFIG_DRM_XE_USERPTR_INVAL_INJECT: the bind path's pre-commit          *)
(* (xe_pt_svm_userptr_pre_commit -> vma_check_userptr) may call            *)
(* xe_vma_userptr_force_invalidate under vm->lock, the VM's resv and the    *)
(* notifier lock, held for write as fixed upstream (the lock the reader    *)
(* took at read_lock, where it decided to inject: ReadLockNext):           *)
(*   if (!mmu_interval_read_retry(...)) notifier_seq -= 2;  (the bind then *)
(*     finds its pages stale and the fault path starts over: read_begin)   *)
(*   finish = xe_vma_userptr_invalidate_pass1(vm, uvma);                   *)
(*   if (finish) finish = xe_vma_userptr_do_inval(vm, uvma, true);         *)
(*   if (finish) xe_vma_userptr_complete_tlb_inval(vm, uvma);              *)
(* do_inval(true) never hands out a finish (finish_inuse is set), so the   *)
(* third line never runs. "xe-inject-fixed" replaces the second line by    *)
(* invalidate_finish's dispatch: if (finish) tlb_inval_submitted ?         *)
(* complete_tlb_inval : do_inval(true).                                    *)
(* ReadInject is pass 1 (kick the fences, then as CbZap): fences signalled *)
(* and the finish free: xe_assert(!tlb_inval_submitted), zap, submit into  *)
(* inval_batch, finish_inuse = tlb_inval_submitted = true, a finish; then  *)
(* (merged) do_inval(true)'s xe_assert(finish_inuse &&                     *)
(* !tlb_inval_submitted) fires and ReadInjectInval follows, or (fixed)     *)
(* complete_tlb_inval, ReadInjectWait. Fences pending, finish free:        *)
(* finish_inuse = true, a finish; do_inval(true) (its assert holds),       *)
(* ReadInjectInval. Finish in use: do_inval(false), wait for the VM's      *)
(* fences (this step's guard), zap, submit, wait (ReadInjectSync).         *)
InjectPass1Submits(n) == ~finuse[n] /\ ~VmBusy(GpuOf(n))
ReadInject(r) ==
    LET n == ReaderNotifier[r]
        g == GpuOf(n)
    IN /\ pc[r] = "read_inject"
       /\ finuse[n] => ~VmBusy(g)                              \* do_inval(false)'s wait
       /\ IF finuse[n]
          THEN /\ dpte' = Zapped(g, n)
               /\ fences' = [fences EXCEPT ![g] = @ \cup {Fence(n, r)}]
               /\ pc' = [pc EXCEPT ![r] = "read_inject_sync"]
               /\ UNCHANGED <<finuse, tlbsub, warn>>
          ELSE IF InjectPass1Submits(n)
          THEN /\ dpte' = Zapped(g, n)
               /\ fences' = [fences EXCEPT ![g] = @ \cup {Fence(n, r)}]
               /\ finuse' = [finuse EXCEPT ![n] = TRUE]
               /\ tlbsub' = [tlbsub EXCEPT ![n] = r]
               /\ IF InjectFixed(g)
                  THEN /\ pc' = [pc EXCEPT ![r] = "read_inject_wait"]
                       /\ warn' = warn \cup XeWarnUnless(tlbsub[n] = NoProc, WarnXeSubmitFree)
                  ELSE /\ pc' = [pc EXCEPT ![r] = "read_inject_inval"]
                       \* do_inval(true) right after: tlb_inval_submitted is now set
                       /\ warn' = warn \cup XeWarnUnless(tlbsub[n] = NoProc, WarnXeSubmitFree)
                                       \cup {WarnXeDeferredInval}
          ELSE /\ finuse' = [finuse EXCEPT ![n] = TRUE]          \* pass 1 defers
               /\ pc' = [pc EXCEPT ![r] = "read_inject_inval"]
               /\ warn' = warn \cup XeWarnUnless(tlbsub[n] = NoProc, WarnXeDeferredInval)
               /\ UNCHANGED <<tlbsub, dpte, iommu, fences>>
       /\ step' = Step(r, "read_inject", n, {ReaderPage[r]})
       /\ UNCHANGED <<coreVars, invVars, pte, ulock, rlock, tlb, iommu, readVars, rmseq>>

(* do_inval(true) of the inject path, after its assert: wait for the VM's  *)
(* fences; finish_inuse is set, so the synchronous xe_vm_invalidate_vma:   *)
(* zap, submit (the wait is ReadInjectWait).                               *)
ReadInjectInval(r) ==
    LET n == ReaderNotifier[r]
        g == GpuOf(n)
    IN /\ pc[r] = "read_inject_inval"
       /\ ~VmBusy(g)
       /\ dpte' = Zapped(g, n)
       /\ fences' = [fences EXCEPT ![g] = @ \cup {Fence(n, r)}]
       /\ pc' = [pc EXCEPT ![r] = "read_inject_wait"]
       /\ step' = Step(r, "read_inject_inval", n, {ReaderPage[r]})
       /\ UNCHANGED <<coreVars, invVars, pte, ulock, rlock, finuse, tlbsub, tlb, iommu, readVars, rmseq, warn>>

(* The inject path's wait for its fence: xe_vm_invalidate_vma's wait, then *)
(* do_inval(true)'s finish_inuse = false (merged: tlb_inval_submitted is   *)
(* left as it is); or (fixed) complete_tlb_inval: xe_tlb_inval_batch_wait, *)
(* tlb_inval_submitted = finish_inuse = false. The bind path then drops   *)
(* the lock and starts over.                                               *)
ReadInjectWait(r) ==
    LET n == ReaderNotifier[r]
        g == GpuOf(n)
    IN /\ pc[r] = "read_inject_wait"
       /\ FenceSignalled(n, r)
       /\ finuse' = [finuse EXCEPT ![n] = FALSE]
       /\ tlbsub' = IF InjectFixed(g) THEN [tlbsub EXCEPT ![n] = NoProc] ELSE tlbsub
       /\ ulock' = [ulock EXCEPT ![g] = NoProc]
       /\ pc' = [pc EXCEPT ![r] = "read_begin"]
       /\ step' = Step(r, "read_inject_wait", n, {ReaderPage[r]})
       /\ UNCHANGED rlock
       /\ UNCHANGED <<coreVars, invVars, pte, dpte, tlb, iommu, fences, readVars, rmseq, warn>>

(* The inject path with the finish in use: do_inval(false)'s               *)
(* xe_vm_invalidate_vma waits for its fence; finish_inuse is not touched;  *)
(* unlock, start over.                                                     *)
ReadInjectSync(r) ==
    LET n == ReaderNotifier[r]
        g == GpuOf(n)
    IN /\ pc[r] = "read_inject_sync"
       /\ FenceSignalled(n, r)
       /\ ulock' = [ulock EXCEPT ![g] = NoProc]
       /\ pc' = [pc EXCEPT ![r] = "read_begin"]
       /\ step' = Step(r, "read_inject_sync", n, {ReaderPage[r]})
       /\ UNCHANGED rlock
       /\ UNCHANGED <<coreVars, invVars, pte, finuse, tlbsub, dpte, tlb, iommu, fences, readVars, rmseq, warn>>

-----------------------------------------------------------------------------
(* The driver's unbind of dynamic notifier d's userptr, before it calls    *)
(* mmu_interval_notifier_remove. xe: prep_vma_destroy sets                 *)
(* XE_VMA_DESTROYED under the notifier lock (the fault path stops); the    *)
(* unbind's page-table update zaps the VMA's device PTEs and invalidates   *)
(* the GPU's TLB; only then xe_vma_destroy -> xe_userptr_remove ->         *)
(* mmu_interval_notifier_remove ("we can't remove the notifier until we're *)
(* sure the GPU is not accessing them anymore"). test_hmm's mirror is torn *)
(* down the same way. Modelled as: under the user lock, stop faults        *)
(* through d, zap d's device PTEs and submit the TLB invalidation of d's   *)
(* pages (a fence of its own, by d); keep the lock until it signals        *)
(* (UnbindWait, xe's "hold the lock across the zap"). The IOMMU mapping   *)
(* of d's pages goes with the zap (xe unmaps it when the userptr is        *)
(* destroyed; only models with ModelIommu have one). D12: the unbind      *)
(* stops the faults but neither zaps nor invalidates the TLB. D5: the      *)
(* faults are not stopped here but in UnbindMark, after the lock was       *)
(* dropped (MmuNotifierState's BoundPcs).                                  *)
Unbind(d) ==
    LET g == GpuOf(d)
    IN /\ pc[d] = "unbind"
       /\ UserLockFree(g)
       /\ IF M("D12")
          THEN /\ pc' = [pc EXCEPT ![d] = "remove"]
               /\ UNCHANGED <<ulock, dpte, iommu, fences>>
          ELSE /\ ulock' = [ulock EXCEPT ![g] = d]
               /\ dpte' = [dpte EXCEPT ![g] = [p \in Pages |-> IF p \in NotifierPages[d] THEN 0 ELSE @[p]]]
               /\ iommu' = [iommu EXCEPT ![g] = [p \in Pages |-> IF p \in NotifierPages[d] THEN 0 ELSE @[p]]]
               /\ fences' = [fences EXCEPT ![g] = @ \cup {Fence(d, d)}]
               /\ pc' = [pc EXCEPT ![d] = "unbind_wait"]
       /\ step' = Step(d, "unbind", d, NotifierPages[d])
       /\ UNCHANGED rlock
       /\ UNCHANGED <<coreVars, invVars, pte, finuse, tlbsub, tlb, readVars, rmseq, warn>>

(* The unbind waits for its TLB invalidation fence, then unlocks; remove   *)
(* comes next. D5 drops the user lock here with the userptr not yet marked *)
(* destroyed (BoundPcs): the mark is a step of its own (UnbindMark).        *)
UnbindWait(d) ==
    /\ pc[d] = "unbind_wait"
    /\ FenceSignalled(d, d)
    /\ ulock' = [ulock EXCEPT ![GpuOf(d)] = NoProc]
    /\ pc' = [pc EXCEPT ![d] = IF M("D5") THEN "unbind_mark" ELSE "remove"]
    /\ step' = Step(d, "unbind_wait", d, NotifierPages[d])
    /\ UNCHANGED rlock
    /\ UNCHANGED <<coreVars, invVars, pte, finuse, tlbsub, dpte, tlb, iommu, fences, readVars, rmseq, warn>>

(* D5 only: the teardown split by a dropped user lock. The unbind zapped   *)
(* and invalidated under the lock, dropped it, and only now takes it again *)
(* to mark the userptr destroyed (the fault path stops), then remove. A    *)
(* fault that ran in between installed a translation the zap never saw.    *)
UnbindMark(d) ==
    /\ pc[d] = "unbind_mark"
    /\ UserLockFree(GpuOf(d))                 \* down_write; mark XE_VMA_DESTROYED; up_write
    /\ pc' = [pc EXCEPT ![d] = "remove"]
    /\ step' = Step(d, "unbind_mark", d, NotifierPages[d])
    /\ UNCHANGED <<coreVars, invVars, deviceVars, readVars, rmseq, warn>>
=============================================================================
