package dev.mmucheck.refinement;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mmucheck.modelcheck.ModelEntry;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.CfgFile;
import dev.mmucheck.tlc.TlcResult;
import dev.mmucheck.tlc.TlcRunner;
import dev.mmucheck.tlc.TlcStartException;
import dev.mmucheck.tlc.TlcWorker;

/**
 * Random behaviours of a model drawn by one TLC process ({@code tlc.RandomWalker}: random walks over
 * TLC's own next-state function, in TLC's JVM), with TLC's verdict at every state: the behaviours
 * as paths through the states they visited, the processes that have a step out of each state (every
 * successor was computed), the invariants each state breaks and the action properties each step
 * breaks. {@link GraphRefinement#runWalks} drives the Java code along them.
 *
 * @param graph the states the walks visited and the edges they took
 * @param paths each walk as its edges, from an initial state
 * @param movers per state, the processes with a step out of it in TLC
 * @param broken per state, the invariants TLC finds false there
 * @param edgeBroken per edge, the action properties TLC finds false on it
 * @param ends per walk, how it ended: {@code terminal} (only the spec's Terminated stuttering left),
 *     {@code deadlock} (no step at all) or {@code bound} (the step bound reached)
 * @param checked the properties TLC evaluated (the configuration's invariants and properties)
 * @param tlc TLC's run (its seconds: parsing, walking, writing)
 */
public record RandomWalks(StateGraph graph, List<List<StateGraph.Edge>> paths, List<Set<String>> movers, List<Set<String>> broken,
                          List<Set<String>> edgeBroken, List<String> ends, Set<String> checked, TlcResult tlc) {

    /** The properties TLC finds false at {@code state}, reached by {@code via} (null: an initial state). */
    public Set<String> verdict(int state, StateGraph.Edge via) {
        if (via == null || edgeBroken.get(via.id()).isEmpty()) return broken.get(state);
        Set<String> all = new LinkedHashSet<>(broken.get(state));
        all.addAll(edgeBroken.get(via.id()));
        return all;
    }

    public long steps() { return PathCover.steps(paths); }

    /** How many walks ended each way, e.g. {terminal=1000}. */
    public Map<String, Integer> endCounts() {
        Map<String, Integer> m = new java.util.TreeMap<>();
        for (String e : ends) m.merge(e, 1, Integer::sum);
        return m;
    }

    /**
     * Draws {@code n} walks of manifest model {@code e} (seed {@code seed}, at most {@code depth}
     * steps each) with one TLC process, on the model's own configuration.
     */
    public static RandomWalks draw(Project project, ModelEntry e, int n, long seed, int depth, String heap, PrintStream progress)
            throws IOException, TlcStartException {
        if (n < 1 || depth < 1) throw new IllegalArgumentException("--random and --depth must be at least 1");
        String model = e.name();
        String run = model + "-random";
        Path file = project.work().resolve(run).resolve("walks.json");
        Files.deleteIfExists(file);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", model);
        meta.put(TlcWorker.GRAPH_KEY, file.toString());
        meta.put(TlcWorker.WALKS_KEY, n + "," + seed + "," + depth);
        progress.printf("%s: TLC walks %,d random behaviours over its next-state function (seed %d, at most %,d steps each), its verdict at every state%n",
                model, n, seed, depth);
        TlcResult r = new TlcRunner(project.spec(), project.work(), heap).run(run, project.cfg(model), 1, meta,
                line -> { if (line.startsWith("walks:")) progress.println("    " + line); });
        CfgFile c = CfgFile.read(project.cfg(model));
        Set<String> checked = new LinkedHashSet<>(c.invariants());
        checked.addAll(c.properties());
        return read(file, checked, r);
    }

    /** Reads the walks {@code tlc.RandomWalker} wrote. */
    public static RandomWalks read(Path file, Set<String> checked, TlcResult tlc) throws IOException {
        StateGraph g = StateGraph.read(file);
        JsonNode doc = new ObjectMapper().readTree(file.toFile());
        String name = file.toString();
        List<List<StateGraph.Edge>> paths = new ArrayList<>();
        JsonNode walks = doc.get("walks");
        if (walks == null || !walks.isArray()) throw new IOException(name + ": no walks (not a file of random behaviours)");
        for (JsonNode w : walks) {
            List<StateGraph.Edge> path = new ArrayList<>();
            for (JsonNode e : w) {
                int id = e.asInt(-1);
                if (id < 0 || id >= g.edges().size()) throw new IOException(name + ": walk " + paths.size() + " names edge " + e + ", which the file does not have");
                path.add(g.edges().get(id));
            }
            paths.add(path);
        }
        List<String> ends = new ArrayList<>();
        JsonNode en = doc.get("ends");
        if (en == null || !en.isArray() || en.size() != paths.size()) throw new IOException(name + ": ends should list one entry per walk");
        for (JsonNode x : en) ends.add(x.asText());
        return new RandomWalks(g, paths, sets(doc, "movers", g.states().size(), name), sets(doc, "broken", g.states().size(), name),
                sets(doc, "edgeBroken", g.edges().size(), name), List.copyOf(ends), Set.copyOf(checked), tlc);
    }

    private static List<Set<String>> sets(JsonNode doc, String field, int size, String name) throws IOException {
        JsonNode a = doc.get(field);
        if (a == null || !a.isArray() || a.size() != size)
            throw new IOException(name + ": " + field + " should list " + size + " entries, one per " + (field.startsWith("edge") ? "edge" : "state"));
        List<Set<String>> out = new ArrayList<>();
        for (JsonNode l : a) {
            Set<String> s = new LinkedHashSet<>();
            for (JsonNode x : l) s.add(x.asText());
            out.add(Set.copyOf(s));
        }
        return out;
    }
}
