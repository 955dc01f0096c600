package dev.mmucheck.refinement;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.mmucheck.scheduling.Label;
import dev.mmucheck.tlc.TlaValue;
import dev.mmucheck.trace.ItfTrace;

/**
 * Checks that a trace can be replayed at all before it is: every state has every variable the
 * abstraction function gives, each of the same type as the Java machine's initial value (an
 * integer where Java has an integer, a set where a set, a record with the same fields, ...; an
 * empty collection fits any element type), and every step record names a process of the model
 * and a label of specs/CONTRACT.md. A trace that fails is bad input ({@link BadTraceException}),
 * so a mistyped trace is never reported as a Java divergence.
 */
final class TraceShape {
    private TraceShape() {}

    static void check(ItfTrace t, String file, Map<String, TlaValue> javaInitial, java.util.Collection<String> processes) {
        Set<String> procs = new TreeSet<>(processes);
        for (int k = 0; k < t.states().size(); k++) {
            Map<String, TlaValue> s = t.states().get(k);
            for (Map.Entry<String, TlaValue> e : javaInitial.entrySet()) {
                TlaValue v = s.get(e.getKey());
                if (v == null) throw new BadTraceException(file, k, e.getKey(), "missing (every state has every variable of the spec)");
                Optional<String> why = fit(e.getValue(), v, e.getKey());
                if (why.isPresent()) throw new BadTraceException(file, k, e.getKey(), why.get());
            }
            if (k == 0) continue;
            if (!(s.get("step") instanceof TlaValue.RecordV rec)) throw new BadTraceException(file, k, "step", "expected the step record, found " + s.get("step"));
            TlaValue proc = rec.fields().get("proc"), label = rec.fields().get("label");
            if (!(label instanceof TlaValue.Str l) || Label.byContractName(l.value()).isEmpty())
                throw new BadTraceException(file, k, "step.label", "expected a label of specs/CONTRACT.md, found " + label);
            if (!(proc instanceof TlaValue.ModelValue p) || !procs.contains(p.name()))
                throw new BadTraceException(file, k, "step.proc", "expected a process of the model " + procs + ", found " + proc);
            if (rec.fields().get("pages") != null && !(rec.fields().get("pages") instanceof TlaValue.SetV ps
                    && ps.elements().stream().allMatch(x -> x instanceof TlaValue.Int)))
                throw new BadTraceException(file, k, "step.pages", "expected a set of page numbers, found " + rec.fields().get("pages"));
        }
    }

    /** Why {@code got} cannot be a value of the variable whose Java value is {@code want}; empty if it can. */
    static Optional<String> fit(TlaValue want, TlaValue got, String where) {
        String w = kind(want), g = kind(got);
        if (w.equals("collection") || g.equals("collection")) return Optional.empty();   // an empty set, sequence or function
        if (!w.equals(g)) return Optional.of("expected " + article(w) + ", found " + got);
        if (want instanceof TlaValue.RecordV wr && got instanceof TlaValue.RecordV gr) {
            if (!wr.fields().keySet().equals(gr.fields().keySet()))
                return Optional.of("expected a record with fields " + new TreeSet<>(wr.fields().keySet()) + ", found " + got);
            for (String f : wr.fields().keySet()) {
                Optional<String> p = fit(wr.get(f), gr.get(f), where + "." + f);
                if (p.isPresent()) return p;
            }
        }
        List<TlaValue> we = elements(want), ge = elements(got);
        if (!we.isEmpty()) for (TlaValue x : ge) {
            Optional<String> p = fit(we.get(0), x, where);
            if (p.isPresent()) return p;
        }
        return Optional.empty();
    }

    private static String kind(TlaValue v) {
        if (v instanceof TlaValue.Int) return "integer";
        if (v instanceof TlaValue.Bool) return "boolean";
        if (v instanceof TlaValue.Str) return "string";
        if (v instanceof TlaValue.ModelValue) return "model value";
        if (v instanceof TlaValue.SetV s) return s.elements().isEmpty() ? "collection" : "set";
        if (v instanceof TlaValue.SeqV s) return s.elements().isEmpty() ? "collection" : "function";
        if (v instanceof TlaValue.FunctionV f) return f.entries().isEmpty() ? "collection" : "function";
        return "record";
    }

    /** The elements of a set or the values of a function or sequence, whose types must agree with the Java value's. */
    private static List<TlaValue> elements(TlaValue v) {
        if (v instanceof TlaValue.SetV s) return s.elements();
        if (v instanceof TlaValue.SeqV s) return s.elements();
        if (v instanceof TlaValue.FunctionV f) return f.entries().stream().map(TlaValue.Pair::value).toList();
        return List.of();
    }

    private static String article(String kind) {
        return (kind.startsWith("i") ? "an " : "a ") + kind;
    }
}
