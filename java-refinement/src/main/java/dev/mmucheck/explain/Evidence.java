package dev.mmucheck.explain;

import java.util.List;

import dev.mmucheck.tlc.TlaValue;

/**
 * One value of the trace a culprit rests on: variable {@code var} at {@code keys} has {@code value}
 * in state {@code state}, and has had it since step {@code since} (0: since the initial state).
 */
public record Evidence(String var, List<TlaValue> keys, int state, TlaValue value, int since) {
    public Evidence {
        keys = List.copyOf(keys);
    }

    /** Read from the trace: the value and the step that set it are the trace's own. */
    public static Evidence of(TraceView t, int state, String var, TlaValue... keys) {
        List<TlaValue> ks = List.of(keys);
        TlaValue v = t.at(state, var, ks);
        if (v == null) throw new IllegalArgumentException("state " + state + " has no " + var + " at " + ks);
        return new Evidence(var, ks, state, v, t.since(state, var, ks));
    }

    /** In the kernel's words: "TLB entry of page 1 on g1 = made from PTE version 1 (since step 9)". */
    public String words(int last) {
        return KernelWords.name(var, keys.stream().map(ModelConstants::plain).toList()) + " = " + KernelWords.value(var, value)
                + (state == last ? "" : " at state " + state) + (since == 0 ? " (since the initial state)" : " (since step " + since + ")");
    }
}
