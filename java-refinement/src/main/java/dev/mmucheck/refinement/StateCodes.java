package dev.mmucheck.refinement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mmucheck.tlc.TlaValue;

/**
 * Codes of values, per variable: two values of one variable get the same code exactly when their
 * canonical texts ({@link Canon}) are equal (a set or function listed in another order is the same
 * value), and a value's text is built only the first time that value is seen. Comparing two values
 * is then comparing two ints ({@link StateComparison}).
 */
final class StateCodes {
    private final List<Map<TlaValue, Integer>> byValue = new ArrayList<>();
    private final List<Map<String, Integer>> byCanon = new ArrayList<>();
    private final List<List<String>> texts = new ArrayList<>();

    /** For {@code variables} variables, numbered in the abstraction's order ({@link dev.mmucheck.scheduling.SpecVar}). */
    StateCodes(int variables) {
        for (int i = 0; i < variables; i++) {
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

    /** The canonical text of code {@code c} of the {@code i}-th variable. */
    String text(int i, int c) { return texts.get(i).get(c); }
}
