---------------------------------- MODULE MC ----------------------------------
(***************************************************************************)
(* Model values and per-model definitions for the configurations in        *)
(* model-check/ (bounds, VIEW, SYMMETRY). The spec is MmuProperties.       *)
(***************************************************************************)
EXTENDS MmuProperties, TLC

CONSTANTS n1, n2, n3, n4, d1, i1, i2, i3, rel, r1, r2, g1, g2, g3

\* VIEW for safety runs: the step record says how a state was reached, not what it is.
StateView == <<coreVars, pc, invVars, deviceVars, readVars, rmseq, warn>>

(* default: two two-pass notifiers on two GPUs over page 1, a single-pass  *)
(* notifier on GPU g1 over page 1; page 2 is covered by nobody (a miss).   *)
DefTreeOrder == <<n1, n2, n3>>
DefNotifierPages == [n \in {n1, n2, n3} |-> {1}]
DefNotifierGpu == (n1 :> g1) @@ (n2 :> g2) @@ (n3 :> g1)
DefInvRanges == (i1 :> {{1}, {2}}) @@ (i2 :> {{1}})
DefMaxInv == (i1 :> 2) @@ (i2 :> 1)
DefReaderNotifier == r1 :> n1
DefReaderPage == r1 :> 1
=============================================================================
