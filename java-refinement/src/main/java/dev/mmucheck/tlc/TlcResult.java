package dev.mmucheck.tlc;

import java.util.List;

/**
 * What one TLC run gave.
 *
 * @param outcome "pass", "violation", or "error" (TLC did not finish a check)
 * @param property the broken property ("Deadlock" for a deadlock), or null
 * @param kind invariant, action, temporal, deadlock, assert, or null
 * @param distinct distinct states found
 * @param generated states generated
 * @param seconds TLC's own wall time in the worker
 * @param tlcCode TLC's EC code (0 on success)
 * @param traceFile the counterexample written as ITF, or null
 * @param traceSteps the number of steps of that counterexample (-1 if none)
 * @param error what went wrong when outcome is "error"
 * @param messages TLC's error messages, for people
 * @param witnesses for each adequacy witness asked for, the depth of the first state that satisfies it, or -1
 */
public record TlcResult(String outcome, String property, String kind, long distinct, long generated,
                        double seconds, int tlcCode, String traceFile, int traceSteps, String error,
                        List<String> messages, java.util.Map<String, Integer> witnesses) {
    public TlcResult {
        witnesses = witnesses == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(witnesses));
    }

    public boolean passed() { return "pass".equals(outcome); }
    public boolean violated() { return "violation".equals(outcome); }
    /** The outcome as the manifest writes an expectation: "pass" or the broken property. */
    public String verdict() {
        return switch (outcome) {
            case "pass" -> "pass";
            case "violation" -> property;
            default -> "error";
        };
    }
}
