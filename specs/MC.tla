---------------------------------- MODULE MC ----------------------------------
(***************************************************************************)
(* Model values and per-model definitions for the configurations in        *)
(* model-check/ (bounds, VIEW, SYMMETRY). The spec is MmuProperties.       *)
(***************************************************************************)
EXTENDS MmuProperties, TLC

CONSTANTS n1, n2, n3, n4, d1, i1, i2, i3, rel, r1, r2, g1, g2, g3

\* VIEW for safety runs: the step record says how a state was reached, not what it is.
StateView == <<coreVars, pc, invVars, deviceVars, readVars, rmseq, warn>>

\* For sampling behaviours (mmu-check refine): TLC's simulation mode reports the random
\* behaviour that first breaks this, i.e. one that runs until every process has finished.
BehaviourRunning == ~Finished

(* default: two two-pass notifiers on two GPUs over page 1, a single-pass  *)
(* notifier on GPU g1 over page 1; page 2 is covered by nobody (a miss).   *)
DefTreeOrder == <<n1, n2, n3>>
DefNotifierPages == [n \in {n1, n2, n3} |-> {1}]
DefNotifierGpu == (n1 :> g1) @@ (n2 :> g2) @@ (n3 :> g1)
DefInvRanges == (i1 :> {{1}, {2}}) @@ (i2 :> {{1}})
DefMaxInv == (i1 :> 2) @@ (i2 :> 1)
DefReaderNotifier == r1 :> n1
DefReaderPage == r1 :> 1

\* default plus exit_mmap's mn_itree_release (rel: full range, once)
RelInvRanges == DefInvRanges @@ (rel :> {{1, 2}})
RelMaxInv == DefMaxInv @@ (rel :> 1)
\* default plus a second blockable invalidator over page 1 (two concurrent users of one finish)
TwoBlkInvRanges == DefInvRanges @@ (i3 :> {{1}})
TwoBlkMaxInv == DefMaxInv @@ (i3 :> 1)
\* default plus d1, a two-pass notifier on GPU g2 over page 1, inserted and removed
DynTreeOrder == <<n1, n2, n3, d1>>
DynNotifierPages == DefNotifierPages @@ (d1 :> {1})
DynNotifierGpu == DefNotifierGpu @@ (d1 :> g2)

(* scale: dynamic plus a second reader of n1 and a second blockable         *)
(* invalidator; the two readers are interchangeable, and so are the two    *)
(* blockable invalidators (same ranges, same bound): SYMMETRY over both.   *)
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
=============================================================================
