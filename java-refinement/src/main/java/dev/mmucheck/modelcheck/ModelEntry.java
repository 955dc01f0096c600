package dev.mmucheck.modelcheck;

/**
 * One model of model-check/manifest.json.
 *
 * @param name the model; its configuration is model-check/models/NAME.cfg
 * @param expect "pass", or the property TLC must report broken
 * @param quick whether `make check` runs it (else only `make check-all`)
 * @param base for a mutation, the model it differs from only in the Mutation constant
 * @param mutation the catalogue id, or "none"
 * @param liveness whether it checks temporal properties (no VIEW, one worker)
 * @param distinct distinct states TLC found when the manifest was written (exact for a pass)
 * @param steps for a violation, the steps of its committed counterexample
 * @param doc what the model is, for people
 */
public record ModelEntry(String name, String expect, boolean quick, String base, String mutation,
                         boolean liveness, long distinct, int steps, String doc) {
    public boolean expectsPass() { return "pass".equals(expect); }
}
