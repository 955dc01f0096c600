package dev.mmucheck.modelcheck;

/**
 * What a model's run means, in the words the table and the JSON both print:
 * {@code pass}; {@code violated P}; {@code pass, N states (manifest says M)};
 * {@code violated P (expected pass)}; {@code violated P (expected Q)}; {@code pass (expected P violated)};
 * {@code violated P, N steps (manifest says M)}; {@code stale trace (spec changed)}; ...
 *
 * @param text the verdict, for people and scripts alike
 * @param ok the run is what the manifest (or --expect) says
 * @param acceptable not ok, but only because a figure or the committed trace is out of date:
 *                   TLC's outcome is the expected one, and {@code --accept} (or {@code export}) records the new figures
 */
public record Verdict(String text, boolean ok, boolean acceptable) {
    static Verdict ok(String text) { return new Verdict(text, true, false); }
    static Verdict fail(String text) { return new Verdict(text, false, false); }
    static Verdict outdated(String text) { return new Verdict(text, false, true); }

    /** The word of the table's last column. */
    public String status() { return ok ? "ok" : acceptable ? "OUTDATED" : "FAIL"; }
}
