package dev.mmucheck.refinement;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Paths from an initial state that together take every edge of a {@link StateGraph}. Greedy: a
 * path takes an edge not yet taken wherever its state has one (preferring one whose target has
 * edges not yet taken); where it has none, it walks the shortest way to the nearest state that has
 * one; where no such state is reachable, it ends, and the next path starts from the initial state.
 * A path never restarts where it can go on, so the machine it drives is set up once per path.
 */
public final class PathCover {
    private PathCover() {}

    /** Each path as the edges it takes, in order. */
    public static List<List<StateGraph.Edge>> of(StateGraph g) {
        int n = g.states().size();
        boolean[] taken = new boolean[g.edges().size()];
        int[] untakenOut = new int[n];
        for (StateGraph.Edge e : g.edges()) untakenOut[e.src()]++;
        int remaining = g.edges().size();
        List<List<StateGraph.Edge>> paths = new ArrayList<>();
        int nextInit = 0;
        while (remaining > 0) {
            int cur = g.init()[nextInit++ % g.init().length];
            List<StateGraph.Edge> path = new ArrayList<>();
            while (true) {
                StateGraph.Edge best = null;
                for (StateGraph.Edge e : g.out().get(cur)) {
                    if (taken[e.id()]) continue;
                    if (best == null || untakenOut[e.dst()] > untakenOut[best.dst()]) best = e;
                }
                if (best != null) {
                    taken[best.id()] = true;
                    untakenOut[best.src()]--;
                    remaining--;
                    path.add(best);
                    cur = best.dst();
                    continue;
                }
                List<StateGraph.Edge> way = shortestWayToUntaken(g, cur, untakenOut);
                if (way.isEmpty()) break;
                path.addAll(way);
                cur = way.get(way.size() - 1).dst();
            }
            if (path.isEmpty()) {
                if (nextInit > g.init().length * 2L + remaining) throw new IllegalStateException("edges unreachable from the initial states: " + remaining);
                continue;
            }
            paths.add(path);
        }
        return paths;
    }

    /** The edges of a shortest walk from {@code from} to a state with an edge not yet taken; empty if none is reachable. */
    private static List<StateGraph.Edge> shortestWayToUntaken(StateGraph g, int from, int[] untakenOut) {
        int n = g.states().size();
        StateGraph.Edge[] via = new StateGraph.Edge[n];
        boolean[] seen = new boolean[n];
        ArrayDeque<Integer> q = new ArrayDeque<>();
        q.add(from);
        seen[from] = true;
        while (!q.isEmpty()) {
            int s = q.poll();
            if (s != from && untakenOut[s] > 0) {
                List<StateGraph.Edge> way = new ArrayList<>();
                for (int t = s; t != from; t = via[t].src()) way.add(via[t]);
                Collections.reverse(way);
                return way;
            }
            for (StateGraph.Edge e : g.out().get(s)) {
                if (!seen[e.dst()]) {
                    seen[e.dst()] = true;
                    via[e.dst()] = e;
                    q.add(e.dst());
                }
            }
        }
        return List.of();
    }

    /** Steps of all paths together. */
    public static long steps(List<List<StateGraph.Edge>> paths) {
        return paths.stream().mapToLong(List::size).sum();
    }

    static boolean coversAll(StateGraph g, List<List<StateGraph.Edge>> paths) {
        boolean[] t = new boolean[g.edges().size()];
        for (List<StateGraph.Edge> p : paths) for (StateGraph.Edge e : p) t[e.id()] = true;
        for (boolean b : t) if (!b) return false;
        return Arrays.stream(g.init()).allMatch(i -> i >= 0);
    }
}
