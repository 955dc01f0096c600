package dev.mmucheck.refinement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mmucheck.tlc.TlaValue;

/**
 * Compares the abstraction of a Java state with TLC's state, every variable at every state, without
 * writing values as text. A variable whose Java value equals TLC's value as listed costs one
 * {@code equals}; one listed in another order (a set, a function) is compared by code: per
 * variable, two values get the same code exactly when their canonical texts ({@link Canon}) are
 * equal, and a value's text is built only the first time that value is seen. A variable that Java
 * changed and TLC did not is found like any other difference.
 */
final class StateCodes {
    private final String[] vars;
    private final List<Map<TlaValue, Integer>> byValue = new ArrayList<>();
    private final List<Map<String, Integer>> byCanon = new ArrayList<>();
    private final List<List<String>> texts = new ArrayList<>();

    /** For the variables {@code vars} (the abstraction's, in its order). */
    StateCodes(List<String> vars) {
        this.vars = vars.toArray(new String[0]);
        for (int i = 0; i < this.vars.length; i++) {
            byValue.add(new HashMap<>());
            byCanon.add(new HashMap<>());
            texts.add(new ArrayList<>());
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
     * The first variable (in the abstraction's order) whose Java value differs from TLC's, as
     * "name: TLC has ..., Java has ..."; empty if every variable is equal. {@code java} lists the
     * abstraction's variables in the order this was built with.
     */
    Optional<String> firstDifference(Map<String, TlaValue> tlc, Map<String, TlaValue> java) {
        int i = 0;
        for (Map.Entry<String, TlaValue> e : java.entrySet()) {
            if (i >= vars.length || !vars[i].equals(e.getKey()))
                throw new IllegalStateException("the abstraction's variables changed order or number at " + e.getKey());
            TlaValue want = tlc.get(vars[i]);
            if (want == null) return Optional.of("TLC's state has no variable " + vars[i]);
            TlaValue got = e.getValue();
            if (!got.equals(want)) {
                int w = code(i, want), g = code(i, got);
                if (w != g) return Optional.of(vars[i] + ": TLC has " + texts.get(i).get(w) + ", Java has " + texts.get(i).get(g));
            }
            i++;
        }
        if (i != vars.length) throw new IllegalStateException("the abstraction has " + i + " variables, " + vars.length + " were expected");
        return Optional.empty();
    }
}
