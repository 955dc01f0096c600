package dev.mmucheck.refinement;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mmucheck.machine.Machine;
import dev.mmucheck.scheduling.LockstepScheduler.Position;
import dev.mmucheck.scheduling.SpecVar;
import dev.mmucheck.tlc.TlaValue;

/**
 * The abstraction of the Java state against TLC's state, at a cost that depends on what changed.
 * Every value is coded per variable ({@link StateCodes}); TLC's states are coded once each. The
 * Java code marks the spec variables it may have changed ({@link dev.mmucheck.scheduling.Changes});
 * at each comparison only the marked variables (and {@code pc}, which every step changes) are
 * recomputed, and every variable's Java code is compared with TLC's: a variable Java changed and
 * TLC did not is marked, recomputed and differs; one TLC changed and Java did not keeps its old
 * code and differs.
 *
 * <p>How far the marks can be trusted is checked, not assumed:
 * <ul>
 * <li>{@link GraphRefinement.Compare#CHANGED} (the default) also recomputes every variable at each
 *     state's first visit (so a write that missed its mark is still found there if the path of that
 *     visit makes it), and at any difference before reporting it (so the report quotes Java's
 *     values as they are, and a stale value kept for want of a mark is named as such);</li>
 * <li>{@link GraphRefinement.Compare#AUDIT} recomputes every variable at every state and reports a variable whose
 *     value changed without its mark as a divergence of its own ({@code make refine-all} runs it
 *     over every passing quick-set model, and {@code StateComparisonTest} over models where
 *     {@code torn} and {@code warn} change and over some mutations' own code paths; a mark deleted
 *     from the Java code fails them). A holder that marks at every access ({@code Guarded#get})
 *     cannot be caught missing a mark in a step that also accesses it: such marks are conservative
 *     by construction;</li>
 * <li>{@link GraphRefinement.Compare#FULL} recomputes every variable at every state (the comparison before marks).</li>
 * </ul>
 */
final class StateComparison {
    private static final SpecVar[] VARS = SpecVar.values();
    private static final long ALWAYS = SpecVar.PC.bit();

    private final GraphRefinement.Compare mode;
    private final List<Map<String, TlaValue>> tlcStates;
    private final int[][] tlcCodes;
    private final StateCodes codes;
    private final int[] javaCodes = new int[VARS.length];
    private Machine machine;
    private long comparisons, recomputed;
    /** The variables seen changing between two comparisons of one machine (their marks were audited, in AUDIT). */
    private long changed;

    StateComparison(GraphRefinement.Compare mode, List<Map<String, TlaValue>> tlcStates) {
        this.mode = mode;
        this.tlcStates = tlcStates;
        this.tlcCodes = new int[tlcStates.size()][];
        this.codes = new StateCodes(VARS.length);
    }

    /**
     * The first variable (in the abstraction's order) whose Java value differs from TLC state
     * {@code state}'s, as "name: TLC has ..., Java has ..."; empty if none. {@code firstVisit}:
     * the state has not been compared before on this run.
     */
    Optional<String> difference(Machine m, Map<String, Position> pos, int state, boolean firstVisit) {
        long marked = m.changes().take();
        boolean newMachine = m != machine;
        machine = m;
        boolean all = mode != GraphRefinement.Compare.CHANGED || firstVisit || newMachine;
        int[] tlc = tlcCodes(state);
        comparisons++;
        String untracked = recompute(m, pos, all ? SpecVar.all() : marked | ALWAYS, marked, newMachine, mode == GraphRefinement.Compare.AUDIT);
        int d = firstMismatch(tlc);
        if (d >= 0 && !all) {
            // found from the marks: recompute every variable, so that the report quotes Java's values as they are
            // now, and names a change that came without its mark (then the kept value was stale)
            untracked = recompute(m, pos, SpecVar.all(), marked, false, true);
            d = firstMismatch(tlc);
        }
        if (d >= 0) return Optional.of(VARS[d].specName() + ": TLC has " + codes.text(d, tlc[d]) + ", Java has " + codes.text(d, javaCodes[d])
                + (untracked == null ? "" : "; also an untracked change: " + untracked));
        return Optional.ofNullable(untracked).map(u -> "untracked change: " + u);
    }

    /**
     * Recomputes the variables in {@code which}; with {@code audit}, returns the first one (but pc) that
     * changed without being in {@code marked}, as text, or null.
     */
    private String recompute(Machine m, Map<String, Position> pos, long which, long marked, boolean newMachine, boolean audit) {
        String untracked = null;
        for (int i = 0; i < VARS.length; i++) {
            if ((which & VARS[i].bit()) == 0) continue;
            recomputed++;
            int c = codes.code(i, Abstraction.of(VARS[i], m, pos));
            if (!newMachine && c != javaCodes[i]) {
                changed |= VARS[i].bit();
                if (audit && untracked == null && (marked & VARS[i].bit()) == 0 && VARS[i] != SpecVar.PC)
                    untracked = VARS[i].specName() + " changed from " + codes.text(i, javaCodes[i]) + " to " + codes.text(i, c)
                            + " without its change mark (the Java code that wrote it does not mark SpecVar." + VARS[i]
                            + "; the change-driven comparison would not recompute it)";
            }
            javaCodes[i] = c;
        }
        return untracked;
    }

    /** The first variable whose Java code is not TLC's, or -1. */
    private int firstMismatch(int[] tlc) {
        for (int i = 0; i < VARS.length; i++) if (javaCodes[i] != tlc[i]) return i;
        return -1;
    }

    private int[] tlcCodes(int state) {
        int[] c = tlcCodes[state];
        if (c != null) return c;
        Map<String, TlaValue> s = tlcStates.get(state);
        c = new int[VARS.length];
        for (int i = 0; i < VARS.length; i++) {
            TlaValue v = s.get(VARS[i].specName());
            if (v == null) throw new IllegalStateException("TLC's state " + state + " has no variable " + VARS[i].specName()
                    + " (a graph recorded from an older spec? re-record it)");
            c[i] = codes.code(i, v);
        }
        return tlcCodes[state] = c;
    }

    /** Variables recomputed per comparison, on average (all of them: {@code SpecVar.values().length}). */
    double recomputedPerComparison() { return comparisons == 0 ? 0 : recomputed / (double) comparisons; }

    /** The variables seen changing on this run (a mask of {@link SpecVar#bit()}s). */
    long changed() { return changed; }
}
