------------------------- MODULE MmuIntervalNotifier -------------------------
(***************************************************************************)
(* The specification: initial state, next-state relation and fairness of  *)
(* the processes of CONTRACT.md (Invalidator, Reader, Lifecycle, GPU).     *)
(***************************************************************************)
EXTENDS GpuDriver

Init ==
    /\ seq = InitialSeq
    /\ active = 0
    /\ tree = InitialTree
    /\ deferred = {}
    /\ slock = NoProc
    /\ wq = {}
    \* inserted while idle: interval_sub->invalidate_seq = invalidate_seq - 1
    /\ iseq = [n \in Notifiers |-> SeqDec(InitialSeq)]
    /\ pc = [p \in Procs |->
               CASE p \in Invalidators -> IF MaxInv[p] > 0 THEN "inv_start_range" ELSE "done"
                 [] p \in Readers -> IF MaxReads > 0 THEN "read_begin" ELSE "done"
                 [] p \in Dynamic -> "insert"]
    /\ irange = [i \in Invalidators |-> {}]
    /\ cur = [i \in Invalidators |-> 0]
    /\ cursor = [i \in Invalidators |-> NoNotifier]
    /\ torn = [i \in Invalidators |-> FALSE]
    /\ err = [i \in Invalidators |-> FALSE]
    /\ flist = [i \in Invalidators |-> <<>>]
    /\ ninv = [i \in Invalidators |-> 0]
    /\ pte = [p \in Pages |-> 1]
    /\ ulock = [g \in Gpus |-> NoProc]
    /\ rlock = [g \in Gpus |-> {}]
    /\ finuse = [n \in Notifiers |-> FALSE]
    /\ tlbsub = [n \in Notifiers |-> NoProc]
    /\ dpte = [g \in Gpus |-> [p \in Pages |-> 0]]
    /\ tlb = [g \in Gpus |-> [p \in Pages |-> 0]]
    /\ iommu = [g \in Gpus |-> [p \in Pages |-> 0]]
    /\ fences = [g \in Gpus |-> {}]
    /\ rseq = [r \in Readers |-> 0]
    /\ rval = [r \in Readers |-> 0]
    /\ nreads = [r \in Readers |-> 0]
    /\ rmseq = [d \in Dynamic |-> 0]
    /\ warn = IF \E n \in InitialTree : UsesStart(n) /\ ~HasFinishOp(n) THEN {WarnNoFinish} ELSE {}
    /\ step = Step(NoProc, "init", NoNotifier, {})

Invalidator(i) ==
    \/ \E r \in InvRanges[i] : InvStartRange(i, r)
    \/ CbStart(i) \/ CbZap(i) \/ CbSetSeq(i) \/ CbWait(i)
    \/ InvFinishPass(i) \/ FinLock(i) \/ FinWait(i) \/ FinSync(i)
    \/ InvEnd(i) \/ InvEndDrain(i) \/ MmChangePte(i)

Reader(r) ==
    ReadBegin(r) \/ ReadGone(r) \/ ReadBeginWait(r) \/ ReadPte(r) \/ ReadExclusive(r) \/ ReadLock(r) \/ ReadRetry(r) \/ ReadInstall(r)
    \/ ReadInject(r) \/ ReadInjectInval(r) \/ ReadInjectWait(r) \/ ReadInjectSync(r)

Lifecycle(d) == Insert(d) \/ Unbind(d) \/ UnbindWait(d) \/ UnbindMark(d) \/ Remove(d) \/ RemoveWait(d)

\* a GPU signals one of its pending fences, any one
Gpu(g) == \E f \in fences[g] : GpuTlbInvalDone(g, f)

\* Every process has finished: the behaviour may stutter (not a deadlock).
Finished == \A p \in Procs : pc[p] \in {"done", "removed"}
Terminated == Finished /\ UNCHANGED vars

Next ==
    \/ \E i \in Invalidators : Invalidator(i)
    \/ \E r \in Readers : Reader(r)
    \/ \E d \in Dynamic : Lifecycle(d)
    \/ \E g \in Gpus : Gpu(g)
    \/ Terminated

Fairness ==
    /\ \A i \in Invalidators : WF_vars(Invalidator(i))
    /\ \A r \in Readers : WF_vars(Reader(r))
    /\ \A d \in Dynamic : WF_vars(Lifecycle(d))
    /\ \A g \in Gpus : WF_vars(Gpu(g))

Spec == Init /\ [][Next]_vars
FairSpec == Spec /\ Fairness
=============================================================================
