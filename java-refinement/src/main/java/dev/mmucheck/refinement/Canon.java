package dev.mmucheck.refinement;

import java.util.ArrayList;
import java.util.List;

import dev.mmucheck.tlc.TlaValue;

/**
 * A canonical text of a TLA+ value, for comparing values that TLC and the abstraction function
 * may list in different orders: set elements and function entries sorted, an empty function
 * written as the empty sequence (ITF cannot tell them apart).
 */
final class Canon {
    private Canon() {}

    static String of(TlaValue v) {
        if (v instanceof TlaValue.SetV s) {
            List<String> e = new ArrayList<>();
            s.elements().forEach(x -> e.add(of(x)));
            e.sort(null);
            return "{" + String.join(", ", e) + "}";
        }
        if (v instanceof TlaValue.SeqV s) {
            List<String> e = new ArrayList<>();
            s.elements().forEach(x -> e.add(of(x)));
            return "<<" + String.join(", ", e) + ">>";
        }
        if (v instanceof TlaValue.FunctionV f) {
            if (f.entries().isEmpty()) return "<<>>";
            List<String> e = new ArrayList<>();
            f.entries().forEach(p -> e.add(of(p.key()) + " :> " + of(p.value())));
            e.sort(null);
            return "(" + String.join(" @@ ", e) + ")";
        }
        if (v instanceof TlaValue.RecordV r) {
            List<String> e = new ArrayList<>();
            r.fields().forEach((k, x) -> e.add(k + " |-> " + of(x)));
            e.sort(null);
            return "[" + String.join(", ", e) + "]";
        }
        return v.toString();
    }
}
