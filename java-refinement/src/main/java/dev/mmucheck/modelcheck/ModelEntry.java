package dev.mmucheck.modelcheck;

import java.util.List;

/**
 * One model of model-check/manifest.json. Every field is required in the file
 * ({@link ManifestValidator} says which is missing).
 *
 * @param name the model; its configuration is model-check/models/NAME.cfg
 * @param expect "pass", or the property TLC must report broken
 * @param set which runs take it: "quick" (`make check`), "full" (`make check-all`, `export`),
 *            "scale" (the models of many millions of states: `make check-all`, `make bench`, `export --all`)
 * @param base for a mutation, the model it differs from only in the Mutation constant
 * @param mutation the catalogue id, or "none"
 * @param liveness whether it checks temporal properties (no VIEW, one worker)
 * @param distinct distinct states TLC found when the manifest was written (exact for a pass)
 * @param steps for a violation, the steps of its committed counterexample
 * @param witnesses the adequacy witnesses (specs/MmuProperties.tla) a run that passes must reach: without
 *                  them, the properties they stand beside would hold only vacuously
 * @param doc what the model is, for people
 */
public record ModelEntry(String name, String expect, String set, String base, String mutation,
                         boolean liveness, long distinct, int steps, List<String> witnesses, String doc) {
    public ModelEntry {
        witnesses = witnesses == null ? List.of() : List.copyOf(witnesses);
    }

    /** The values {@code set} may take. */
    public static final List<String> SETS = List.of("quick", "full", "scale");

    public boolean expectsPass() { return "pass".equals(expect); }
    public boolean quick() { return "quick".equals(set); }
    public boolean scale() { return "scale".equals(set); }

    /** This entry with the figures of a new run. */
    public ModelEntry withFigures(long newDistinct, int newSteps) {
        return new ModelEntry(name, expect, set, base, mutation, liveness, newDistinct, newSteps, witnesses, doc);
    }
}
