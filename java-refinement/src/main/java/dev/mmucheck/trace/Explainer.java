package dev.mmucheck.trace;

import java.io.PrintStream;
import java.util.Map;

import dev.mmucheck.tlc.TlaValue;

/** Prints a counterexample as numbered steps a kernel developer can follow, with what each changed. */
public final class Explainer {
    private Explainer() {}

    public static void explain(ItfTrace t, PrintStream out) {
        out.printf("model %s: %s broken (%s) after %d steps%s%n", t.metaString("model"), t.metaString("property"),
                t.metaString("kind"), t.steps(), t.loop().map(l -> ", then back to state " + l + " for ever").orElse(""));
        Map<String, TlaValue> prev = null;
        for (int k = 0; k < t.states().size(); k++) {
            Map<String, TlaValue> s = t.states().get(k);
            String who = "", label = "init", on = "";
            if (s.get("step") instanceof TlaValue.RecordV r) {
                who = r.get("proc").toString();
                label = ((TlaValue.Str) r.get("label")).value();
                TlaValue n = r.get("notifier");
                on = n.toString().equals("NoNotifier") ? "" : " " + n;
            }
            out.printf("%3d. %-5s %-18s%-4s %s%n", k, who, label, on, Labels.describe(label));
            if (prev != null) {
                for (String var : t.vars()) {
                    if (var.equals("step")) continue;
                    TlaValue a = prev.get(var), b = s.get(var);
                    if (!a.equals(b)) out.printf("        %s: %s -> %s%n", var, shorten(a, b, true), shorten(a, b, false));
                }
            }
            prev = s;
        }
    }

    /** For functions, print only the entries that changed. */
    private static String shorten(TlaValue a, TlaValue b, boolean left) {
        if (a instanceof TlaValue.FunctionV fa && b instanceof TlaValue.FunctionV fb && fa.entries().size() == fb.entries().size()) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < fa.entries().size(); k++) {
                TlaValue.Pair pa = fa.entries().get(k), pb = fb.entries().get(k);
                if (!pa.equals(pb)) {
                    if (sb.length() > 0) sb.append(", ");
                    sb.append(pa.key()).append(" :> ").append(left ? pa.value() : pb.value());
                }
            }
            return sb.toString();
        }
        return (left ? a : b).toString();
    }
}
