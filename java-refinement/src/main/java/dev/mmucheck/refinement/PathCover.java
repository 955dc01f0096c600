package dev.mmucheck.refinement;

import java.util.ArrayDeque;
import java.util.ArrayList;
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
        return new Search(g).paths();
    }

    /** How many states a walk to the nearest edge not yet taken may search before the path ends instead. */
    static final int SEARCH_LIMIT = 2048;

    /** Shortest ways from the initial states (breadth first), and the edges by the depth of their source. */
    private static final class Tree {
        final int[] depth;
        final StateGraph.Edge[] parent;
        final StateGraph.Edge[] byDepth;

        Tree(StateGraph g) {
            int n = g.states().size();
            depth = new int[n];
            java.util.Arrays.fill(depth, -1);
            parent = new StateGraph.Edge[n];
            ArrayDeque<Integer> q = new ArrayDeque<>();
            for (int i : g.init()) if (depth[i] < 0) { depth[i] = 0; q.add(i); }
            while (!q.isEmpty()) {
                int s = q.poll();
                for (StateGraph.Edge e : g.out().get(s)) {
                    if (depth[e.dst()] < 0) {
                        depth[e.dst()] = depth[s] + 1;
                        parent[e.dst()] = e;
                        q.add(e.dst());
                    }
                }
            }
            byDepth = g.edges().stream()
                    .sorted(java.util.Comparator.comparingInt((StateGraph.Edge e) -> depth[e.src()] < 0 ? Integer.MAX_VALUE : depth[e.src()])
                            .thenComparingInt(StateGraph.Edge::id))
                    .toArray(StateGraph.Edge[]::new);
        }

        List<StateGraph.Edge> wayTo(int s) {
            List<StateGraph.Edge> way = new ArrayList<>();
            for (int t = s; parent[t] != null; t = parent[t].src()) way.add(parent[t]);
            Collections.reverse(way);
            return way;
        }
    }

    /** The greedy search, with its scratch arrays reused from walk to walk. */
    private static final class Search {
        final StateGraph g;
        final boolean[] taken;
        final int[] untakenOut;
        /** States from which no edge not yet taken can be reached (taking edges only shrinks what is reachable). */
        final boolean[] dead;
        final int[] seenAt;
        final StateGraph.Edge[] via;
        final ArrayDeque<Integer> queue = new ArrayDeque<>();
        int stamp;

        Search(StateGraph g) {
            this.g = g;
            int n = g.states().size();
            taken = new boolean[g.edges().size()];
            untakenOut = new int[n];
            for (StateGraph.Edge e : g.edges()) untakenOut[e.src()]++;
            dead = new boolean[n];
            seenAt = new int[n];
            via = new StateGraph.Edge[n];
        }

        List<List<StateGraph.Edge>> paths() {
            int remaining = g.edges().size();
            Tree tree = new Tree(g);
            List<List<StateGraph.Edge>> paths = new ArrayList<>();
            int next = 0;   // the edges in order of their source's depth: where a new path heads for
            while (remaining > 0) {
                while (taken[tree.byDepth[next].id()]) next++;
                StateGraph.Edge target = tree.byDepth[next];
                if (tree.depth[target.src()] < 0) throw new IllegalStateException(remaining + " edges cannot be reached from an initial state");
                // the shortest way from an initial state to the shallowest edge not taken, then on greedily
                List<StateGraph.Edge> path = new ArrayList<>(tree.wayTo(target.src()));
                int cur = target.src();
                while (true) {
                    StateGraph.Edge best = null;
                    String last = path.isEmpty() ? null : path.get(path.size() - 1).proc();
                    for (StateGraph.Edge e : g.out().get(cur)) {
                        if (taken[e.id()]) continue;
                        if (best == null || better(e, best, last)) best = e;
                    }
                    if (best != null) {
                        taken[best.id()] = true;
                        untakenOut[best.src()]--;
                        remaining--;
                        path.add(best);
                        cur = best.dst();
                        continue;
                    }
                    List<StateGraph.Edge> way = shortestWayToUntaken(cur);
                    if (way.isEmpty()) break;
                    path.addAll(way);
                    cur = way.get(way.size() - 1).dst();
                }
                paths.add(path);
            }
            return paths;
        }

        /**
         * Whether untaken edge {@code e} is a better next step than {@code best} after a step of
         * process {@code last}: the same process goes on first (its steps then run on its own thread,
         * with no hand-off between them), then the target with more edges not yet taken.
         */
        boolean better(StateGraph.Edge e, StateGraph.Edge best, String last) {
            boolean es = e.proc().equals(last), bs = best.proc().equals(last);
            if (es != bs) return es;
            return untakenOut[e.dst()] > untakenOut[best.dst()];
        }

        /**
         * A shortest walk from {@code from} to a state with an edge not yet taken, searching at most
         * {@link #SEARCH_LIMIT} states; empty if none is found (every state seen is then marked dead
         * when the search was whole).
         */
        List<StateGraph.Edge> shortestWayToUntaken(int from) {
            stamp++;
            queue.clear();
            queue.add(from);
            seenAt[from] = stamp;
            List<Integer> seen = new ArrayList<>();
            while (!queue.isEmpty()) {
                if (seen.size() >= SEARCH_LIMIT) return List.of();   // far away: a new path from the start is as short
                int s = queue.poll();
                seen.add(s);
                if (s != from && untakenOut[s] > 0) {
                    List<StateGraph.Edge> way = new ArrayList<>();
                    for (int t = s; t != from; t = via[t].src()) way.add(via[t]);
                    Collections.reverse(way);
                    return way;
                }
                for (StateGraph.Edge e : g.out().get(s)) {
                    int d = e.dst();
                    if (seenAt[d] != stamp && !dead[d]) {
                        seenAt[d] = stamp;
                        via[d] = e;
                        queue.add(d);
                    }
                }
            }
            for (int s : seen) dead[s] = true;
            return List.of();
        }
    }

    /** Steps of all paths together. */
    public static long steps(List<List<StateGraph.Edge>> paths) {
        return paths.stream().mapToLong(List::size).sum();
    }
}
