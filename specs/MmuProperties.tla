---------------------------- MODULE MmuProperties ----------------------------
(***************************************************************************)
(* The properties, each named for what it protects. None reads Mutation.  *)
(* CONTRACT.md and README say which mutation breaks which.                 *)
(***************************************************************************)
EXTENDS MmuIntervalNotifier

CallbackPcs == {"inv_cb_start", "inv_cb_zap", "inv_cb_wait"}
SleepPcs == {"inv_cb_wait", "inv_fin_lock", "inv_fin_wait"}
\* an invalidation between its start and its return to the caller, with its range still counted
InBracket(i) == pc[i] \notin {"inv_start_range", "done", "inv_end_drain", "range_end_drain"}
Holders(n) == {i \in Invalidators : Contains(flist[i], n)}

TypeOK ==
    /\ seq \in 0..SeqMod-1
    /\ active \in Nat
    /\ tree \subseteq Notifiers /\ deferred \subseteq Notifiers
    /\ slock \in Invalidators \cup {NoProc}
    /\ iseq \in [Notifiers -> 0..SeqMod-1]
    /\ irange \in [Invalidators -> SUBSET Pages]
    /\ cur \in [Invalidators -> 0..SeqMod-1]
    /\ cursor \in [Invalidators -> Notifiers \cup {NoNotifier}]
    /\ err \in [Invalidators -> BOOLEAN]
    /\ \A i \in Invalidators : flist[i] \in Seq(Notifiers)
    /\ ninv \in [Invalidators -> Nat]
    /\ pte \in [Pages -> Nat \ {0}]
    /\ ulock \in [Gpus -> Procs \cup {NoProc}]
    /\ finuse \in [Notifiers -> BOOLEAN]
    /\ dpte \in [Gpus -> [Pages -> Nat]] /\ tlb \in [Gpus -> [Pages -> Nat]]
    /\ fences \in [Gpus -> SUBSET [n : Notifiers, by : Invalidators]]
    /\ rseq \in [Readers -> 0..SeqMod-1] /\ rval \in [Readers -> Nat] /\ nreads \in [Readers -> Nat]
    /\ rmseq \in [Dynamic -> 0..SeqMod-1]
    /\ warn \subseteq STRING

(* The headline: no device PTE and no GPU TLB entry ever holds a           *)
(* translation made from a CPU PTE version older than the current one.    *)
NoStaleDeviceAccess ==
    \A g \in Gpus, p \in Pages : dpte[g][p] \in {0, pte[p]} /\ tlb[g][p] \in {0, pte[p]}

(* active_invalidate_ranges counts every range (hit or miss) between       *)
(* mn_itree_inv_start_range and its mn_itree_inv_end.                      *)
ActiveCountsRanges == active = Cardinality({i \in Invalidators : InBracket(i)})

(* Odd invalidate_seq means a writer exists (equivalently: no active range *)
(* means an even seq, the idle state read_begin relies on).               *)
OddSeqHasWriter == Odd(seq) => active > 0

(* Each notifier's own invalidate_seq is odd (insert, set_seq with        *)
(* cur_seq), so it can equal the subscription's seq only while it is odd.  *)
NotifierSeqOdd == \A n \in Notifiers : Odd(iseq[n])

(* A finish is queued by at most one invalidation at a time, and only     *)
(* while a successful invalidate_start marked it in use.                  *)
FinishSlotIntegrity ==
    \A n \in Notifiers : Cardinality(Holders(n)) <= 1 /\ (Holders(n) # {} => finuse[n])

(* Every finish handed out runs before its invalidation changes a PTE or   *)
(* ends (mn_itree_inv_end), on the success path and on -EAGAIN.            *)
FinishBeforeReturn ==
    \A i \in Invalidators :
        pc[i] \in {"mm_change_pte", "inv_end", "range_end", "inv_end_drain", "range_end_drain"}
            => flist[i] = <<>>

(* -EAGAIN: no notifier after the failing one is called, the caller       *)
(* changes no PTE and does not call invalidate_range_end (the end ran     *)
(* once, inside mn_itree_invalidate).                                      *)
EagainContract ==
    \A i \in Invalidators :
        err[i] => pc[i] \notin CallbackPcs \cup {"mm_change_pte", "range_end", "range_end_drain"}

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
        /\ ~(Driver = "xe" /\ pc[i] = "inv_cb_zap")

(* Once mmu_interval_notifier_remove returns, the notifier is on neither  *)
(* the tree nor the deferred list and no callback for it runs or waits.    *)
RemovedIsQuiet ==
    \A d \in Dynamic : pc[d] = "removed" =>
        /\ d \notin tree /\ d \notin deferred
        /\ \A i \in Invalidators : cursor[i] # d /\ ~Contains(flist[i], d)

(* The finish pass never calls a NULL invalidate_finish.                  *)
NoNullFinishCall == \A i \in Invalidators : pc[i] # "oops"

(* Action: the interval tree changes only outside the fully excluded      *)
(* state ("the itree is not allowed to change" while seq is odd).         *)
TreeFrozenWhileInvalidating == [][tree' # tree => ~Odd(seq)]_tree

(* Action: the driver's finish_inuse changes only under its user lock.    *)
FinishSlotUnderUserLock ==
    [][\A n \in Notifiers : finuse'[n] # finuse[n] => ulock[GpuOf(n)] = step'.proc]_finuse

(* Liveness under weak fairness. *)
InvalidationsReturn == \A i \in Invalidators : <>(pc[i] = "done")
ReadersInstall == \A r \in Readers : <>(pc[r] = "done")
RemoveReturns == \A d \in Dynamic : <>(pc[d] = "removed")
=============================================================================
