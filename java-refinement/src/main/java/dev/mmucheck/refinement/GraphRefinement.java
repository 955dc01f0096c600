package dev.mmucheck.refinement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import dev.mmucheck.machine.LockstepRun;
import dev.mmucheck.machine.MachineConfig;
import dev.mmucheck.machine.Violation;
import dev.mmucheck.scheduling.LockstepScheduler;
import dev.mmucheck.scheduling.LockstepScheduler.Position;
import dev.mmucheck.scheduling.LockstepScheduler.Where;
import dev.mmucheck.scheduling.WaitQueue;
import dev.mmucheck.tlc.TlaValue;

/**
 * Refinement over TLC's whole state graph, checked both ways at every state. Along paths that
 * together take every edge ({@link PathCover}), the Java machine of the model runs under the
 * lockstep scheduler:
 * <ul>
 * <li>forward: the process each edge names takes the step with that label, and afterwards every
 *     variable of the abstraction function equals TLC's target state;</li>
 * <li>backward: at every state, every process with no edge out of it is offered a step and must
 *     come back blocked (in the Java code's own lock or wait) or be finished, with the state
 *     unchanged; a Java process that moves is a step the spec forbids;</li>
 * <li>the properties hold on every Java state (the model passes, so TLC's states break none).</li>
 * </ul>
 */
public final class GraphRefinement {
    private GraphRefinement() {}

    /** Where Java and the graph part: path (1-based), step on that path (0: the initial state), TLC state id. */
    public record Divergence(int path, int step, int state, String kind, String detail) {
        @Override
        public String toString() {
            return "path " + path + ", step " + step + " (TLC state " + state + "), " + kind + ": " + detail;
        }
    }

    /** What a graph run found and what it cost. */
    public record Summary(int states, int edges, int edgesTaken, int paths, int pathsInCover, long steps, long probes, double seconds,
                          List<Divergence> divergences) {
        /** No divergence, and every edge taken (or the run was cut short on purpose: {@link #partial()}). */
        public boolean ok() { return divergences.isEmpty() && (edgesTaken == edges || partial()); }
        /** Fewer paths run than the cover has, with no divergence: a run limited by the caller. */
        public boolean partial() { return divergences.isEmpty() && paths < pathsInCover; }
        public double stepsPerSecond() { return steps / Math.max(seconds, 1e-9); }
    }

    /**
     * Runs every path; stops after {@code maxDivergences} divergences (each path stops at its first).
     * {@code progress} gets a line now and then.
     */
    public static Summary run(StateGraph g, MachineConfig config, int maxDivergences, Consumer<String> progress)
            throws InterruptedException {
        return run(g, config, Set.of(), maxDivergences, Integer.MAX_VALUE, progress);
    }

    /**
     * As {@link #run(StateGraph, MachineConfig, int, Consumer)}, for a graph whose states may break the
     * properties in {@code brokenInGraph} (a model recorded without its invariants): the Java code must
     * follow those states too, and breaking those properties there is not a divergence.
     */
    public static Summary run(StateGraph g, MachineConfig config, Set<String> brokenInGraph, int maxDivergences, int maxPaths,
                              Consumer<String> progress) throws InterruptedException {
        long c0 = System.nanoTime();
        List<List<StateGraph.Edge>> paths = PathCover.of(g);
        long total = PathCover.steps(paths);
        progress.accept(String.format("%,d states, %,d edges; %,d paths cover them in %,d steps (%.2f steps per edge; cover found in %.1f s)",
                g.states().size(), g.edges().size(), paths.size(), total, total / (double) Math.max(1, g.edges().size()),
                (System.nanoTime() - c0) / 1e9));
        long t0 = System.nanoTime(), lastReport = t0;
        List<Divergence> divergences = new ArrayList<>();
        boolean[] taken = new boolean[g.edges().size()];
        long steps = 0;
        long[] probes = new long[1];
        int done = 0;
        for (int p = 0; p < paths.size() && p < maxPaths && divergences.size() < maxDivergences; p++) {
            List<StateGraph.Edge> path = paths.get(p);
            Optional<Divergence> d = runPath(g, config, brokenInGraph, p + 1, path, taken, probes);
            steps += d.map(x -> (long) x.step()).orElse((long) path.size());
            d.ifPresent(divergences::add);
            done++;
            long now = System.nanoTime();
            if (now - lastReport > 5_000_000_000L) {
                lastReport = now;
                double secs = (now - t0) / 1e9;
                progress.accept(String.format("path %,d of %,d, %,d of %,d steps, %.0f steps/s, %d divergences", done, paths.size(),
                        steps, total, steps / secs, divergences.size()));
            }
        }
        int edgesTaken = 0;
        for (boolean b : taken) if (b) edgesTaken++;
        return new Summary(g.states().size(), g.edges().size(), edgesTaken, done, paths.size(), steps, probes[0], (System.nanoTime() - t0) / 1e9,
                divergences);
    }

