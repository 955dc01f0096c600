package dev.mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.mmucheck.tlc.TlaValue;

/** The path cover: connected paths from an initial state that together take every edge. */
class PathCoverTest {
    private static StateGraph graph(int n, int[][] edges, int... init) {
        List<Map<String, TlaValue>> states = new ArrayList<>();
        List<List<StateGraph.Edge>> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            states.add(Map.of());
            out.add(new ArrayList<>());
        }
        List<StateGraph.Edge> es = new ArrayList<>();
        for (int[] e : edges) {
            TlaValue.RecordV step = new TlaValue.RecordV(Map.of("proc", new TlaValue.ModelValue("p" + e[0]), "label", new TlaValue.Str("l")));
            StateGraph.Edge edge = new StateGraph.Edge(es.size(), e[0], e[1], step, "p" + e[0], "l");
            es.add(edge);
            out.get(e[0]).add(edge);
        }
        return new StateGraph(List.of(), states, init, es, out, es.size());
    }

    /** A graph whose edges are {source, target, process index}: processes named "a", "b", ... */
    private static StateGraph graphByProcess(int n, int[][] edges, int... init) {
        List<Map<String, TlaValue>> states = new ArrayList<>();
        List<List<StateGraph.Edge>> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            states.add(Map.of());
            out.add(new ArrayList<>());
        }
        List<StateGraph.Edge> es = new ArrayList<>();
        for (int[] e : edges) {
            String proc = String.valueOf((char) ('a' + e[2]));
            TlaValue.RecordV step = new TlaValue.RecordV(Map.of("proc", new TlaValue.ModelValue(proc), "label", new TlaValue.Str("l")));
            StateGraph.Edge edge = new StateGraph.Edge(es.size(), e[0], e[1], step, proc, "l");
            es.add(edge);
            out.get(e[0]).add(edge);
        }
        return new StateGraph(List.of(), states, init, es, out, es.size());
    }

    private static void assertCover(StateGraph g, List<List<StateGraph.Edge>> paths) {
        Set<Integer> inits = new HashSet<>();
        for (int i : g.init()) inits.add(i);
        Set<Integer> taken = new HashSet<>();
        for (List<StateGraph.Edge> p : paths) {
            assertTrue(inits.contains(p.get(0).src()), "a path starts at an initial state");
            for (int k = 1; k < p.size(); k++) assertEquals(p.get(k - 1).dst(), p.get(k).src(), "a path is connected");
            p.forEach(e -> taken.add(e.id()));
        }
        assertEquals(g.edges().size(), taken.size(), "every edge taken");
    }

    @Test
    void aDiamondWithATailIsCoveredByTwoPaths() {
        StateGraph g = graph(5, new int[][] {{0, 1}, {0, 2}, {1, 3}, {2, 3}, {3, 4}}, 0);
        List<List<StateGraph.Edge>> paths = PathCover.of(g);
        assertCover(g, paths);
        assertEquals(2, paths.size());
        assertEquals(5, PathCover.steps(paths), "0-1-3-4, then 0-2-3: a path ends where nothing is left to take");
    }

    @Test
    void aCycleIsWalkedWithoutRestarting() {
        StateGraph g = graph(3, new int[][] {{0, 1}, {1, 2}, {2, 0}, {1, 0}}, 0);
        List<List<StateGraph.Edge>> paths = PathCover.of(g);
        assertCover(g, paths);
        assertEquals(1, paths.size(), paths.toString());
    }

    @Test
    void randomGraphsAreCovered() {
        Random rnd = new Random(7);
        for (int round = 0; round < 200; round++) {
            int n = 2 + rnd.nextInt(30);
            List<int[]> es = new ArrayList<>();
            for (int s = 1; s < n; s++) es.add(new int[] {rnd.nextInt(s), s});   // everything reachable from 0
            for (int k = rnd.nextInt(3 * n); k > 0; k--) es.add(new int[] {rnd.nextInt(n), rnd.nextInt(n)});
            StateGraph g = graph(n, es.toArray(new int[0][]), 0);
            assertCover(g, PathCover.of(g));
        }
    }

    @Test
    void thePathGoesOnWithTheSameProcessWhereItCan() {
        // from 1, b's edge is listed first; after a's step the path takes a's (its steps then run on a's own thread)
        StateGraph g = graphByProcess(4, new int[][] {{0, 1, 0}, {1, 2, 1}, {1, 3, 0}}, 0);
        List<List<StateGraph.Edge>> paths = PathCover.of(g);
        assertCover(g, paths);
        assertEquals(List.of(0, 2), paths.get(0).stream().map(StateGraph.Edge::id).toList(), paths.toString());
    }

    @Test
    void randomGraphsOfSeveralProcessesAreCovered() {
        Random rnd = new Random(11);
        for (int round = 0; round < 200; round++) {
            int n = 2 + rnd.nextInt(30);
            List<int[]> es = new ArrayList<>();
            for (int s = 1; s < n; s++) es.add(new int[] {rnd.nextInt(s), s, rnd.nextInt(3)});
            for (int k = rnd.nextInt(3 * n); k > 0; k--) es.add(new int[] {rnd.nextInt(n), rnd.nextInt(n), rnd.nextInt(3)});
            StateGraph g = graphByProcess(n, es.toArray(new int[0][]), 0);
            assertCover(g, PathCover.of(g));
        }
    }

    @Test
    void anEdgeNoInitialStateReachesIsAnError() {
        StateGraph g = graph(3, new int[][] {{0, 1}, {2, 1}}, 0);
        assertThrows(IllegalStateException.class, () -> PathCover.of(g));
    }
}
