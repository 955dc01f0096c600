package dev.mmucheck.refinement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mmucheck.tlc.TlaValue;

/**
 * The values of the abstraction's variables as small numbers, so that comparing a Java state
 * with TLC's costs one integer comparison per variable. Per variable, two values get the same
 * code exactly when their canonical texts ({@link Canon}) are equal. TLC's states are coded once,
 * when the graph is read; a Java value is coded by a hash lookup of the value itself, and its
 * canonical text is built only the first time that value is seen. Every variable is compared at
 * every state: a variable that Java changed and TLC did not is found like any other difference.
 */
final class StateCodes {
    private final String[] vars;
    private final List<Map<TlaValue, Integer>> byValue = new ArrayList<>();
    private final List<Map<String, Integer>> byCanon = new ArrayList<>();
    private final List<List<String>> texts = new ArrayList<>();
    private final int[][] tlc;

    /** Codes every state of {@code states} for the variables {@code vars} (the abstraction's, in its order). */
    StateCodes(List<String> vars, List<Map<String, TlaValue>> states) {
        this.vars = vars.toArray(new String[0]);
        for (int i = 0; i < this.vars.length; i++) {
            byValue.add(new HashMap<>());
            byCanon.add(new HashMap<>());
            texts.add(new ArrayList<>());
        }
        tlc = new int[states.size()][];
        for (int s = 0; s < states.size(); s++) {
            Map<String, TlaValue> st = states.get(s);
            int[] c = new int[this.vars.length];
            for (int i = 0; i < c.length; i++) {
                TlaValue v = st.get(this.vars[i]);
                if (v == null) throw new IllegalArgumentException("TLC's state " + s + " has no variable " + this.vars[i]);
                c[i] = code(i, v);
            }
            tlc[s] = c;
        }
    }

    /** The code of value {@code v} of the {@code i}-th variable. */
    int code(int i, TlaValue v) {
        Integer c = byValue.get(i).get(v);
        if (c != null) return c;
        String text = Canon.of(v);
        Integer k = byCanon.get(i).get(text);
        if (k == null) {
            k = texts.get(i).size();
            texts.get(i).add(text);
            byCanon.get(i).put(text, k);
        }
        byValue.get(i).put(v, k);
        return k;
    }

    /**
     * The first variable (in the abstraction's order) whose Java value differs from TLC's state
     * {@code state}, as "name: TLC has ..., Java has ..."; empty if every variable is equal.
     * {@code java} lists the abstraction's variables in the order this was built with.
     */
    Optional<String> firstDifference(int state, Map<String, TlaValue> java) {
        int[] want = tlc[state];
        int i = 0;
        for (Map.Entry<String, TlaValue> e : java.entrySet()) {
            if (i >= vars.length || !vars[i].equals(e.getKey()))
                throw new IllegalStateException("the abstraction's variables changed order or number at " + e.getKey());
            int got = code(i, e.getValue());
            if (got != want[i]) return Optional.of(vars[i] + ": TLC has " + texts.get(i).get(want[i]) + ", Java has " + texts.get(i).get(got));
            i++;
        }
        if (i != vars.length) throw new IllegalStateException("the abstraction has " + i + " variables, " + vars.length + " were coded");
        return Optional.empty();
    }
}
