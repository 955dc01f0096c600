package dev.mmucheck.explain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mmucheck.tlc.TlaValue;
import dev.mmucheck.trace.ItfTrace;

/** Read access to a trace by state, variable and keys, and where a value last changed. */
public final class TraceView {
    private final ItfTrace trace;

    public TraceView(ItfTrace trace) { this.trace = trace; }

    public ItfTrace trace() { return trace; }
    public int last() { return trace.states().size() - 1; }

    /** The value of {@code var} at {@code keys} in state {@code k}, or null. */
    public TlaValue at(int k, String var, List<TlaValue> keys) {
        TlaValue v = trace.states().get(k).get(var);
        return v == null ? null : KernelWords.at(v, keys);
    }

    public TlaValue at(int k, String var, TlaValue... keys) { return at(k, var, List.of(keys)); }

    /** The step (1..k) that last set {@code var[keys]} to its value in state {@code k}; 0 if it has it since the initial state. */
    public int since(int k, String var, List<TlaValue> keys) {
        TlaValue v = at(k, var, keys);
        int j = k;
        while (j > 0 && java.util.Objects.equals(at(j - 1, var, keys), v)) j--;
        return j;
    }

    /** The keys of function variable {@code var} (processes, GPUs, notifiers, pages), in the trace's order. */
    public List<TlaValue> domain(String var) {
        TlaValue v = trace.states().get(0).get(var);
        return v == null ? List.of() : new ArrayList<>(ConstantExpr.entries(v).keySet());
    }

    /** A field of state k's step record, bare (proc, label, notifier). */
    public String step(int k, String field) {
        TlaValue s = trace.states().get(k).get("step");
        if (s instanceof TlaValue.RecordV r && r.fields().containsKey(field)) return ModelConstants.plain(r.get(field));
        return "?";
    }

    public TlaValue stepValue(int k, String field) {
        TlaValue s = trace.states().get(k).get("step");
        return s instanceof TlaValue.RecordV r && r.fields().containsKey(field) ? r.get(field) : null;
    }

    /** "step 5 (i2 inv_cb_zap on n2)". */
    public String stepRef(int k) {
        if (k == 0) return "the initial state";
        String n = step(k, "notifier");
        return "step " + k + " (" + step(k, "proc") + " " + step(k, "label") + (n.equals("NoNotifier") || n.equals("?") ? "" : " on " + n) + ")";
    }

    /** The last step at or before {@code k} taken by {@code proc} with a label among {@code labels} (and notifier {@code n} unless null); -1 if none. */
    public int lastStep(int k, String proc, String n, String... labels) {
        for (int j = k; j >= 1; j--) {
            if (!step(j, "proc").equals(proc)) continue;
            if (n != null && !step(j, "notifier").equals(n)) continue;
            for (String l : labels) if (step(j, "label").equals(l)) return j;
        }
        return -1;
    }

    /** Every leaf of every variable (but the step record) that differs between state k-1 and state k. */
    public Map<String, List<List<TlaValue>>> changes(int k) {
        Map<String, List<List<TlaValue>>> out = new LinkedHashMap<>();
        if (k == 0) return out;
        for (String var : trace.vars()) {
            if (var.equals("step")) continue;
            TlaValue a = trace.states().get(k - 1).get(var), b = trace.states().get(k).get(var);
            if (a == null || b == null || a.equals(b)) continue;
            Map<List<TlaValue>, TlaValue> la = new LinkedHashMap<>(), lb = new LinkedHashMap<>();
            KernelWords.leaves(var, a, new ArrayList<>(), KernelWords.depth(var, a), la);
            KernelWords.leaves(var, b, new ArrayList<>(), KernelWords.depth(var, b), lb);
            List<List<TlaValue>> ks = new ArrayList<>();
            for (Map.Entry<List<TlaValue>, TlaValue> e : lb.entrySet())
                if (!e.getValue().equals(la.get(e.getKey()))) ks.add(e.getKey());
            for (List<TlaValue> key : la.keySet()) if (!lb.containsKey(key)) ks.add(key);
            out.put(var, ks);
        }
        return out;
    }

    /** Every leaf of every variable (but the step record) in state k: variable, then key path, then value. */
    public Map<String, Map<List<TlaValue>, TlaValue>> leaves(int k) {
        Map<String, Map<List<TlaValue>, TlaValue>> out = new LinkedHashMap<>();
        for (String var : trace.vars()) {
            if (var.equals("step")) continue;
            TlaValue v = trace.states().get(k).get(var);
            if (v == null) continue;
            Map<List<TlaValue>, TlaValue> l = new LinkedHashMap<>();
            KernelWords.leaves(var, v, new ArrayList<>(), KernelWords.depth(var, v), l);
            out.put(var, l);
        }
        return out;
    }

    public static TlaValue mv(String name) { return new TlaValue.ModelValue(name); }
    public static TlaValue num(long n) { return TlaValue.Int.of(n); }
}
