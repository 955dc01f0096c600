--------------------------- MODULE MmuNotifierCore ---------------------------
(***************************************************************************)
(* The kernel side: mm/mmu_notifier.c's interval-notifier machinery as     *)
(* merged (two-pass series), one action per atomic region of the C code.   *)
(* Every action names the C function it models. The driver's callbacks     *)
(* (GpuDriver) run on the invalidating thread and end in CallbackReturns,  *)
(* the loop tail of mn_itree_invalidate / mn_itree_release.                *)
(*                                                                         *)
(* Mutations (Mutation # "none") change the code at the place they name;   *)
(* CONTRACT.md lists them. No property reads Mutation.                     *)
(***************************************************************************)
EXTENDS MmuNotifierState

M(id) == Mutation = id
IsRelease(i) == i \in Releasers
\* mmu_notifier_range_blockable(range): mn_itree_release's range is MMU_NOTIFIER_RANGE_BLOCKABLE
Blk(i) == i \in Blockable \/ i \in Releasers
\* the ops of a notifier have invalidate_start (and the kernel knows about it)
UsesStart(n) == Kernel = "merged" /\ n \in TwoPass
\* M5: the first two-pass notifier in tree order is registered without invalidate_finish
M5Notifier == TreeOrder[CHOOSE k \in 1..Len(TreeOrder) :
                          /\ TreeOrder[k] \in TwoPass
                          /\ \A j \in 1..k-1 : TreeOrder[j] \notin TwoPass]
HasFinishOp(n) == ~(M("M5") /\ n = M5Notifier)
WarnNoFinish == "mmu_interval_notifier_insert: invalidate_start without invalidate_finish"
WarnBlockableFalse == "mn_itree_invalidate: blockable callback returned false"
WarnReleaseFalse == "mn_itree_release: callback returned false"
WarnIdleOdd == "__mmu_interval_notifier_insert: idle but invalidate_seq odd"
WarnRemoveNotInTree == "mmu_interval_notifier_remove: not in the interval tree"

-----------------------------------------------------------------------------
(* Control flow of mn_itree_invalidate() / mn_itree_release() and of their *)
(* caller. "return" ends the call: the caller's next invalidation starts.  *)

\* The finish pass ended (e: err == -EAGAIN).
AfterFinishPass(i, e) ==
    CASE M("M2") /\ (e \/ IsRelease(i)) -> "return"
      [] M("M6b") /\ e -> "return"          \* -EAGAIN returned without mn_itree_inv_end
      [] M("M3") /\ ~e /\ ~IsRelease(i) -> "range_end"
      [] e \/ IsRelease(i) -> "inv_end"
      [] OTHER -> "mm_change_pte"

\* mn_itree_finish_pass() on the list fl: with an empty list it touches nothing
\* shared, so it is folded into the step before it (CONTRACT.md: inv_finish_pass).
FinishPass(i, fl, e) == IF fl = <<>> THEN AfterFinishPass(i, e) ELSE "inv_finish_pass"

\* The walk loop ended with finish list fl; stop: a non-blockable callback returned
\* false (err = -EAGAIN; break).
AfterWalk(i, stop, fl) ==
    IF Kernel = "prepatch"
    THEN IF stop \/ IsRelease(i) THEN "inv_end" ELSE "mm_change_pte"
    ELSE CASE stop /\ M("M1") -> "inv_end"                      \* v1's goto out_would_block
           [] (stop \/ IsRelease(i)) /\ M("M2") -> "inv_end"     \* inv_end before the finish pass
           [] IsRelease(i) /\ M("M19") -> "inv_end"             \* mn_itree_release without its finish pass
           [] ~stop /\ ~IsRelease(i) /\ M("M3") -> "mm_change_pte" \* finish pass deferred to range_end
           [] OTHER -> FinishPass(i, fl, stop)

\* mn_itree_inv_end() returned, called from mn_itree_invalidate/_release ("inv_end")
\* or from __mmu_notifier_invalidate_range_end ("range_end").
AfterEnd(i, from, e) ==
    IF from = "range_end" THEN "return"
    ELSE CASE M("M2") /\ Kernel = "merged" /\ (e \/ IsRelease(i)) -> FinishPass(i, flist[i], e)
           [] M("M6") /\ e -> "range_end"    \* the caller calls invalidate_range_end after -EAGAIN
           [] OTHER -> "return"

\* The first step of the finish pass's next invalidate_finish call, or the end of the pass.
\* M5: f->notifier->ops->invalidate_finish is NULL: the task oopses and never returns.
FinishEntry == IF M("D9") THEN "inv_fin_wait" ELSE "inv_fin_lock"
NextFinish(i, rest, e) ==
    IF rest = <<>> THEN AfterFinishPass(i, e)
    ELSE IF HasFinishOp(Head(rest)) THEN FinishEntry ELSE "oops"

\* Set invalidator i's locals and its next label l; "return" ends the call, the
\* on-stack finish list and range go with the stack frame. t: torn' (TearWalks).
LeaveT(i, l, e, fl, c, t) ==
    /\ torn' = t
    /\ IF l = "return"
       THEN /\ pc' = [pc EXCEPT ![i] = IF ninv[i] + 1 < MaxInv[i] THEN "inv_start_range" ELSE "done"]
            /\ ninv' = [ninv EXCEPT ![i] = @ + 1]
            /\ irange' = [irange EXCEPT ![i] = {}]
            /\ cur' = [cur EXCEPT ![i] = 0]
            /\ err' = [err EXCEPT ![i] = FALSE]
            /\ flist' = [flist EXCEPT ![i] = <<>>]
            /\ cursor' = [cursor EXCEPT ![i] = NoNotifier]
       ELSE /\ pc' = [pc EXCEPT ![i] = l]
            /\ err' = [err EXCEPT ![i] = e]
            /\ flist' = [flist EXCEPT ![i] = fl]
            /\ cursor' = [cursor EXCEPT ![i] = c]
            /\ UNCHANGED <<ninv, irange, cur>>

Leave(i, l, e, fl, c) == LeaveT(i, l, e, fl, c, torn)

\* Only the label moves.
Goto(i, l) == Leave(i, l, err[i], flist[i], cursor[i])

-----------------------------------------------------------------------------
(* mn_itree_inv_start_range(): under subscriptions->lock count the range   *)
(* (active_invalidate_ranges++); if some notifier in the itree intersects  *)
(* it, enter the fully excluded state (seq |= 1); cur_seq = seq; return    *)
(* the first hit. M8 leaves seq even; M14 does seq++ (odd becomes even).   *)
InvStartRange(i, r) ==
    /\ pc[i] = "inv_start_range"
    /\ SubsLockFree
    /\ LET first == IterFirst(r)
           s == CASE first = NoNotifier -> seq
                  [] M("M8") -> seq
                  [] M("M14") -> SeqInc(seq)
                  [] OTHER -> SeqSetOdd(seq)
       IN /\ active' = active + 1
          /\ seq' = s
          /\ cur' = [cur EXCEPT ![i] = s]
          /\ irange' = [irange EXCEPT ![i] = r]
          /\ cursor' = [cursor EXCEPT ![i] = first]
          /\ pc' = [pc EXCEPT ![i] = IF first # NoNotifier THEN "inv_cb_start"
                                                         ELSE AfterWalk(i, FALSE, <<>>)]
    /\ step' = Step(i, "inv_start_range", NoNotifier, r)
    /\ UNCHANGED <<tree, deferred, slock, iseq, wq, torn, err, flist, ninv, deviceVars, readVars, rmseq, warn>>

(* The loop tail of mn_itree_invalidate() / mn_itree_release() after a     *)
(* callback returned ok (with fin: the notifier whose finish it handed     *)
(* back, or NoNotifier): if (ret && finish) __llist_add(...) (head first); *)
(* if (!ret) { WARN_ON(blockable) -> continue; else err = -EAGAIN; break };*)
(* then mn_itree_inv_next(), an unlocked walk of the (frozen) itree; a    *)
(* walk the tree changed under (torn) may skip notifiers or end (WalkNext).*)
(* M4 queues the finish even when the start returned false.               *)
\* (w: WARN sites the callback itself fired, GpuDriver's xe_assert()s)
CallbackReturnsWarn(i, ok, fin, w) ==
    LET queue == fin # NoNotifier /\ (ok \/ M("M4"))
        fl == IF queue THEN <<fin>> \o flist[i] ELSE flist[i]
        stop == ~ok /\ ~Blk(i)
    IN /\ warn' = w \cup IF ~ok /\ Blk(i)
                        THEN warn \cup {IF IsRelease(i) THEN WarnReleaseFalse ELSE WarnBlockableFalse}
                        ELSE warn
       \* a torn walk may lose its place (WalkNext); the next one is read from a whole tree
       /\ \E nxt \in IF stop THEN {NoNotifier} ELSE WalkNext(i) :
             LeaveT(i, IF nxt # NoNotifier THEN "inv_cb_start" ELSE AfterWalk(i, stop, fl), stop, fl, nxt,
                    [torn EXCEPT ![i] = FALSE])

CallbackReturns(i, ok, fin) == CallbackReturnsWarn(i, ok, fin, {})

(* mn_itree_finish_pass(): llist_reverse_order(__llist_del_all()) puts the *)
(* finishes back in the order their starts handed them out; then each      *)
(* f->notifier->ops->invalidate_finish(f) (GpuDriver: FinLock, FinWait).   *)
InvFinishPass(i) ==
    /\ pc[i] = "inv_finish_pass"
    /\ LET fl == Reverse(flist[i])
       IN Leave(i, NextFinish(i, fl, err[i]), err[i], fl, cursor[i])
    /\ step' = Step(i, "inv_finish_pass", NoNotifier, irange[i])
    /\ UNCHANGED <<coreVars, deviceVars, readVars, rmseq, warn>>

(* mn_itree_inv_end(), the part under subscriptions->lock up to the seq    *)
(* bump: --active_invalidate_ranges; the last range out of the fully      *)
(* excluded state makes invalidate_seq even and keeps the lock to drain    *)
(* the deferred list (InvEndDrain). Called from mn_itree_invalidate on     *)
(* -EAGAIN and from mn_itree_release ("inv_end"), and from                 *)
(* __mmu_notifier_invalidate_range_end ("range_end"). M18 drains the       *)
(* deferred list on every call, not only the last one out of the odd seq. *)
InvEnd(i) ==
    /\ pc[i] \in {"inv_end", "range_end"}
    /\ SubsLockFree
    /\ active' = active - 1
    /\ IF active - 1 = 0 /\ Odd(seq)
       THEN /\ seq' = SeqInc(seq)
            /\ slock' = i
            /\ Goto(i, IF pc[i] = "inv_end" THEN "inv_end_drain" ELSE "range_end_drain")
       ELSE IF M("M18")    \* drain on every call, the seq left as it is
       THEN /\ slock' = i
            /\ UNCHANGED seq
            /\ Goto(i, IF pc[i] = "inv_end" THEN "inv_end_drain" ELSE "range_end_drain")
       ELSE /\ UNCHANGED <<seq, slock>>
            /\ Goto(i, AfterEnd(i, pc[i], err[i]))
    /\ step' = Step(i, pc[i], NoNotifier, irange[i])
    /\ UNCHANGED <<tree, deferred, iseq, wq, deviceVars, readVars, rmseq, warn>>

(* mn_itree_inv_end(), still under subscriptions->lock: progress every     *)
(* deferred insert (not in the tree) and remove (in the tree), with        *)
(* interval_tree_insert / interval_tree_remove (TearWalks); unlock;        *)
(* wake_up_all(&subscriptions->wq): every task asleep on the queue is      *)
(* taken off it and runs again, to re-check its condition (ReadBeginWait,  *)
(* RemoveWait). The wake-up is part of this step, after the unlock: in the *)
(* kernel a later step may come between spin_unlock and wake_up_all, but   *)
(* nothing a sleeper's condition reads goes back meanwhile (only a new     *)
(* invalidation can move the seq, on to a value it then wakes the queue    *)
(* from), and a task that joins the queue there finds the seq moved on    *)
(* (see ReadBeginWait), so the wake-up may as well come at once. The only  *)
(* wake_up_all of subscriptions->wq: the early return of mn_itree_inv_end  *)
(* (not the last range, or the seq even) wakes nobody.                     *)
(* M13: no wake_up_all, the sleepers stay asleep (a lost wake-up).        *)
InvEndDrain(i) ==
    /\ pc[i] \in {"inv_end_drain", "range_end_drain"}
    /\ LET t == (tree \ deferred) \cup (deferred \ tree)
       IN /\ tree' = t
          /\ LeaveT(i, AfterEnd(i, IF pc[i] = "inv_end_drain" THEN "inv_end" ELSE "range_end", err[i]),
                    err[i], flist[i], cursor[i], TearWalks(t))   \* a walk in progress is torn (M18 only)
    /\ deferred' = {}
    /\ slock' = NoProc
    /\ wq' = IF M("M13") THEN wq ELSE {}
    /\ step' = Step(i, pc[i], NoNotifier, irange[i])
    /\ UNCHANGED <<seq, active, iseq, deviceVars, readVars, rmseq, warn>>

(* The caller of __mmu_notifier_invalidate_range_start() got 0 and changes *)
(* the CPU PTEs of its range (zap_pte_range, change_pte_range, ...) before *)
(* it calls mmu_notifier_invalidate_range_end().                           *)
MmChangePte(i) ==
    /\ pc[i] = "mm_change_pte"
    /\ pte' = [p \in Pages |-> IF p \in irange[i] THEN pte[p] + 1 ELSE pte[p]]
    /\ Goto(i, IF M("M3") THEN FinishPass(i, flist[i], err[i]) ELSE "range_end")
    /\ step' = Step(i, "mm_change_pte", NoNotifier, irange[i])
    /\ UNCHANGED <<coreVars, ulock, rlock, finuse, tlbsub, dpte, tlb, iommu, fences, readVars, rmseq, warn>>

-----------------------------------------------------------------------------
(* mmu_interval_read_begin(), under subscriptions->lock: seq =             *)
(* READ_ONCE(interval_sub->invalidate_seq); is_invalidating = seq ==       *)
(* subscriptions->invalidate_seq. Unlock; if (is_invalidating) the first   *)
(* turn of wait_event(wq, ...) (WaitEventTurn: join wq, check) comes in    *)
(* the same step: the reader goes to sleep on wq. Its check would see the  *)
(* seq moved on only after the mn_itree_inv_end that moves it, which holds *)
(* the lock from there to its drain and wake-up (InvEnd, InvEndDrain); a   *)
(* reader that went on in between reads nothing that drain writes (tree,   *)
(* deferred list, lock, wq) and the drain nothing the reader's next steps  *)
(* read or write, so it is the reader woken just after the drain, one step *)
(* later. Folding the turn in saves the model every state of a reader      *)
(* between its unlock and its first check. The remover's wait is not      *)
(* folded (RemoveWait): its condition takes the lock, and M10's race is a  *)
(* remover that checks between the seq bump and the drain. (This holds for *)
(* the code as merged. M14's start moves an odd seq on without a drain: a  *)
(* reader that had not gone to sleep would go on, the model's sleeps until *)
(* a drain that M14's even seq never brings; M14 breaks NotifierSeqOdd     *)
(* first, and its model checks that.)                                      *)
ReadBegin(r) ==
    /\ pc[r] = "read_begin"
    /\ Bound(ReaderNotifier[r])   \* the driver faults only through a bound userptr
    /\ SubsLockFree
    /\ LET s == iseq[ReaderNotifier[r]]
       IN /\ rseq' = [rseq EXCEPT ![r] = s]
          /\ pc' = [pc EXCEPT ![r] = IF s = seq THEN "read_begin_wait" ELSE "read_pte"]
          /\ wq' = IF s = seq THEN wq \cup {r} ELSE wq
    /\ step' = Step(r, "read_begin", ReaderNotifier[r], {})
    /\ UNCHANGED <<seq, active, tree, deferred, slock, iseq, invVars, deviceVars, rval, nreads, rmseq, warn>>

(* wait_event(wq, cond) as the kernel runs it: the loop of                 *)
(* prepare_to_wait_event (the task joins the queue), a check of cond       *)
(* (true: finish_wait, leave the queue, go on) and schedule() (asleep      *)
(* until a wake_up_all takes it off the queue; then the loop again). One   *)
(* step is one turn of the loop up to schedule(): the task joins the queue *)
(* and checks cond. Joining before the check is what closes the lost       *)
(* wake-up window: a waker that moves the seq on and then wakes the queue  *)
(* either comes before the check (the check sees the seq moved) or finds   *)
(* the task on the queue. (wait_event's first check, before the loop,      *)
(* needs no step of its own: false, it is followed by this step's; true,  *)
(* this step's is true too.) A sleeper (in wq) takes no step until it is   *)
(* woken (InvEndDrain).                                                    *)
WaitEventTurn(p, cond, done) ==
    /\ p \notin wq
    /\ IF cond
       THEN /\ done
            /\ UNCHANGED wq
       ELSE /\ wq' = wq \cup {p}
            /\ UNCHANGED pc

(* mmu_interval_read_begin(): wait_event(wq,                               *)
(* READ_ONCE(subscriptions->invalidate_seq) != seq), read without the lock: *)
(* the turns after a wake-up (WaitEventTurn): go on, or sleep on wq again  *)
(* (the seq wrapped back to the sampled one: SeqMod).                      *)
ReadBeginWait(r) ==
    /\ pc[r] = "read_begin_wait"
    /\ WaitEventTurn(r, seq # rseq[r], pc' = [pc EXCEPT ![r] = "read_pte"])
    /\ step' = Step(r, "read_begin_wait", ReaderNotifier[r], {})
    /\ UNCHANGED <<seq, active, tree, deferred, slock, iseq, invVars, deviceVars, readVars, rmseq, warn>>

-----------------------------------------------------------------------------
(* __mmu_interval_notifier_insert(), under subscriptions->lock (called by  *)
(* mmu_interval_notifier_insert, whose v3 WARN_ON_ONCE warns about an      *)
(* invalidate_start without invalidate_finish and inserts anyway):         *)
(*   fully excluded: defer the add; iseq = seq                             *)
(*   partially excluded: seq |= 1; insert; iseq = seq                      *)
(*   idle: WARN_ON(odd seq); iseq = seq - 1; insert.   (M9: iseq = seq)    *)
(* M17 drops the partially excluded branch's seq |= 1 (iseq = seq kept).   *)
(* Then the driver uses the notifier until its unbind (GpuDriver).        *)
Insert(d) ==
    /\ pc[d] = "insert"
    /\ SubsLockFree
    /\ LET w0 == IF UsesStart(d) /\ ~HasFinishOp(d) THEN {WarnNoFinish} ELSE {}
       IN IF active # 0
          THEN IF Odd(seq)
               THEN /\ deferred' = deferred \cup {d}
                    /\ iseq' = [iseq EXCEPT ![d] = seq]
                    /\ warn' = warn \cup w0
                    /\ UNCHANGED <<seq, tree, torn>>
               ELSE \* M17: no seq |= 1 (the rest kept: iseq = seq)
                    LET s == IF M("M17") THEN seq ELSE SeqSetOdd(seq)
                    IN /\ seq' = s
                       /\ tree' = tree \cup {d}
                       /\ iseq' = [iseq EXCEPT ![d] = s]
                    /\ warn' = warn \cup w0
                    /\ torn' = TearWalks(tree \cup {d})   \* no walk is in progress (M8, M14: one is)
                    /\ UNCHANGED deferred
          ELSE /\ warn' = warn \cup w0 \cup (IF Odd(seq) THEN {WarnIdleOdd} ELSE {})
               /\ iseq' = [iseq EXCEPT ![d] = IF M("M9") THEN seq ELSE SeqDec(seq)]
               /\ tree' = tree \cup {d}
               /\ torn' = TearWalks(tree \cup {d})      \* idle: no walk is in progress
               /\ UNCHANGED <<seq, deferred>>
    /\ pc' = [pc EXCEPT ![d] = "unbind"]
    /\ step' = Step(d, "insert", d, NotifierPages[d])
    /\ UNCHANGED <<active, slock, wq, irange, cur, cursor, err, flist, ninv, deviceVars, readVars, rmseq>>

(* mmu_interval_notifier_remove(), the part under subscriptions->lock:     *)
(*   fully excluded, pending add (not in tree): hlist_del, no wait         *)
(*   fully excluded, in the tree: defer the remove; wait for seq to move   *)
(*   otherwise: WARN_ON(not in tree); interval_tree_remove.                *)
(* M11 removes at once while the tree is frozen; M12 defers but does not  *)
(* wait.                                                                   *)
Remove(d) ==
    /\ pc[d] = "remove"
    /\ SubsLockFree
    /\ IF Odd(seq)
       THEN IF d \notin tree
            THEN /\ deferred' = deferred \ {d}
                 /\ pc' = [pc EXCEPT ![d] = "removed"]
                 /\ UNCHANGED <<tree, torn, rmseq, warn>>
            ELSE IF M("M11")
            THEN /\ tree' = tree \ {d}
                 /\ torn' = TearWalks(tree \ {d})     \* M11: walks are in progress
                 /\ pc' = [pc EXCEPT ![d] = "removed"]
                 /\ UNCHANGED <<deferred, rmseq, warn>>
            ELSE /\ deferred' = deferred \cup {d}
                 /\ rmseq' = [rmseq EXCEPT ![d] = IF M("M12") THEN 0 ELSE seq]
                 \* if (seq) wait_event(...): a zero seq does not wait
                 /\ pc' = [pc EXCEPT ![d] = IF M("M12") \/ seq = 0 THEN "removed" ELSE "remove_wait"]
                 /\ UNCHANGED <<tree, torn, warn>>
       ELSE /\ warn' = IF d \notin tree THEN warn \cup {WarnRemoveNotInTree} ELSE warn
            /\ tree' = tree \ {d}
            /\ torn' = TearWalks(tree \ {d})          \* seq even: no walk is in progress
            /\ pc' = [pc EXCEPT ![d] = "removed"]
            /\ UNCHANGED <<deferred, rmseq>>
    /\ step' = Step(d, "remove", d, NotifierPages[d])
    /\ UNCHANGED <<seq, active, slock, iseq, wq, irange, cur, cursor, err, flist, ninv, deviceVars, readVars>>

(* mmu_interval_notifier_remove(): wait_event(wq,                          *)
(* mmu_interval_seq_released(subscriptions, seq)), whose condition reads   *)
(* invalidate_seq under subscriptions->lock (the 2022 fix). M10 is the     *)
(* pre-2022 READ_ONCE without the lock, which can see the bumped seq while *)
(* mn_itree_inv_end still holds the lock to drain the deferred list (a     *)
(* remover that had not gone to sleep yet; a sleeper is woken only after   *)
(* the unlock). A turn of the wait (WaitEventTurn): return, or sleep on wq.*)
RemoveWait(d) ==
    /\ pc[d] = "remove_wait"
    /\ SubsLockFree \/ M("M10")
    /\ WaitEventTurn(d, seq # rmseq[d], pc' = [pc EXCEPT ![d] = "removed"])
    /\ rmseq' = IF seq # rmseq[d] THEN [rmseq EXCEPT ![d] = 0] ELSE rmseq
    /\ step' = Step(d, "remove_wait", d, NotifierPages[d])
    /\ UNCHANGED <<seq, active, tree, deferred, slock, iseq, invVars, deviceVars, readVars, warn>>
=============================================================================