    private static Optional<Divergence> runPath(StateGraph g, MachineConfig config, Set<String> brokenInGraph, int p, List<StateGraph.Edge> path,
                                                boolean[] taken, long[] probes) throws InterruptedException {
        Map<String, List<Set<Long>>> ranges = TlcChoices.ranges(path.stream().map(StateGraph.Edge::step).toList());
        StateGraph.Edge[] current = new StateGraph.Edge[1];
        try (LockstepRun run = LockstepRun.start(config, (inv, k) -> TraceReplay.chosenRange(ranges, inv, k), (gpu, k, pending) ->
                current[0] == null ? pending.get(0)
                        : TlcChoices.completedFence(g.states().get(current[0].src()), g.states().get(current[0].dst()), gpu, pending))) {
            LockstepScheduler s = run.scheduler();
            int cur = path.get(0).src();
            Optional<Divergence> d = atState(g, run, brokenInGraph, p, 0, cur, probes);
            if (d.isPresent()) return d;
            for (int k = 0; k < path.size(); k++) {
                StateGraph.Edge e = path.get(k);
                if (e.src() != cur) throw new IllegalStateException("path " + p + " is not connected at step " + (k + 1));
                Position before = s.position(e.proc());
                if (!before.canTry() || before.label() == null || !e.label().equals(before.label().contractName())) {
                    return Optional.of(new Divergence(p, k + 1, e.dst(), "position",
                            "TLC's step is " + e.proc() + ": " + e.label() + ", but the Java process is " + before));
                }
                current[0] = e;
                Position after = s.step(e.proc());
                current[0] = null;
                if (after.where() == Where.BLOCKED && after.blockedIn() != null && after.blockedIn().startsWith(WaitQueue.ASLEEP)) {
                    return Optional.of(new Divergence(p, k + 1, e.dst(), "lost wake-up",
                            "TLC's step is " + e.proc() + ": " + e.label() + " (its wait is over in TLC's state), but the Java thread stays asleep on "
                                    + after.blockedIn().substring(WaitQueue.ASLEEP.length()) + ": nobody called wake_up_all on it since "
                                    + e.proc() + " went to sleep"));
                }
                if (after.where() == Where.BLOCKED) {
                    return Optional.of(new Divergence(p, k + 1, e.dst(), "blocked",
                            "TLC's step is " + e.proc() + ": " + e.label() + ", but the Java thread cannot take it: " + after));
                }
                if (after.where() == Where.EXITED && after.failure() != null) {
                    return Optional.of(new Divergence(p, k + 1, e.dst(), "died", e.proc() + " died in " + e.label() + ": " + after.failure()));
                }
                taken[e.id()] = true;
                cur = e.dst();
                d = atState(g, run, brokenInGraph, p, k + 1, cur, probes);
                if (d.isPresent()) return d;
            }
            return Optional.empty();
        }
    }

    /** The checks at a state: every variable equal, no property broken, and no process moving where the spec has no edge. */
    private static Optional<Divergence> atState(StateGraph g, LockstepRun run, Set<String> brokenInGraph, int p, int k, int state, long[] probes)
            throws InterruptedException {
        LockstepScheduler s = run.scheduler();
        Map<String, TlaValue> tlc = g.states().get(state);
        Optional<TraceReplay.Divergence> d = TraceReplay.compare(tlc, Abstraction.of(run.machine(), s.positions()), k);
        if (d.isPresent()) return Optional.of(new Divergence(p, k, state, "state", d.get().detail()));
        List<Violation> broken = new ArrayList<>(run.checker().check(s.positions()));
        broken.removeIf(v -> brokenInGraph.contains(v.property()));
        if (!broken.isEmpty()) {
            return Optional.of(new Divergence(p, k, state, "property", "the Java state breaks " + broken.get(0).property()
                    + " (" + broken.get(0) + "), which TLC's state does not"));
        }
        Set<String> movers = new HashSet<>();
        for (StateGraph.Edge e : g.out().get(state)) movers.add(e.proc());
        boolean probed = false;
        for (String proc : s.processes()) {
            if (movers.contains(proc)) continue;
            Position pos = s.position(proc);
            if (pos.where() == Where.EXITED) {
                if (pos.failure() != null) return Optional.of(new Divergence(p, k, state, "died", proc + " died: " + pos.failure()));
                continue;
            }
            probes[0]++;
            probed = true;
            Position after = s.step(proc);
            if (after.where() != Where.BLOCKED) {
                return Optional.of(new Divergence(p, k, state, "forbidden step",
                        "Java can take a step the spec forbids: " + proc + " was " + pos + " and moved on (now " + after
                                + "); TLC's state has no step of " + proc + (g.out().get(state).isEmpty() ? " (a terminal state)" : "")));
            }
        }
        if (probed) {
            d = TraceReplay.compare(tlc, Abstraction.of(run.machine(), s.positions()), k);
            if (d.isPresent()) return Optional.of(new Divergence(p, k, state, "state changed by a blocked step", d.get().detail()));
        }
        return Optional.empty();
    }

}
