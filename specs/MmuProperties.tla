---------------------------- MODULE MmuProperties ----------------------------
(***************************************************************************)
(* The properties, each named for what it protects. None reads Mutation.  *)
(* CONTRACT.md and README say which mutation breaks which.                 *)
(*                                                                         *)
(* Beside each property, a witness (Witness_<Property>, and a few more):   *)
(* a state predicate for the situation in which the property could fail.   *)
(* A model that never reaches a property's witness checks that property    *)
(* only vacuously. Witnesses are not invariants: they are meant to be      *)
(* reached (check with INVARIANT ~W: a violation means reached).           *)
(***************************************************************************)
EXTENDS MmuIntervalNotifier

CallbackPcs == {"inv_cb_start", "inv_cb_zap", "inv_cb_set_seq", "inv_cb_wait"}
SleepPcs == {"inv_cb_wait", "inv_fin_lock", "inv_fin_wait", "inv_fin_sync"}
\* an invalidation between its start and its return to the caller, with its range still counted
InBracket(i) == pc[i] \notin {"inv_start_range", "done", "inv_end_drain", "range_end_drain"}
Holders(n) == {i \in Invalidators : Contains(flist[i], n)}
\* invalidator i is between its start and its PTE change, and its range covers page p
\* (for mn_itree_release: between its start and its end)
InvalidatingPage(i, p) ==
    /\ p \in irange[i] /\ ~err[i]
    /\ pc[i] \in CallbackPcs \cup {"inv_finish_pass", "inv_fin_lock", "inv_fin_wait", "inv_fin_sync", "mm_change_pte"}

TypeOK ==
    /\ seq \in 0..SeqMod-1
    /\ active \in Nat
    /\ tree \subseteq Notifiers /\ deferred \subseteq Notifiers
    /\ slock \in Invalidators \cup {NoProc}
    /\ wq \subseteq Readers \cup Dynamic
    /\ iseq \in [Notifiers -> 0..SeqMod-1]
    /\ irange \in [Invalidators -> SUBSET Pages]
    /\ cur \in [Invalidators -> 0..SeqMod-1]
    /\ cursor \in [Invalidators -> Notifiers \cup {NoNotifier}]
    /\ torn \in [Invalidators -> BOOLEAN]
    /\ err \in [Invalidators -> BOOLEAN]
    /\ \A i \in Invalidators : flist[i] \in Seq(Notifiers)
    /\ ninv \in [Invalidators -> Nat]
    /\ pte \in [Pages -> Nat \ {0}]
    /\ ulock \in [Gpus -> Procs \cup {NoProc}]
    /\ rlock \in [Gpus -> SUBSET Readers]
    /\ finuse \in [Notifiers -> BOOLEAN]
    /\ tlbsub \in [Notifiers -> Procs \cup {NoProc}]
    /\ dpte \in [Gpus -> [Pages -> Nat]] /\ tlb \in [Gpus -> [Pages -> Nat]]
    /\ iommu \in [Gpus -> [Pages -> Nat]]
    /\ fences \in [Gpus -> SUBSET [n : Notifiers \cup {NoNotifier}, by : Procs]]
    /\ rseq \in [Readers -> 0..SeqMod-1] /\ rval \in [Readers -> Nat] /\ nreads \in [Readers -> Nat]
    /\ rmseq \in [Dynamic -> 0..SeqMod-1]
    /\ warn \subseteq STRING

(* The headline: no device PTE and no GPU TLB entry ever holds a           *)
(* translation made from a CPU PTE version older than the current one.    *)
NoStaleDeviceAccess ==
    \A g \in Gpus, p \in Pages : dpte[g][p] \in {0, pte[p]} /\ tlb[g][p] \in {0, pte[p]}
\* GPU g caches a translation of page p while an invalidation of p is between its
\* start and its PTE change (the window in which a missing wait leaves it stale)
Witness_NoStaleDeviceAccessOn(g) ==
    \E p \in Pages, i \in Invalidators : tlb[g][p] # 0 /\ InvalidatingPage(i, p)
Witness_NoStaleDeviceAccess == \E g \in Gpus : Witness_NoStaleDeviceAccessOn(g)

(* A consequence property: no device keeps an IOMMU (DMA) mapping of a     *)
(* page the CPU no longer maps there. Once the mm changes the PTE, the old *)
(* page may be freed and reused; a mapping left in the IOMMU lets the      *)
(* device read or write it by DMA, whatever its TLB says.                  *)
NoDmaToStalePage == \A g \in Gpus, p \in Pages : iommu[g][p] \in {0, pte[p]}
\* a device holds an IOMMU mapping of page p while an invalidation of p is between its
\* start and its PTE change (the unmap must happen in that window)
Witness_NoDmaToStalePage == \E g \in Gpus, p \in Pages, i \in Invalidators : iommu[g][p] # 0 /\ InvalidatingPage(i, p)

(* active_invalidate_ranges counts every range (hit or miss) between       *)
(* mn_itree_inv_start_range and its mn_itree_inv_end.                      *)
ActiveCountsRanges == active = Cardinality({i \in Invalidators : InBracket(i)})
\* the partially excluded state: ranges are active but none hit (seq even)
Witness_ActiveCountsRanges == active > 0 /\ ~Odd(seq)

(* Odd invalidate_seq means a writer exists (equivalently: no active range *)
(* means an even seq, the idle state read_begin relies on).               *)
OddSeqHasWriter == Odd(seq) => active > 0
\* the last active range is about to leave the fully excluded state
Witness_OddSeqHasWriter ==
    \E i \in Invalidators : pc[i] \in {"inv_end", "range_end"} /\ active = 1 /\ Odd(seq)

(* Each notifier's own invalidate_seq is odd (insert, set_seq with        *)
(* cur_seq), so it can equal the subscription's seq only while it is odd.  *)
NotifierSeqOdd == \A n \in Notifiers : Odd(iseq[n])
\* a reader found its notifier's seq equal to the subscriptions' (odd) seq and waits
Witness_NotifierSeqOdd == \E r \in Readers : pc[r] = "read_begin_wait"

(* A finish is queued by at most one invalidation at a time, and only     *)
(* while a successful invalidate_start marked it in use.                  *)
FinishSlotIntegrity ==
    \A n \in Notifiers : Cardinality(Holders(n)) <= 1 /\ (Holders(n) # {} => finuse[n])
\* a blockable start of notifier n runs while another invalidation holds n's finish
\* (what finish_inuse is for)
Witness_FinishSlotIntegrity ==
    \E n \in Notifiers, i \in Invalidators :
        Blk(i) /\ finuse[n] /\ cursor[i] = n /\ pc[i] \in CallbackPcs /\ ~Contains(flist[i], n)
\* xe's in-use fallback: a two-pass start of a notifier on an xe GPU found its finish in
\* use and waits inline (the trylock driver's fallback is the same code, but not xe's)
Witness_XeInUseFallback ==
    \E i \in Invalidators :
        pc[i] = "inv_cb_wait" /\ UsesStart(cursor[i]) /\ IsXe(GpuOf(cursor[i]))

(* Every finish handed out runs before its invalidation changes a PTE or   *)
(* ends (mn_itree_inv_end), on the success path and on -EAGAIN.            *)
FinishBeforeReturn ==
    \A i \in Invalidators :
        pc[i] \in {"mm_change_pte", "inv_end", "range_end", "inv_end_drain", "range_end_drain"}
            => flist[i] = <<>>
\* a walk ended with finishes queued: the finish pass is next
Witness_FinishBeforeReturn == \E i \in Invalidators : pc[i] = "inv_finish_pass"
\* -EAGAIN with a finish queued: the finish pass must still run (M1, M2's situation)
Witness_EagainWithFinish == \E i \in Invalidators : err[i] /\ flist[i] # <<>>
\* what the two-pass series is for: one invalidation has TLB invalidations pending on
\* two GPUs, and both finishes still queued (no wait for either yet)
Witness_TwoGpuPipelining ==
    \E i \in Invalidators, ga, gb \in Gpus :
        /\ ga # gb
        /\ \E f \in fences[ga], h \in fences[gb] :
               f.by = i /\ h.by = i /\ Contains(flist[i], f.n) /\ Contains(flist[i], h.n)

(* -EAGAIN: no notifier after the failing one is called, the caller       *)
(* changes no PTE and does not call invalidate_range_end (the end ran     *)
(* once, inside mn_itree_invalidate).                                      *)
EagainContract ==
    \A i \in Invalidators :
        err[i] => pc[i] \notin CallbackPcs \cup {"mm_change_pte", "range_end", "range_end_drain"}
\* an invalidation got -EAGAIN
Witness_EagainContract == \E i \in Invalidators : err[i]

(* A non-blockable invalidation (OOM reaper) never reaches a point that   *)
(* may sleep: an inline wait for the GPU, or an invalidate_finish (which  *)
(* takes the user lock and waits).                                         *)
(* xe takes its user lock with a sleeping lock (CbStart: "sleeps until     *)
(* free"), so a non-blockable xe start that got past its !blockable check  *)
(* (M16) has already slept when it holds the lock at inv_cb_zap; the       *)
(* trylock driver's mutex_trylock does not sleep.                          *)
NoSleepInNonBlockable ==
    \A i \in Invalidators \ (Blockable \cup Releasers) :
        /\ pc[i] \notin SleepPcs
        /\ ~(pc[i] = "inv_cb_zap" /\ IsXe(GpuOf(cursor[i])))
\* a non-blockable invalidation is inside a driver callback
Witness_NoSleepInNonBlockable ==
    \E i \in Invalidators \ (Blockable \cup Releasers) : pc[i] \in CallbackPcs

(* Once mmu_interval_notifier_remove returns, the notifier is on neither  *)
(* the tree nor the deferred list and no callback for it runs or waits.    *)
RemovedIsQuiet ==
    \A d \in Dynamic : pc[d] = "removed" =>
        /\ d \notin tree /\ d \notin deferred
        /\ \A i \in Invalidators : cursor[i] # d /\ ~Contains(flist[i], d)
\* a remove found its notifier in the frozen tree and waits (the 2022 race's window)
Witness_RemovedIsQuiet == \E d \in Dynamic : pc[d] = "remove_wait"

(* A consequence property: once mmu_interval_notifier_remove returns, no   *)
(* invalidation reaches the notifier again, so its device must hold no    *)
(* translation (device PTE or TLB entry) of a page that only this         *)
(* notifier maps on that GPU: one left there goes stale at the next PTE   *)
(* change and nothing will ever drop it (the driver's unbind before       *)
(* remove is what protects this).                                          *)
OnlyMapper(d, p) == \A n \in Notifiers \ {d} : GpuOf(n) = GpuOf(d) => p \notin NotifierPages[n]
NoTranslationAfterRemove ==
    \A d \in Dynamic : pc[d] = "removed" =>
        \A p \in NotifierPages[d] : OnlyMapper(d, p) => dpte[GpuOf(d)][p] = 0 /\ tlb[GpuOf(d)][p] = 0
\* the unbind is next while d's GPU caches a translation of a page only d maps there
Witness_NoTranslationAfterRemove ==
    \E d \in Dynamic : pc[d] = "unbind" /\ \E p \in NotifierPages[d] : OnlyMapper(d, p) /\ tlb[GpuOf(d)][p] # 0

(* The finish pass never calls a NULL invalidate_finish.                  *)
NoNullFinishCall == \A i \in Invalidators : pc[i] # "oops"
\* the finish pass is calling an invalidate_finish
Witness_NoNullFinishCall == \E i \in Invalidators : pc[i] \in {"inv_fin_lock", "inv_fin_wait", "inv_fin_sync"}

(* Action: the interval tree changes only outside the fully excluded      *)
(* state ("the itree is not allowed to change" while seq is odd).         *)
TreeFrozenWhileInvalidating == [][tree' # tree => ~Odd(seq)]_tree
\* a tree change (insert or remove) is deferred while seq is odd
Witness_TreeFrozenWhileInvalidating == deferred # {}
\* a walk is in progress while a tree change waits on the deferred list: the walk a drain
\* before the last mn_itree_inv_end would tear (M18), so that it skips a notifier
\* (NoStaleDeviceAccess); in the code as merged the change waits for the walk to end
Witness_WalkWhileChangeDeferred == deferred # {} /\ \E i \in Invalidators : Walking(i)

(* Action: the driver's finish_inuse changes only under its user lock.    *)
FinishSlotUnderUserLock ==
    [][\A n \in Notifiers : finuse'[n] # finuse[n] => ulock[GpuOf(n)] = step'.proc]_finuse
\* a finish is about to clear finish_inuse
Witness_FinishSlotUnderUserLock == \E i \in Invalidators : pc[i] \in {"inv_fin_wait", "inv_fin_sync"}

(* Liveness under weak fairness. *)
InvalidationsReturn == \A i \in Invalidators : <>(pc[i] = "done")
\* a finish waits for its GPU's fence
Witness_InvalidationsReturn ==
    \E i \in Invalidators : pc[i] \in {"inv_fin_wait", "inv_fin_sync"} /\ ~FenceSignalled(Head(flist[i]), i)
ReadersInstall == \A r \in Readers : <>(pc[r] = "done")
\* a read section collided with an invalidation and will retry
Witness_ReadersInstall ==
    \E r \in Readers : pc[r] = "read_retry" /\ iseq[ReaderNotifier[r]] # rseq[r]
\* a fault that asked for exclusive access (make_device_exclusive_range, which invalidated
\* the page itself) is about to check mmu_interval_read_retry: its own invalidation must
\* not make it retry (D7's livelock)
Witness_ReadersInstallExclusive == \E r \in ExclusiveReaders : pc[r] = "read_retry"
\* a reader is asleep on subscriptions->wq in mmu_interval_read_begin: it installs only
\* if a wake_up_all comes (what a lost wake-up, M13, breaks)
Witness_ReaderSleepsOnWq == \E r \in Readers : r \in wq
RemoveReturns == \A d \in Dynamic : <>(pc[d] = "removed")
\* a remove waits for seq to move on
Witness_RemoveReturns == \E d \in Dynamic : pc[d] = "remove_wait" /\ seq = rmseq[d]
\* a remove is asleep on subscriptions->wq: it returns only if a wake_up_all comes
Witness_RemoveSleepsOnWq == \E d \in Dynamic : d \in wq

(* A consequence: every finish slot taken is given back. Once every       *)
(* process has returned, no notifier's finish_inuse is still set: a slot   *)
(* left set then (nobody holds its finish, so nobody will run it) is lost  *)
(* for good. Every later invalidation of that notifier takes the           *)
(* synchronous fallback, the series' pipelining is gone for it, and the    *)
(* TLB invalidation its start submitted is never waited for by the driver  *)
(* (xe: tlb_inval_submitted stays set, and the deferred                    *)
(* drm_gpusvm_unmap_pages of that invalidation never runs). The models'    *)
(* behaviours all end (Finished), so "at the end" is "for ever".           *)
FinishSlotsFreed == Finished => \A n \in Notifiers : ~finuse[n]
\* a finish is queued on a path that returns through mn_itree_inv_end (-EAGAIN, or
\* mn_itree_release): the paths on which a skipped finish pass loses the slot
Witness_FinishSlotsFreed == \E i \in Invalidators : flist[i] # <<>> /\ (err[i] \/ IsRelease(i))

(* xe's userptr state machine (xe_userptr.c): each xe_assert() on it is a *)
(* WARN with CONFIG_DRM_XE_DEBUG, after which the code goes on; GpuDriver *)
(* adds the site to warn when the condition is false. Each invariant says *)
(* its assert never fires.                                                 *)
\* xe_vma_userptr_do_inval(is_deferred = true): xe_assert(finish_inuse && !tlb_inval_submitted)
XeAssert_DeferredInval == WarnXeDeferredInval \notin warn
\* do_inval(true) is running (the finish after a deferred pass 1, or the inject path)
Witness_XeAssert_DeferredInval ==
    \E p \in Procs : pc[p] \in {"inv_fin_sync", "read_inject_inval"}
\* do_inval's deferral branch (finish free): xe_assert(!tlb_inval_submitted)
XeAssert_SubmitFree == WarnXeSubmitFree \notin warn
\* a start submitted into inval_batch and handed out its finish, which waits for that fence
Witness_XeAssert_SubmitFree ==
    \E n \in Notifiers, i \in Invalidators :
        tlbsub[n] = i /\ Contains(flist[i], n) /\ ~FenceSignalled(n, i)
\* xe_vma_userptr_complete_tlb_inval's xe_assert(finish_inuse) and xe_assert(tlb_inval_submitted)
\* are modelled as WARN sites (GpuDriver) but are not properties: no model of the code, or of a
\* mutation, reaches a state where either can fire (the finish's dispatch guarantees the second;
\* the inject path as merged never calls complete_tlb_inval). A finish about to complete a
\* submitted TLB invalidation:
Witness_XeCompleteTlbInval ==
    \E i \in Invalidators : pc[i] = "inv_fin_wait" /\ tlbsub[Head(flist[i])] # NoProc

\* the flows of xe's pass 1, each a witness a quick-set model must reach:
\* fences not signalled: a finish handed out with the device PTEs still live
Witness_XeDeferredPass1 ==
    \E i \in Invalidators, n \in Notifiers :
        Contains(flist[i], n) /\ IsXe(GpuOf(n)) /\ finuse[n] /\ tlbsub[n] = NoProc
\* fences signalled, finish free: the TLB invalidation submitted, its wait deferred to the finish
Witness_XeTlbInvalSubmitted == Witness_XeAssert_SubmitFree
\* the finish of a deferred pass 1: do_inval(true) waits for its synchronous TLB invalidation
Witness_XeFinishSync == \E i \in Invalidators : pc[i] = "inv_fin_sync"
\* xe's notifier_lock as an rw_semaphore: a notifier callback waits for it (down_write) while a
\* fault path holds it in read mode
Witness_XeNotifierWaitsForReaders ==
    \E i \in Invalidators :
        /\ pc[i] \in {"inv_cb_start", "inv_fin_lock"}
        /\ LET n == IF pc[i] = "inv_cb_start" THEN cursor[i] ELSE Head(flist[i])
           IN IsXe(GpuOf(n)) /\ rlock[GpuOf(n)] # {}
\* CONFIG_DRM_XE_USERPTR_INVAL_INJECT: the bind path is in xe_vma_userptr_force_invalidate
Witness_XeInject ==
    \E r \in Readers : pc[r] \in {"read_inject_inval", "read_inject_wait", "read_inject_sync"}
=============================================================================
