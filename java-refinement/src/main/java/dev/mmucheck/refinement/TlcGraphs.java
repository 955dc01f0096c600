package dev.mmucheck.refinement;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.mmucheck.modelcheck.ModelEntry;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.CfgFile;
import dev.mmucheck.tlc.TlcResult;
import dev.mmucheck.tlc.TlcRunner;
import dev.mmucheck.tlc.TlcStartException;
import dev.mmucheck.tlc.TlcWorker;

/**
 * The whole state graph of a model of the manifest, recorded by one TLC run (one worker). A model
 * that breaks a property is recorded without its checks, so that TLC explores every state, the
 * breaking ones too; a liveness model by its safety graph (its temporal properties dropped, under
 * the safety models' VIEW); models with SYMMETRY are refused, with the reason.
 */
public final class TlcGraphs {
    private TlcGraphs() {}

    /**
     * A recorded graph, TLC's run, the properties its states may break (the model's expected one), and
     * the properties the model's configuration checks (TLC's states may break any other: trylock-rest
     * leaves NoSleepInNonBlockable to the trylock model); none for a model recorded without its checks.
     */
    public record Recorded(StateGraph graph, TlcResult tlc, Set<String> brokenInGraph, Set<String> checked) {}

    /** Refuses, with the reason, a model whose graph cannot be followed: a model with SYMMETRY. */
    public static void checkRecordable(Project project, ModelEntry e) throws IOException {
        String model = e.name();
        if (Files.readString(project.cfg(model)).lines().anyMatch(l -> l.strip().startsWith("SYMMETRY")))
            throw new IllegalArgumentException("--graph refuses " + model + ": it has SYMMETRY, and TLC's graph then holds one representative"
                    + " of each class of permuted states, so a path through it is not a behaviour the Java code can follow");
    }

    public static Recorded record(Project project, ModelEntry e, String heap, PrintStream progress) throws IOException, TlcStartException {
        checkRecordable(project, e);
        String model = e.name();
        String run = model + "-graph";
        Path graphFile = project.work().resolve(run).resolve("graph.json");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", model);
        meta.put(TlcWorker.GRAPH_KEY, graphFile.toString());
        Path cfg = project.cfg(model);
        Set<String> brokenInGraph = Set.of();
        if (!e.expectsPass() || e.liveness()) {
            cfg = Files.createDirectories(project.work().resolve(run)).resolve(run + ".cfg");
            String text = CfgFile.restrictedTo(project.cfg(model), null, false);
            // a liveness model's safety graph: the same states under the safety models' VIEW (without it, the step record tells states apart)
            if (e.liveness() && text.lines().noneMatch(l -> l.strip().startsWith("VIEW"))) text += "VIEW StateView\n";
            Files.writeString(cfg, text);
            if (!e.expectsPass()) brokenInGraph = Set.of(e.expect());
        }
        progress.printf("%s: TLC records the state graph (one worker)%s%n", model, e.liveness() ? "; its safety graph: without its temporal properties"
                : e.expectsPass() ? "" : "; without its checks, so states that break " + e.expect() + " are in it, and the Java code must follow them too");
        TlcResult r = new TlcRunner(project.spec(), project.work(), heap).run(run, cfg, 1, meta,
                line -> { if (line.startsWith("progress:") || line.startsWith("graph:")) progress.println("    " + line); });
        if (!r.passed()) throw new TlcStartException("model " + model + ": TLC did not pass while recording the graph: " + r.verdict());
        long read0 = System.nanoTime();
        StateGraph g = StateGraph.read(graphFile);
        progress.printf("    graph read in %.1f s (%,d MB)%n", (System.nanoTime() - read0) / 1e9, Files.size(graphFile) >> 20);
        if (g.states().size() != r.distinct())
            throw new TlcStartException("model " + model + ": the graph has " + g.states().size() + " states, TLC reported " + r.distinct());
        CfgFile checks = CfgFile.read(project.cfg(model));
        Set<String> checked = new java.util.HashSet<>(checks.invariants());
        checked.addAll(checks.properties());
        // recorded without its checks: TLC judged no property on these states, and past the expected break the code goes on
        // and may break others (xe-inject-assert: a second xe_assert fires), so no verdict of the Java checker is held
        // against them; every variable still is
        if (!e.expectsPass()) checked = Set.of();
        return new Recorded(g, r, brokenInGraph, checked);
    }
}
