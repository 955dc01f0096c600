package dev.mmucheck.refinement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mmucheck.driver.GpuDevice;
import dev.mmucheck.tlc.TlaValue;

/**
 * The choices TLC made along a behaviour that the Java code must make the same way: the range of
 * each invalidation (an invalidator picks it before its inv_start_range step, so it is read ahead
 * from the steps), the fence a GPU completes (the record that leaves {@code fences[g]} between
 * the two states of its step), and where a torn walk goes on (its {@code cursor} after the step).
 * Used by the trace replay and the graph refinement alike.
 */
final class TlcChoices {
    private TlcChoices() {}

    /** For each invalidator, the pages of its k-th inv_start_range among {@code steps}, in order. */
    static Map<String, List<Set<Long>>> ranges(List<TlaValue.RecordV> steps) {
        Map<String, List<Set<Long>>> out = new HashMap<>();
        for (TlaValue.RecordV step : steps) {
            if (!label(step).equals("inv_start_range")) continue;
            Set<Long> pages = new HashSet<>();
            for (TlaValue v : ((TlaValue.SetV) step.get("pages")).elements()) pages.add(((TlaValue.Int) v).value().longValueExact());
            out.computeIfAbsent(name(step.get("proc")), x -> new ArrayList<>()).add(pages);
        }
        return out;
    }

    /**
     * The Java GPU's pending fence that TLC's GPU {@code gpu} completed between {@code before} and
     * {@code after}, matched by notifier and submitter; the first pending one if none matches (the
     * states then differ, and the run says where).
     */
    static GpuDevice.TlbInvalFence completedFence(Map<String, TlaValue> before, Map<String, TlaValue> after, String gpu,
                                                  List<GpuDevice.TlbInvalFence> pending) {
        if (before != null && after != null && before.get("fences") instanceof TlaValue.FunctionV b
                && after.get("fences") instanceof TlaValue.FunctionV a) {
            TlaValue g = new TlaValue.ModelValue(gpu);
            List<TlaValue> was = ((TlaValue.SetV) b.apply(g)).elements(), is = ((TlaValue.SetV) a.apply(g)).elements();
            for (TlaValue f : was) {
                if (is.contains(f) || !(f instanceof TlaValue.RecordV r)) continue;
                for (GpuDevice.TlbInvalFence p : pending) {
                    if (p.owner().equals(name(r.get("n"))) && p.submitter().getName().equals(name(r.get("by")))) return p;
                }
            }
        }
        return pending.get(0);
    }

    /**
     * Where TLC's torn walk of invalidator {@code proc} went on in the step from {@code before} to
     * {@code after}: its {@code cursor} in {@code after}, as one of the Java walk's
     * {@code candidates}, or null (NoNotifier: the walk ended). A cursor that is not among them
     * gives the in-order choice (the states then differ, and the run says where).
     */
    static dev.mmucheck.kernel.MmuIntervalNotifier resumedAt(Map<String, TlaValue> after, String proc,
                                                            List<dev.mmucheck.kernel.MmuIntervalNotifier> candidates) {
        if (after != null && after.get("cursor") instanceof TlaValue.FunctionV cursor) {
            String at = name(cursor.apply(new TlaValue.ModelValue(proc)));
            if (at.equals("NoNotifier")) return null;
            for (dev.mmucheck.kernel.MmuIntervalNotifier n : candidates) if (n.name().equals(at)) return n;
        }
        return dev.mmucheck.kernel.WalkResume.IN_ORDER.choose(null, candidates);
    }

    static String label(TlaValue.RecordV step) {
        return ((TlaValue.Str) step.get("label")).value();
    }

    /** A process or notifier named by a model value. */
    static String name(TlaValue v) {
        return v instanceof TlaValue.ModelValue mv ? mv.name() : String.valueOf(v);
    }
}
