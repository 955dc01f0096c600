---------------------------------- MODULE MC ----------------------------------
(***************************************************************************)
(* Model values and per-model definitions for the configurations in        *)
(* model-check/ (bounds, VIEW, SYMMETRY). The spec is MmuProperties.       *)
(***************************************************************************)
EXTENDS MmuProperties, TLC

CONSTANTS n1, n2, n3, n4, d1, i1, i2, i3, rel, r1, r2, r3, g1, g2, g3

\* VIEW for safety runs: the step record says how a state was reached, not what it is.
StateView == <<coreVars, pc, invVars, deviceVars, readVars, rmseq, warn>>

\* For sampling behaviours (mmu-check refine): TLC's simulation mode reports the random
\* behaviour that first breaks this, i.e. one that runs until every process has finished.
BehaviourRunning == ~Finished

(* default: two two-pass notifiers over page 1, n1 on GPU g1 and n2 on GPU  *)
(* g2; a single-pass notifier n3 on g2 over pages 1 and 2; page 3 is       *)
(* covered by nobody (a miss). Readers on both GPUs: r1 faults page 1      *)
(* through n1 on g1, r2 page 2 through n3 on g2. So each GPU has a page   *)
(* whose only fence is one kind of callback's: page 1 on g1 only n1's      *)
(* (a finish waits for it), page 2 on g2 only n3's (an inline wait).       *)
DefTreeOrder == <<n1, n2, n3>>
DefNotifierPages == (n1 :> {1}) @@ (n2 :> {1}) @@ (n3 :> {1, 2})
DefNotifierGpu == (n1 :> g1) @@ (n2 :> g2) @@ (n3 :> g2)
DefInvRanges == (i1 :> {{1}, {2}}) @@ (i2 :> {{1}, {3}})
DefMaxInv == (i1 :> 1) @@ (i2 :> 1)
DefReaderNotifier == (r1 :> n1) @@ (r2 :> n3)
DefReaderPage == (r1 :> 1) @@ (r2 :> 2)

\* The driver of every GPU's instance (Driver is a function: a model may mix them).
AllXe == [g \in Gpus |-> "xe"]
AllTrylock == [g \in Gpus |-> "trylock"]

\* default plus exit_mmap's mn_itree_release (rel: full range, once)
RelInvRanges == DefInvRanges @@ (rel :> {{1, 2, 3}})
RelMaxInv == DefMaxInv @@ (rel :> 1)
\* default plus a second blockable invalidator over page 1 (two concurrent users of one finish)
TwoBlkInvRanges == DefInvRanges @@ (i3 :> {{1}})
TwoBlkMaxInv == DefMaxInv @@ (i3 :> 1)
(* dynamic: default's notifiers plus d1, a two-pass notifier on its own   *)
(* GPU g3 over page 3, inserted, unbound by its driver and removed by the  *)
(* Lifecycle process d1. Page 3 is the page every other notifier misses,   *)
(* so a range {3} that starts before the insert is the partially excluded  *)
(* state (ranges active, none hit) and overlaps d1: the insert's seq |= 1  *)
(* is what makes d1's reader wait for that range's PTE change. Both        *)
(* invalidators pick page 1 (the notifiers of the initial tree, on g1 and  *)
(* g2: the two-GPU pipelining) or page 3 (d1, or a miss). Readers: r1      *)
(* faults page 1 through n1 on g1 as in default; r3 faults page 3 through  *)
(* d1 on g3, only while d1 is bound (between its insert and its unbind).   *)
(* default's r2 (page 2 on g2) is left out, and no invalidator picks page  *)
(* 2: with it the model grows past the quick set's time budget, and        *)
(* default already has a reader on g2. The readers sit on different GPUs   *)
(* and pages: no symmetry.                                                 *)
DynTreeOrder == <<n1, n2, n3, d1>>
DynNotifierPages == DefNotifierPages @@ (d1 :> {3})
DynNotifierGpu == DefNotifierGpu @@ (d1 :> g3)
DynInvRanges == (i1 :> {{1}, {3}}) @@ (i2 :> {{1}, {3}})
DynReaderNotifier == (r1 :> n1) @@ (r3 :> d1)
DynReaderPage == (r1 :> 1) @@ (r3 :> 3)

(* tree-walk: M18's base, the walk over a tree that changes under it.      *)
(* n3 (single-pass, g2, pages 1 and 2) and n1 (two-pass, g1, page 1) as in *)
(* default; equal starts keep their insertion order in the interval tree,  *)
(* and n3 was inserted first, so a walk over page 1 calls n3, then n1. d1  *)
(* (two-pass, g3, page 3) is inserted, unbound by its driver and removed.  *)
(* i1 (blockable) invalidates page 1; i2 (the OOM reaper) page 3: a miss   *)
(* before d1 is in the tree (the partially excluded state), d1's range     *)
(* after. The only reader, r1, faults page 1 through n1 on g1: n1 is the   *)
(* notifier a walk that lost its place after n3 skips, and the only one    *)
(* mapping page 1 on g1, so a skip leaves r1's translation there when i1   *)
(* changes the PTE. The code as merged defers d1's insert and remove while *)
(* i1 walks (Witness_WalkWhileChangeDeferred); M18 drains them at i2's     *)
(* end, under i1's walk. One reader: no symmetry.                          *)
TreeWalkTreeOrder == <<n3, n1, d1>>
TreeWalkNotifierPages == (n1 :> {1}) @@ (n3 :> {1, 2}) @@ (d1 :> {3})
TreeWalkNotifierGpu == (n1 :> g1) @@ (n3 :> g2) @@ (d1 :> g3)
TreeWalkInvRanges == (i1 :> {{1}}) @@ (i2 :> {{3}})
TreeWalkReaderNotifier == r1 :> n1
TreeWalkReaderPage == r1 :> 1

(* scale: default's notifiers plus d1 as dynamic had it before its reader  *)
(* (two-pass, on g2 over pages 1 and 2, inserted, unbound and removed, no  *)
(* reader), a second blockable invalidator, and its own readers: two      *)
(* readers of n1's page 1 on g1. SYMMETRY may only permute processes that  *)
(* are interchangeable in every constant: r1 and r2 here fault the same    *)
(* page through the same notifier on the same GPU with the same bound      *)
(* (unlike default's and dynamic's readers, which sit on different GPUs    *)
(* and pages, so no model that uses DefReader* or DynReader* may use       *)
(* symmetry over them); i1 and i3 are both blockable with the same ranges  *)
(* and bound. GPUs are not permuted (Driver, NotifierGpu name them); d1 is *)
(* not permuted (the only dynamic notifier; its unbind's fence has by =    *)
(* d1); an invalidator's fence's "by" field is permuted with it.           *)
ScaleNotifierPages == DefNotifierPages @@ (d1 :> {1, 2})
ScaleNotifierGpu == DefNotifierGpu @@ (d1 :> g2)
ScaleInvRanges == (i1 :> {{1}, {2}}) @@ (i3 :> {{1}, {2}}) @@ (i2 :> {{1}})
ScaleMaxInv == (i1 :> 1) @@ (i3 :> 1) @@ (i2 :> 1)
ScaleReaderNotifier == (r1 :> n1) @@ (r2 :> n1)
ScaleReaderPage == (r1 :> 1) @@ (r2 :> 1)
ScaleSymmetry == Permutations({r1, r2}) \cup Permutations({i1, i3})

(* wrap-K-mM: one reader on n1 while one blockable invalidator performs K     *)
(* invalidations of page 1; invalidate_seq modulo M.                          *)
WrapTreeOrder == <<n1>>
WrapNotifierPages == n1 :> {1}
WrapNotifierGpu == n1 :> g1
WrapInvRanges == i1 :> {{1}}
Wrap1 == i1 :> 1
Wrap2 == i1 :> 2
Wrap3 == i1 :> 3
WrapReaderNotifier == r1 :> n1
WrapReaderPage == r1 :> 1
(* live-eagain: live-wake plus the OOM reaper i2 (not blockable) over the   *)
(* same page: xe refuses its start, so it ends in -EAGAIN. The base of      *)
(* M6b-live (an -EAGAIN that skips mn_itree_inv_end leaves the seq odd).    *)
LiveEagainInvRanges == (i1 :> {{1}}) @@ (i2 :> {{1}})
LiveEagainMaxInv == (i1 :> 1) @@ (i2 :> 1)

(* mixed: default's notifiers and readers (one install each), the trylock   *)
(* driver on g1 and xe on g2. The OOM reaper (i2) takes n1's lock with     *)
(* mutex_trylock and gets its finish, then xe refuses it on n2: -EAGAIN    *)
(* with a finish queued, the situation of FinishBeforeReturn's -EAGAIN     *)
(* half and of M1 (which xe alone never reaches: it refuses every          *)
(* non-blockable start). The reaper's finish pass then sleeps, the trylock *)
(* finding, so mixed leaves NoSleepInNonBlockable out as trylock-rest does.*)
MixedDriver == (g1 :> "trylock") @@ (g2 :> "xe")

(* release-small: xe on both GPUs, i1 (default's blockable invalidator)    *)
(* and exit_mmap's mn_itree_release, one install per reader: both are      *)
(* blockable, so one of them finds xe's finish of n1 or n2 in use and      *)
(* waits inline (xe's in-use fallback), and the release hands out finishes.*)
RelSmallInvRanges == (i1 :> DefInvRanges[i1]) @@ (rel :> {{1, 2, 3}})
RelSmallMaxInv == (i1 :> 1) @@ (rel :> 1)
(* unbind-small: dynamic cut down to d1's lifecycle: d1 (two-pass, GPU g3,  *)
(* page 3) inserted, unbound and removed; r3 faults page 3 through it while *)
(* it is bound; i1 (blockable) invalidates page 3 once. The base of D5.    *)
UnbindTreeOrder == <<d1>>
UnbindNotifierPages == d1 :> {3}
UnbindNotifierGpu == d1 :> g3
UnbindInvRanges == i1 :> {{3}}
UnbindReaderNotifier == r3 :> d1
UnbindReaderPage == r3 :> 3
(* exclusive: wrap-k1-m8's notifier, invalidator and reader, r1 faulting   *)
(* with make_device_exclusive_range (nouveau_atomic_range_fault). The base *)
(* of D7. (n1 is the only notifier over page 1, as ReadExclusive needs.)   *)
ExclusiveR1 == {r1}
(* iommu: wrap-k1-m8's notifier, invalidator and reader with the IOMMU     *)
(* mapping modelled (ModelIommu). The base of D6.                          *)
IommuOn == TRUE

(* xe-flows: one xe GPU whose fault path's binds leave fences in the VM's  *)
(* dma-resv ("xe-fences"), one two-pass userptr n1 over page 1, one       *)
(* reader of it and two blockable invalidations of page 1: pass 1 defers  *)
(* (bind fence pending), submits its TLB invalidation (fences signalled)   *)
(* or falls back inline (the finish in use).                               *)
XeFlowsDriver == g1 :> "xe-fences"
XeTreeOrder == <<n1>>
XeNotifierPages == n1 :> {1}
XeNotifierGpu == n1 :> g1
XeFlowsInvRanges == (i1 :> {{1}}) @@ (i3 :> {{1}})
XeFlowsMaxInv == (i1 :> 1) @@ (i3 :> 1)
XeReaderNotifier == r1 :> n1
XeReaderPage == r1 :> 1
(* xe-inject[-fixed]: the same GPU built with                              *)
(* CONFIG_DRM_XE_USERPTR_INVAL_INJECT (merged, or with the fix), one       *)
(* blockable invalidation of page 1 and the reader, whose bind path may   *)
(* inject.                                                                 *)
XeInjectDriver == g1 :> "xe-inject"
XeInjectFixedDriver == g1 :> "xe-inject-fixed"
XeInjectInvRanges == i1 :> {{1}}
XeInjectMaxInv == i1 :> 1
=============================================================================
