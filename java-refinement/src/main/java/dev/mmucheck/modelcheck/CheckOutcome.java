package dev.mmucheck.modelcheck;

import java.util.List;

import dev.mmucheck.tlc.TlcResult;

/**
 * A model checked against its manifest entry.
 *
 * @param problems why it does not match; empty when it does
 */
public record CheckOutcome(ModelEntry model, TlcResult result, double wallSeconds, List<String> problems) {
    public boolean ok() { return problems.isEmpty(); }
}
