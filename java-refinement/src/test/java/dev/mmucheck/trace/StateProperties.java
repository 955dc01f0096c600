package dev.mmucheck.trace;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

import dev.mmucheck.tlc.TlaValue;

/**
 * The properties of specs/MmuProperties.tla that can be evaluated from a state's variables
 * alone, written again in Java, independently of TLC, to hold TLC's counterexamples to account.
 * (NoSleepInNonBlockable and FinishSlotUnderUserLock also need model constants; the temporal
 * properties need the whole lasso.)
 */
final class StateProperties {
    private StateProperties() {}

    static final Map<String, Predicate<Map<String, TlaValue>>> INVARIANTS = Map.of(
            "NoStaleDeviceAccess", StateProperties::noStale,
            "FinishBeforeReturn", StateProperties::finishBeforeReturn,
            "FinishSlotIntegrity", StateProperties::finishSlotIntegrity,
            "EagainContract", StateProperties::eagainContract,
            "NoNullFinishCall", s -> fn(s, "pc").entries().stream().noneMatch(p -> str(p.value()).equals("oops")),
            "RemovedIsQuiet", StateProperties::removedIsQuiet,
            "NotifierSeqOdd", s -> fn(s, "iseq").entries().stream().allMatch(p -> num(p.value()) % 2 == 1),
            "ActiveCountsRanges", StateProperties::activeCountsRanges,
            "OddSeqHasWriter", s -> num(s.get("seq")) % 2 == 0 || num(s.get("active")) > 0);

    static final Map<String, BiPredicate<Map<String, TlaValue>, Map<String, TlaValue>>> ACTIONS = Map.of(
            "TreeFrozenWhileInvalidating",
            (s, t) -> s.get("tree").equals(t.get("tree")) || num(s.get("seq")) % 2 == 0);

    static Optional<Predicate<Map<String, TlaValue>>> invariant(String name) {
        return Optional.ofNullable(INVARIANTS.get(name));
    }

    // --- the properties -------------------------------------------------------------------

    private static boolean noStale(Map<String, TlaValue> s) {
        List<TlaValue> pte = seq(s.get("pte"));
        for (String var : List.of("dpte", "tlb")) {
            for (TlaValue.Pair g : fn(s, var).entries()) {
                List<TlaValue> row = seq(g.value());
                for (int p = 0; p < row.size(); p++) {
                    long v = num(row.get(p));
                    if (v != 0 && v != num(pte.get(p))) return false;
                }
            }
        }
        return true;
    }

    private static final Set<String> END_PCS = Set.of("mm_change_pte", "inv_end", "range_end", "inv_end_drain", "range_end_drain");

    private static boolean finishBeforeReturn(Map<String, TlaValue> s) {
        for (TlaValue.Pair p : fn(s, "pc").entries()) {
            if (END_PCS.contains(str(p.value())) && !seq(apply(s, "flist", p.key())).isEmpty()) return false;
        }
        return true;
    }

    private static boolean finishSlotIntegrity(Map<String, TlaValue> s) {
        for (TlaValue.Pair n : fn(s, "finuse").entries()) {
            int holders = 0;
            for (TlaValue.Pair l : fn(s, "flist").entries()) if (seq(l.value()).contains(n.key())) holders++;
            if (holders > 1 || (holders == 1 && !((TlaValue.Bool) n.value()).value())) return false;
        }
        return true;
    }

    private static final Set<String> NOT_AFTER_EAGAIN = Set.of("inv_cb_start", "inv_cb_zap", "inv_cb_wait",
            "mm_change_pte", "range_end", "range_end_drain");

    private static boolean eagainContract(Map<String, TlaValue> s) {
        for (TlaValue.Pair e : fn(s, "err").entries()) {
            if (((TlaValue.Bool) e.value()).value() && NOT_AFTER_EAGAIN.contains(str(apply(s, "pc", e.key())))) return false;
        }
        return true;
    }

    private static boolean removedIsQuiet(Map<String, TlaValue> s) {
        for (TlaValue.Pair d : fn(s, "rmseq").entries()) {
            if (!str(apply(s, "pc", d.key())).equals("removed")) continue;
            if (set(s, "tree").contains(d.key()) || set(s, "deferred").contains(d.key())) return false;
            for (TlaValue.Pair c : fn(s, "cursor").entries()) if (c.value().equals(d.key())) return false;
            for (TlaValue.Pair l : fn(s, "flist").entries()) if (seq(l.value()).contains(d.key())) return false;
        }
        return true;
    }

    private static final Set<String> OUTSIDE = Set.of("inv_start_range", "done", "inv_end_drain", "range_end_drain");

    private static boolean activeCountsRanges(Map<String, TlaValue> s) {
        long inside = 0;
        for (TlaValue.Pair i : fn(s, "irange").entries()) if (!OUTSIDE.contains(str(apply(s, "pc", i.key())))) inside++;
        return num(s.get("active")) == inside;
    }

    // --- value access -----------------------------------------------------------------------

    /** A function over model values; an empty one arrives as an empty sequence. */
    static TlaValue.FunctionV fn(Map<String, TlaValue> s, String var) {
        TlaValue v = s.get(var);
        if (v instanceof TlaValue.SeqV q && q.elements().isEmpty()) return new TlaValue.FunctionV(List.of());
        return (TlaValue.FunctionV) v;
    }

    static TlaValue apply(Map<String, TlaValue> s, String var, TlaValue arg) { return fn(s, var).apply(arg); }

    static List<TlaValue> seq(TlaValue v) { return ((TlaValue.SeqV) v).elements(); }

    static Set<TlaValue> set(Map<String, TlaValue> s, String var) {
        return new HashSet<>(((TlaValue.SetV) s.get(var)).elements());
    }

    static long num(TlaValue v) { return ((TlaValue.Int) v).value().longValueExact(); }

    static String str(TlaValue v) { return ((TlaValue.Str) v).value(); }
}
