-------------------------- MODULE MmuNotifierState --------------------------
(***************************************************************************)
(* The state of the model: constants, variables and small helpers shared   *)
(* by the kernel core (MmuNotifierCore), the driver (GpuDriver), the       *)
(* specification (MmuIntervalNotifier) and the properties (MmuProperties). *)
(*                                                                         *)
(* Names follow mm/mmu_notifier.c and include/linux/mmu_notifier.h as      *)
(* merged for 7.1 (two-pass series v4, whose mm/mmu_notifier.c is v3's).   *)
(* specs/CONTRACT.md lists every variable with its type and encoding.      *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets

CONSTANTS
    Kernel,          \* "merged" (two-pass series applied) or "prepatch" (single pass only)
    Driver,          \* [Gpus -> {"xe", "xe-fences", "xe-inject", "xe-inject-fixed", "trylock"}]:
                     \* the driver of each GPU's instance: xe (non-blockable start returns
                     \* false; GpuDriver's XeDrivers says what each xe form adds) or "trylock"
                     \* (test_hmm style)
    Mutation,        \* "none" or one id of the catalogue (CONTRACT.md): "M1", ..., "D12"
    SeqMod,          \* invalidate_seq is an unsigned long; the model keeps it modulo SeqMod (even)
    Pages,           \* the virtual pages of the mm
    Notifiers,       \* struct mmu_interval_notifier subscriptions
    TreeOrder,       \* sequence of all Notifiers in interval-tree order (by start address)
    NotifierPages,   \* [Notifiers -> SUBSET Pages]: [start, start + length) of each
    NotifierGpu,     \* [Notifiers -> Gpus]: the driver instance (one per GPU) owning each
    TwoPass,         \* notifiers whose ops have invalidate_start (the others: invalidate)
    InitialTree,     \* notifiers inserted before the behaviour starts
    Dynamic,         \* notifiers inserted and then removed by a process of their own
    Gpus,            \* one driver instance, user lock and TLB per GPU
    Invalidators,    \* mm contexts calling mmu_notifier_invalidate_range_start[_nonblock]
    Blockable,       \* the subset of Invalidators whose ranges are blockable
    Releasers,       \* the subset of Invalidators that are exit_mmap's mn_itree_release
    InvRanges,       \* [Invalidators -> SUBSET SUBSET Pages]: the ranges each may invalidate
    MaxInv,          \* [Invalidators -> Nat]: invalidations each one performs
    Readers,         \* driver fault paths (hmm_range_fault users)
    ReaderNotifier,  \* [Readers -> Notifiers]: the subscription each reader faults through
    ReaderPage,      \* [Readers -> Pages]: the page each reader maps on its GPU
    MaxReads,        \* device PTEs each reader installs before it stops
    NoProc,          \* model value: nobody (a free lock)
    NoNotifier       \* model value: NULL

VARIABLES
    \* struct mmu_notifier_subscriptions
    seq,        \* invalidate_seq, modulo SeqMod
    active,     \* active_invalidate_ranges
    tree,       \* the notifiers in the interval tree (itree)
    deferred,   \* deferred_list: pending inserts (not in tree) and removes (in tree)
    slock,      \* subscriptions->lock when held across steps (only mn_itree_inv_end's drain)
    wq,         \* subscriptions->wq: the tasks asleep on it (readers in mmu_interval_read_begin's
                \* wait_event, removers in mmu_interval_notifier_remove's); a sleeper runs again
                \* only after a wake_up_all (mn_itree_inv_end) has taken it off the queue
    \* struct mmu_interval_notifier
    iseq,       \* [Notifiers -> 0..SeqMod-1]: interval_sub->invalidate_seq
    \* every process
    pc,         \* [process -> label of its next step]
    \* locals of mn_itree_invalidate / mn_itree_release and their caller
    irange,     \* [Invalidators -> SUBSET Pages]: the range being invalidated
    cur,        \* [Invalidators -> 0..SeqMod-1]: cur_seq
    cursor,     \* [Invalidators -> Notifiers \cup {NoNotifier}]: interval_sub of the walk
    torn,       \* [Invalidators -> BOOLEAN]: the interval tree changed under the walk since its
                \* last mn_itree_inv_next (TearWalks); its next one may lose its place (WalkNext)
    err,        \* [Invalidators -> BOOLEAN]: err == -EAGAIN
    flist,      \* [Invalidators -> Seq(Notifiers)]: LLIST_HEAD(finish_passes), head first
    ninv,       \* [Invalidators -> Nat]: invalidations completed
    \* the mm and the devices
    pte,        \* [Pages -> Nat]: version of each CPU PTE (the mm bumps it on each change)
    ulock,      \* [Gpus -> process or NoProc]: each driver instance's user lock (notifier_lock),
                \* its holder in write mode (the trylock driver's mutex: its holder)
    rlock,      \* [Gpus -> SUBSET Readers]: the fault paths holding xe's notifier_lock in read mode
    finuse,     \* [Notifiers -> BOOLEAN]: xe's userptr->finish_inuse
    tlbsub,     \* [Notifiers -> process or NoProc]: xe's userptr->tlb_inval_submitted (NoProc:
                \* false), and whose TLB invalidation fence userptr->inval_batch holds
    dpte,       \* [Gpus -> [Pages -> Nat]]: device PTE, as the CPU PTE version it was made from (0: none)
    tlb,        \* [Gpus -> [Pages -> Nat]]: GPU TLB entry, likewise
    iommu,      \* [Gpus -> [Pages -> Nat]]: the device's IOMMU (DMA) mapping of each page, as the CPU
                \* PTE version whose page it maps (0: none); stays 0 unless the model sets ModelIommu
    fences,     \* [Gpus -> SUBSET [n : Notifiers \cup {NoNotifier}, by : Procs]]: the fences GPU g
                \* has not signalled: TLB invalidations, each covering notifier n's pages, submitted
                \* by by's callback (or by the driver's unbind of dynamic notifier by = n, or by
                \* reader by's inject path); and (n = NoNotifier) bind jobs, in the VM's dma-resv
    \* locals of the reader (driver fault path)
    rseq,       \* [Readers -> 0..SeqMod-1]: the value mmu_interval_read_begin returned
    rval,       \* [Readers -> Nat]: the CPU PTE version hmm_range_fault read
    nreads,     \* [Readers -> Nat]: device PTEs installed
    \* locals of mmu_interval_notifier_remove
    rmseq,      \* [Dynamic -> 0..SeqMod-1]: the seq remove waits to move on from (0: no wait)
    \* observations
    warn,       \* set of WARN_ON sites that fired (strings)
    step        \* the step that produced this state: [proc, label, notifier, pages]

coreVars   == <<seq, active, tree, deferred, slock, iseq, wq>>
invVars    == <<irange, cur, cursor, torn, err, flist, ninv>>
deviceVars == <<pte, ulock, rlock, finuse, tlbsub, dpte, tlb, iommu, fences>>
readVars   == <<rseq, rval, nreads>>
vars == <<coreVars, pc, invVars, deviceVars, readVars, rmseq, warn, step>>

Procs == Invalidators \cup Readers \cup Dynamic

-----------------------------------------------------------------------------
(* Sequence-number arithmetic (unsigned long, modulo SeqMod). *)
Odd(x) == x % 2 = 1
\* seq |= 1 (seq is even below SeqMod, so seq + 1 < SeqMod)
SeqSetOdd(x) == IF Odd(x) THEN x ELSE x + 1
\* seq++
SeqInc(x) == (x + 1) % SeqMod
\* seq - 1, as unsigned arithmetic wraps
SeqDec(x) == (x + SeqMod - 1) % SeqMod
InitialSeq == 2 % SeqMod   \* __mmu_notifier_register: invalidate_seq = 2

(* The interval tree: interval_tree_iter_first / interval_tree_iter_next. *)
Hits(n, r) == NotifierPages[n] \cap r # {}
PosOf(n) == CHOOSE k \in 1..Len(TreeOrder) : TreeOrder[k] = n
\* the first notifier in tree order at or after position k that is in the tree and hits r
FirstFrom(k, r) ==
    LET ks == {j \in k..Len(TreeOrder) : TreeOrder[j] \in tree /\ Hits(TreeOrder[j], r)}
    IN IF ks = {} THEN NoNotifier ELSE TreeOrder[CHOOSE j \in ks : \A m \in ks : j <= m]
IterFirst(r) == FirstFrom(1, r)
IterNext(n, r) == FirstFrom(PosOf(n) + 1, r)

(* The walk over a tree that changes under it. mn_itree_inv_next runs      *)
(* without subscriptions->lock: interval_tree_iter_next follows the        *)
(* rb-tree's pointers from the walk's node (its right child, then up its   *)
(* parents) and prunes subtrees by their cached subtree_last.              *)
(* interval_tree_insert and interval_tree_remove (the drain of             *)
(* mn_itree_inv_end, or a direct insert/remove) relink nodes and rotate    *)
(* subtrees with plain stores, under the lock but not under the walker's.  *)
(* A walker whose pointer reads interleave with those stores (a child      *)
(* read before a rotation, a parent after it, a stale subtree_last), or    *)
(* that steps on from a node just erased (whose pointers still name its    *)
(* old neighbours), can miss nodes that stay in the tree and overlap its   *)
(* range, or stop early. The model keeps of the rb-tree only its order     *)
(* (TreeOrder: by start, equal starts in insertion order, as the walk sees *)
(* them) and which notifiers are in it; it does not model nodes, links or  *)
(* rotations. A change of the tree while walk i has a notifier in hand     *)
(* marks the walk torn; its next mn_itree_inv_next may then return any     *)
(* later notifier in tree order that is in the tree and hits the range (it *)
(* skips those before it) or NULL (the walk ends), the correct next one    *)
(* included. It never returns a notifier before the walk's place or one    *)
(* outside the tree: revisits and freed nodes are not modelled. The kernel *)
(* keeps the tree frozen while any walk is in progress (seq odd from the   *)
(* first hit to the last mn_itree_inv_end; inserts and removes deferred), *)
(* so in the code as merged no walk is ever torn.                          *)
Walking(i) == cursor[i] # NoNotifier
\* torn' after the tree becomes t: every walk in progress is torn by a change
TearWalks(t) == [i \in Invalidators |-> torn[i] \/ (Walking(i) /\ t # tree)]
\* the notifiers after n in tree order that are in the tree and hit r
HitsAfter(n, r) ==
    {TreeOrder[j] : j \in {k \in PosOf(n) + 1..Len(TreeOrder) :
                               TreeOrder[k] \in tree /\ Hits(TreeOrder[k], r)}}
\* where walk i's mn_itree_inv_next may go from its cursor
WalkNext(i) ==
    IF torn[i] THEN HitsAfter(cursor[i], irange[i]) \cup {NoNotifier}
    ELSE {IterNext(cursor[i], irange[i])}

(* Sequences *)
Reverse(s) == [k \in 1..Len(s) |-> s[Len(s) - k + 1]]
Contains(s, x) == \E k \in 1..Len(s) : s[k] = x

(* The notifier's GPU and the pages its driver maps. *)
GpuOf(n) == NotifierGpu[n]

\* The step record: who moved, at which label, on which notifier, with which range.
Step(p, label, n, r) == [proc |-> p, label |-> label, notifier |-> n, pages |-> r]

(* The driver's binding of a notifier's userptr (xe: a userptr VMA from    *)
(* xe_userptr_setup until prep_vma_destroy sets XE_VMA_DESTROYED under the *)
(* notifier lock; GpuDriver's Unbind). A notifier of the initial tree is   *)
(* bound throughout; a dynamic one from its insert until its unbind, and   *)
(* Unbound after the unbind (its fault path stops).                       *)
(* D5 marks the userptr destroyed only at the end of its teardown         *)
(* (unbind_mark), so under D5 it is still bound while the unbind zaps and  *)
(* waits.                                                                  *)
BoundPcs == IF Mutation = "D5" THEN {"unbind", "unbind_wait", "unbind_mark"} ELSE {"unbind"}
\* (IF, not \/ or /\: in an action TLC explores each disjunct, and pc has no static notifier)
Bound(n) == IF n \in Dynamic THEN pc[n] \in BoundPcs ELSE TRUE
Unbound(n) == IF n \in Dynamic THEN pc[n] \notin {"insert"} \cup BoundPcs ELSE FALSE

\* The user lock of GPU g is free: no holder in write mode, none in read mode.
UserLockFree(g) == ulock[g] = NoProc /\ rlock[g] = {}

\* The subscriptions spin lock is free (it is held across steps only by the drain of inv_end).
SubsLockFree == slock = NoProc
=============================================================================
