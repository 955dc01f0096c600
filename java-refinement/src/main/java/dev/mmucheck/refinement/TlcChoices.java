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
     * For each reader, for its k-th read_lock among {@code steps}, whether its next step is
     * read_inject (the bind path's CONFIG_DRM_XE_USERPTR_INVAL_INJECT counter, decided at read_lock).
     */
    static Map<String, List<Boolean>> injects(List<TlaValue.RecordV> steps) {
        Map<String, List<Boolean>> out = new HashMap<>();
        for (int k = 0; k < steps.size(); k++) {
            if (!label(steps.get(k)).equals("read_lock")) continue;
            String r = name(steps.get(k).get("proc"));
            boolean inject = false;
            for (int j = k + 1; j < steps.size(); j++) {
                if (!name(steps.get(j).get("proc")).equals(r)) continue;
                inject = label(steps.get(j)).equals("read_inject");
                break;
            }
            out.computeIfAbsent(r, x -> new ArrayList<>()).add(inject);
        }
        return out;
    }

    /**
     * For each reader, for its k-th read_lock, whether it decided to inject: its {@code pc} in the
     * state after that step ({@code after}: the step and the state it led to, in order) is read_inject.
     */
    static Map<String, List<Boolean>> injectsFromStates(List<Map.Entry<TlaValue.RecordV, Map<String, TlaValue>>> after) {
        Map<String, List<Boolean>> out = new HashMap<>();
        for (Map.Entry<TlaValue.RecordV, Map<String, TlaValue>> e : after) {
            if (!label(e.getKey()).equals("read_lock")) continue;
            String r = name(e.getKey().get("proc"));
            boolean inject = e.getValue() != null && e.getValue().get("pc") instanceof TlaValue.FunctionV pc
                    && pc.apply(new TlaValue.ModelValue(r)) instanceof TlaValue.Str l && l.value().equals("read_inject");
            out.computeIfAbsent(r, x -> new ArrayList<>()).add(inject);
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
