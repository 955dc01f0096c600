package dev.mmucheck.modelcheck;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mmucheck.tlc.TlcResult;

/**
 * A model's run and what it means.
 *
 * @param run what was run
 * @param result what TLC gave
 * @param wallSeconds the whole run, JVM start included
 * @param verdict the run held against the manifest (or --expect)
 */
public record CheckOutcome(ModelRun run, TlcResult result, double wallSeconds, Verdict verdict) {
    public boolean ok() { return verdict.ok(); }

    public String name() { return run.name(); }

    /** One object of {@code --json}'s array, fields always in this order. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("model", run.name());
        o.put("config", run.config());
        if (run.expect().isPresent()) o.put("expected", run.expect().get()); else o.putNull("expected");
        o.put("verdict", verdict.text());
        o.put("ok", verdict.ok());
        o.put("acceptable", verdict.acceptable());
        o.put("outcome", result.outcome());
        if (result.property() != null) o.put("property", result.property()); else o.putNull("property");
        o.put("distinct", result.distinct());
        o.put("generated", result.generated());
        o.put("tlcSeconds", Math.round(result.seconds() * 1000) / 1000.0);
        o.put("wallSeconds", Math.round(wallSeconds * 1000) / 1000.0);
        if (result.traceFile() != null) o.put("trace", result.traceFile()); else o.putNull("trace");
        o.put("traceSteps", result.traceSteps());
        o.put("options", run.options().describe());
        if (run.only().isPresent()) o.put("only", run.only().get()); else o.putNull("only");
        com.fasterxml.jackson.databind.node.ObjectNode w = o.putObject("witnesses");
        result.witnesses().forEach(w::put);
        com.fasterxml.jackson.databind.node.ArrayNode req = o.putArray("witnessesRequired");
        run.entry().ifPresent(e -> e.witnesses().forEach(req::add));
        return o;
    }
}
