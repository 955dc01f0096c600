------------------------------ MODULE GpuDriver ------------------------------
(***************************************************************************)
(* The driver: one instance per GPU, each with its own user lock (xe's     *)
(* vm->svm.gpusvm.notifier_lock, test_hmm's dmirror->mutex), device page   *)
(* tables, a TLB and asynchronous TLB invalidations that only the GPU      *)
(* completes. Its mmu_interval_notifier_ops run on the invalidating thread *)
(* (steps of the Invalidator), its fault path is the Reader.               *)
(*                                                                         *)
(*  Driver[g] is the driver of GPU g's instance, so a model may mix them.  *)
(*  Driver[g] = "xe" (drivers/gpu/drm/xe/xe_userptr.c with the series):    *)
(*    invalidate_start: if (!blockable) return false; down_write;          *)
(*      mmu_interval_set_seq; zap + submit TLB invalidation; if the        *)
(*      embedded finish is free: finish_inuse = true, hand it out; else    *)
(*      wait inline; up_write.                                             *)
(*    invalidate_finish: down_write; wait; finish_inuse = false; up_write. *)
(*  Driver[g] = "trylock" (lib/test_hmm.c's locking, two-pass):            *)
(*    invalidate_start: *finish = free slot ? &slot : NULL; blockable:      *)
(*      mutex_lock, else mutex_trylock or return false; then as xe.        *)
(*  Single-pass invalidate: the same, always waiting inline.               *)
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

\* xe_vma_userptr_invalidate_start: if (!mmu_notifier_range_blockable(range)) return false;
\* M16 drops the check: a non-blockable start then sleeps like a blockable one.
XeRefuses(i, g) == Driver[g] = "xe" /\ ~Blk(i) /\ ~M("M16")
(* The readers whose fault path asks for exclusive access to the page     *)
(* (nouveau_atomic_range_fault: make_device_exclusive_range instead of     *)
(* hmm_range_fault). None by default; a model names them by overriding     *)
(* this definition in its .cfg (ExclusiveReaders <- ...).                  *)
ExclusiveReaders == {}

\* the TLB invalidation fence invalidator i's callback submitted for notifier n
Fence(n, i) == [n |-> n, by |-> i]
\* dma_fence_is_signaled: that fence is not pending on n's GPU
FenceSignalled(n, i) == Fence(n, i) \notin fences[GpuOf(n)]
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

(* invalidate_start / invalidate, the prologue up to holding the user lock *)
(* (xe: down_write(&vm->svm.gpusvm.notifier_lock); test_hmm: mutex_lock,   *)
(* or mutex_trylock when not blockable).                                   *)
CbStart(i) ==
    LET n == cursor[i]
        g == GpuOf(n)
    IN /\ pc[i] = "inv_cb_start"
       /\ \/ /\ XeRefuses(i, g)
             /\ CallbackReturns(i, FALSE, NoNotifier)
             /\ UNCHANGED ulock
          \/ /\ ~XeRefuses(i, g)
             /\ Blk(i) \/ Driver[g] = "xe"
             /\ ulock[g] = NoProc                            \* sleeps until free
             /\ ulock' = [ulock EXCEPT ![g] = i]
             /\ Goto(i, "inv_cb_zap")
             /\ UNCHANGED warn
          \/ /\ Driver[g] = "trylock" /\ ~Blk(i)
             /\ IF ulock[g] = NoProc
                THEN /\ ulock' = [ulock EXCEPT ![g] = i]
                     /\ Goto(i, "inv_cb_zap")
                     /\ UNCHANGED warn
                ELSE /\ CallbackReturns(i, FALSE, IF FreeFinish(n) THEN n ELSE NoNotifier)
                     /\ UNCHANGED ulock
       /\ step' = Step(i, "inv_cb_start", n, irange[i])
       /\ UNCHANGED <<coreVars, pte, finuse, dpte, tlb, iommu, fences, readVars, rmseq>>

(* Under the user lock: mmu_interval_set_seq(interval_sub, cur_seq) (D1:    *)
(* not called); zap the device PTEs; submit the notifier's TLB             *)
(* invalidation fence (xe_vm_invalidate_vma_submit into                    *)
(* userptr->inval_batch); a two-pass start with a free finish hands it out *)
(* and unlocks (return true); otherwise wait for the fence inline (CbWait, *)
(* xe_vm_invalidate_vma).                                                  *)
CbZap(i) ==
    LET n == cursor[i]
        g == GpuOf(n)
    IN /\ pc[i] = "inv_cb_zap"
       /\ iseq' = IF M("D1") THEN iseq ELSE [iseq EXCEPT ![n] = cur[i]]
       /\ dpte' = [dpte EXCEPT ![g] = [p \in Pages |-> IF p \in NotifierPages[n] THEN 0 ELSE @[p]]]
       /\ fences' = [fences EXCEPT ![g] = @ \cup {Fence(n, i)}]
       /\ IF FreeFinish(n)
          THEN /\ finuse' = [finuse EXCEPT ![n] = TRUE]
               /\ ulock' = [ulock EXCEPT ![g] = NoProc]
               /\ CallbackReturns(i, TRUE, n)
          ELSE /\ Goto(i, "inv_cb_wait")
               /\ UNCHANGED <<finuse, ulock, warn>>
       /\ step' = Step(i, "inv_cb_zap", n, irange[i])
       /\ UNCHANGED <<seq, active, tree, deferred, slock, wq, pte, tlb, iommu, readVars, rmseq>>

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
       /\ UNCHANGED <<coreVars, pte, finuse, dpte, tlb, fences, readVars, rmseq>>

(* invalidate_finish: down_write(notifier_lock) again (D9 skips this).     *)
FinLock(i) ==
    LET n == Head(flist[i])
        g == GpuOf(n)
    IN /\ pc[i] = "inv_fin_lock"
       /\ ulock[g] = NoProc
       /\ ulock' = [ulock EXCEPT ![g] = i]
       /\ Goto(i, "inv_fin_wait")
       /\ step' = Step(i, "inv_fin_lock", n, irange[i])
       /\ UNCHANGED <<coreVars, pte, finuse, dpte, tlb, iommu, fences, readVars, rmseq, warn>>

(* xe_vma_userptr_invalidate_finish -> xe_vma_userptr_complete_tlb_inval: *)
(* xe_tlb_inval_batch_wait(&userptr->inval_batch), the fence its start     *)
(* submitted; finish_inuse = false; up_write; the finish pass moves to the *)
(* next finish. D10: the finish returns without waiting for its fence.    *)
FinishWaitDone(i, n) == FenceSignalled(n, i) \/ M("D10")
FinWait(i) ==
    LET n == Head(flist[i])
        g == GpuOf(n)
        rest == Tail(flist[i])
    IN /\ pc[i] = "inv_fin_wait"
       /\ FinishWaitDone(i, n)
       /\ DmaUnmap(n)
       /\ finuse' = [finuse EXCEPT ![n] = FALSE]
       /\ ulock' = IF ulock[g] = i THEN [ulock EXCEPT ![g] = NoProc] ELSE ulock
       /\ Leave(i, NextFinish(i, rest, err[i]), err[i], rest, cursor[i])
       /\ step' = Step(i, "inv_fin_wait", n, irange[i])
       /\ UNCHANGED <<coreVars, pte, dpte, tlb, fences, readVars, rmseq, warn>>

-----------------------------------------------------------------------------
(* GPU g completes the pending TLB invalidation f and its fence signals    *)
(* (xe_guc_tlb_inval_done_handler): the translations it covers, its        *)
(* notifier's pages on g, are dropped from g's TLB. A GPU may complete its *)
(* pending fences in any order.                                            *)
GpuTlbInvalDone(g, f) ==
    /\ f \in fences[g]
    /\ fences' = [fences EXCEPT ![g] = @ \ {f}]
    /\ tlb' = [tlb EXCEPT ![g] = [p \in Pages |-> IF p \in NotifierPages[f.n] THEN 0 ELSE @[p]]]
    /\ step' = Step(g, "gpu_tlb_inval_done", f.n, NotifierPages[f.n])
    /\ UNCHANGED <<coreVars, pc, invVars, pte, ulock, finuse, dpte, iommu, readVars, rmseq, warn>>

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
    /\ UNCHANGED <<coreVars, invVars, deviceVars, rseq, nreads, rmseq, warn>>

(* make_device_exclusive_range(), called by the fault path between         *)
(* mmu_interval_read_begin and the user lock, invalidates the page itself  *)
(* (an MMU_NOTIFY_EXCLUSIVE range whose owner is this driver) and returns  *)
(* the page. The model runs that invalidation as one step, when no other   *)
(* is in progress and the user lock is free, in models where the reader's *)
(* notifier is the only one over its page: mn_itree_inv_start_range        *)
(* (seq |= 1, cur_seq), the driver's callback, mn_itree_inv_end (seq++;    *)
(* the deferred list is empty while no range is active; wake_up_all).    *)
(* recognises its own exclusive range and returns at once without         *)
(* mmu_interval_set_seq (nouveau: range->event == MMU_NOTIFY_EXCLUSIVE &&  *)
(* range->owner == the device). D7 drops that filter: the callback takes  *)
(* the user lock and sets the seq to cur_seq, so the fault's own           *)
(* invalidation makes its mmu_interval_read_retry fail, every time.       *)
ReadExclusive(r) ==
    LET n == ReaderNotifier[r]
        cs == SeqSetOdd(seq)
    IN /\ pc[r] = "read_pte"
       /\ r \in ExclusiveReaders
       /\ SubsLockFree /\ active = 0 /\ ulock[GpuOf(n)] = NoProc
       /\ seq' = SeqInc(cs)
       /\ iseq' = IF M("D7") THEN [iseq EXCEPT ![n] = cs] ELSE iseq
       /\ wq' = IF M("M13") THEN wq ELSE {}     \* its mn_itree_inv_end's wake_up_all
       /\ rval' = [rval EXCEPT ![r] = pte[ReaderPage[r]]]
       /\ pc' = [pc EXCEPT ![r] = "read_lock"]
       /\ step' = Step(r, "read_pte", n, {ReaderPage[r]})
       /\ UNCHANGED <<active, tree, deferred, slock, invVars, deviceVars, rseq, nreads, rmseq, warn>>

(* take the user lock (mutex_lock / down_read(notifier_lock)) *)
ReadLock(r) ==
    LET g == GpuOf(ReaderNotifier[r])
    IN /\ pc[r] = "read_lock"
       /\ ulock[g] = NoProc
       /\ ulock' = [ulock EXCEPT ![g] = r]
       /\ pc' = [pc EXCEPT ![r] = "read_retry"]
       /\ step' = Step(r, "read_lock", ReaderNotifier[r], {ReaderPage[r]})
       /\ UNCHANGED <<coreVars, invVars, pte, finuse, dpte, tlb, iommu, fences, readVars, rmseq, warn>>

\* program the device PTE from the CPU PTE version read (the GPU caches it at once)
Install(r) ==
    LET g == GpuOf(ReaderNotifier[r])
        p == ReaderPage[r]
    IN /\ dpte' = [dpte EXCEPT ![g][p] = rval[r]]
       /\ tlb' = [tlb EXCEPT ![g][p] = rval[r]]
       /\ iommu' = IF ModelIommu THEN [iommu EXCEPT ![g][p] = rval[r]] ELSE iommu
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
       /\ ulock' = [ulock EXCEPT ![g] = NoProc]
       /\ IF Unbound(n)     \* unbound under this lock: install nothing, stop
          THEN /\ pc' = [pc EXCEPT ![r] = "done"]
               /\ UNCHANGED <<dpte, tlb, iommu, nreads>>
          ELSE IF retry
          THEN /\ pc' = [pc EXCEPT ![r] = "read_begin"]
               /\ UNCHANGED <<dpte, tlb, iommu, nreads>>
          ELSE IF M("D3")
          THEN /\ pc' = [pc EXCEPT ![r] = "read_install"]
               /\ UNCHANGED <<dpte, tlb, iommu, nreads>>
          ELSE Install(r)
       /\ step' = Step(r, "read_retry", n, {ReaderPage[r]})
       /\ UNCHANGED <<coreVars, invVars, pte, finuse, fences, rseq, rval, rmseq, warn>>

(* D3 only: the device PTE is programmed after the user lock was dropped. *)
ReadInstall(r) ==
    /\ pc[r] = "read_install"
    /\ Install(r)
    /\ step' = Step(r, "read_install", ReaderNotifier[r], {ReaderPage[r]})
    /\ UNCHANGED <<coreVars, invVars, pte, ulock, finuse, fences, rseq, rval, rmseq, warn>>

(* The fault path of a userptr the driver has unbound (xe: the VMA is      *)
(* XE_VMA_DESTROYED, so xe_vma_userptr_pin_pages returns at once): the     *)
(* reader stops without calling mmu_interval_read_begin. (Before the       *)
(* insert the reader waits: ReadBegin needs its notifier Bound.)           *)
ReadGone(r) ==
    /\ pc[r] = "read_begin"
    /\ Unbound(ReaderNotifier[r])
    /\ pc' = [pc EXCEPT ![r] = "done"]
    /\ step' = Step(r, "read_begin", ReaderNotifier[r], {})
    /\ UNCHANGED <<coreVars, invVars, deviceVars, readVars, rmseq, warn>>

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
(* (UnbindWait, xe's "hold the lock across the zap"). D12: the unbind      *)
(* The IOMMU mapping of d's pages goes with the zap (xe unmaps it when the *)
(* userptr is destroyed; only models with ModelIommu have one).            *)
(* D12: the unbind                                                         *)
(* stops the faults but neither zaps nor invalidates the TLB. D5: the      *)
(* faults are not stopped here but in UnbindMark, after the lock was       *)
(* dropped (MmuNotifierState's BoundPcs).                                  *)
Unbind(d) ==
    LET g == GpuOf(d)
    IN /\ pc[d] = "unbind"
       /\ ulock[g] = NoProc
       /\ IF M("D12")
          THEN /\ pc' = [pc EXCEPT ![d] = "remove"]
               /\ UNCHANGED <<ulock, dpte, iommu, fences>>
          ELSE /\ ulock' = [ulock EXCEPT ![g] = d]
               /\ dpte' = [dpte EXCEPT ![g] = [p \in Pages |-> IF p \in NotifierPages[d] THEN 0 ELSE @[p]]]
               /\ iommu' = [iommu EXCEPT ![g] = [p \in Pages |-> IF p \in NotifierPages[d] THEN 0 ELSE @[p]]]
               /\ fences' = [fences EXCEPT ![g] = @ \cup {Fence(d, d)}]
               /\ pc' = [pc EXCEPT ![d] = "unbind_wait"]
       /\ step' = Step(d, "unbind", d, NotifierPages[d])
       /\ UNCHANGED <<coreVars, invVars, pte, finuse, tlb, readVars, rmseq, warn>>

(* The unbind waits for its TLB invalidation fence, then unlocks; remove   *)
(* comes next. D5 drops the user lock here with the userptr not yet marked *)
(* destroyed (BoundPcs): the mark is a step of its own (UnbindMark).        *)
UnbindWait(d) ==
    /\ pc[d] = "unbind_wait"
    /\ FenceSignalled(d, d)
    /\ ulock' = [ulock EXCEPT ![GpuOf(d)] = NoProc]
    /\ pc' = [pc EXCEPT ![d] = IF M("D5") THEN "unbind_mark" ELSE "remove"]
    /\ step' = Step(d, "unbind_wait", d, NotifierPages[d])
    /\ UNCHANGED <<coreVars, invVars, pte, finuse, dpte, tlb, iommu, fences, readVars, rmseq, warn>>

(* D5 only: the teardown split by a dropped user lock. The unbind zapped   *)
(* and invalidated under the lock, dropped it, and only now takes it again *)
(* to mark the userptr destroyed (the fault path stops), then remove. A    *)
(* fault that ran in between installed a translation the zap never saw.    *)
UnbindMark(d) ==
    /\ pc[d] = "unbind_mark"
    /\ ulock[GpuOf(d)] = NoProc                \* down_write; mark XE_VMA_DESTROYED; up_write
    /\ pc' = [pc EXCEPT ![d] = "remove"]
    /\ step' = Step(d, "unbind_mark", d, NotifierPages[d])
    /\ UNCHANGED <<coreVars, invVars, deviceVars, readVars, rmseq, warn>>
=============================================================================
