package dev.mmucheck.trace;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mmucheck.tlc.TlaValue;

/**
 * A behaviour in the Informal Trace Format: states in order, each a map from variable name to
 * value, and for a lasso the index of the state the last one loops back to.
 *
 * @param meta the "#meta" object of the document (model, property, spec version, ...)
 * @param vars the variable names, in the order the spec declares them
 * @param states the states; states.get(0) is initial
 * @param loop for a liveness counterexample, the index the behaviour returns to after the last state
 */
public record ItfTrace(Map<String, Object> meta, List<String> vars, List<Map<String, TlaValue>> states,
                       Optional<Integer> loop) {
    public ItfTrace {
        meta = Map.copyOf(meta);
        vars = List.copyOf(vars);
        states = List.copyOf(states);
    }

    /** The number of steps (transitions) the behaviour takes before the end or the loop. */
    public int steps() { return states.size() - 1; }

    public String metaString(String key) {
        Object v = meta.get(key);
        return v == null ? null : v.toString();
    }
}
