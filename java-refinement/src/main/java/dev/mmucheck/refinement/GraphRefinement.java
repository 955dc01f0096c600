package dev.mmucheck.refinement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import dev.mmucheck.machine.LockstepRun;
import dev.mmucheck.machine.Machine;
import dev.mmucheck.machine.MachineConfig;
import dev.mmucheck.machine.ProcessThreads;
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
 * <li>backward: at every state (at its first visit), every process with no edge out of it is
 *     offered a step and must come back blocked (in the Java code's own lock or wait) or be
 *     finished, with the state unchanged; a Java process that moves is a step the spec forbids;</li>
 * <li>the properties hold on every Java state (the model passes, so TLC's states break none).</li>
 * </ul>
 */
public final class GraphRefinement {
    private GraphRefinement() {}

    /**
     * How much of the Java state each comparison recomputes ({@link StateComparison}): the
     * variables the Java code marked changed (and every variable at a state's first visit), every
     * variable, or every variable with a change that missed its mark reported as a divergence.
     */
    public enum Compare {
        CHANGED, FULL, AUDIT;

        /** From the command line's word (changed, full, audit). */
        public static Compare parse(String s) {
            for (Compare m : values()) if (m.name().equalsIgnoreCase(s)) return m;
            throw new IllegalArgumentException("expected one of changed, full, audit, not '" + s + "'");
        }
    }

    /** Where Java and the graph part: path (1-based), step on that path (0: the initial state), TLC state id. */
    public record Divergence(int path, int step, int state, String kind, String detail) {
        @Override
        public String toString() {
            if (state < 0) return "the whole graph, " + kind + ": " + detail;
            return "path " + path + ", step " + step + " (TLC state " + state + "), " + kind + ": " + detail;
        }
    }

    /**
     * Where the run's time went, in seconds: setting up and tearing down a path's machine, the
     * steps TLC's edges name (hand-off and Java code), the abstraction and its comparison with TLC's
     * state, the property checks, and the backward probes.
     */
    public record Costs(double setup, double steps, double compare, double properties, double probes) {
        @Override
        public String toString() {
            return String.format("setup %.1f s, steps %.1f s, abstraction and comparison %.1f s, properties %.1f s, probes %.1f s",
                    setup, steps, compare, properties, probes);
        }
    }

    /** What a graph run found and what it cost. */
    public record Summary(int states, int edges, int edgesTaken, int paths, int pathsInCover, long steps, long fromController, long probes, double seconds,
                          double coverSeconds, Costs costs, Compare compare, double variablesRecomputed, long variablesChanged,
                          List<Divergence> divergences) {
        /** No divergence, and every edge taken (or the run was cut short on purpose: {@link #partial()}). */
        public boolean ok() { return divergences.isEmpty() && (edgesTaken == edges || partial()); }
        /** Fewer paths run than the cover has, with no divergence: a run limited by the caller. */
        public boolean partial() { return divergences.isEmpty() && paths < pathsInCover; }
        public double stepsPerSecond() { return steps / Math.max(seconds, 1e-9); }

        /** How the comparison ran, for people: "comparison changed (7.0 of 29 variables recomputed per state on average)". */
        public String comparison() {
            return String.format("comparison %s (%.1f of %d variables recomputed per state on average)", compare.name().toLowerCase(java.util.Locale.ROOT),
                    variablesRecomputed, dev.mmucheck.scheduling.SpecVar.values().length);
        }
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
        return new Runner(g, config, brokenInGraph, null, (m, state) -> {}).run(maxDivergences, maxPaths, progress);
    }

    /**
     * As {@link #run(StateGraph, MachineConfig, Set, int, int, Consumer)}, where TLC checked only the
     * properties in {@code checked} on the graph: breaking another one is not a divergence (TLC's
     * states may break it too).
     */
    public static Summary run(StateGraph g, MachineConfig config, Set<String> brokenInGraph, Set<String> checked, int maxDivergences,
                              int maxPaths, Consumer<String> progress) throws InterruptedException {
        return run(g, config, brokenInGraph, checked, maxDivergences, maxPaths, Compare.CHANGED, progress);
    }

    /** As {@link #run(StateGraph, MachineConfig, Set, Set, int, int, Consumer)}, comparing the states as {@code compare} says. */
    public static Summary run(StateGraph g, MachineConfig config, Set<String> brokenInGraph, Set<String> checked, int maxDivergences,
                              int maxPaths, Compare compare, Consumer<String> progress) throws InterruptedException {
        Runner r = new Runner(g, config, brokenInGraph, checked, (m, state) -> {});
        r.compare = compare;
        return r.run(maxDivergences, maxPaths, progress);
    }

    /**
     * Random behaviours that TLC walked ({@link RandomWalks}), each driven through the Java code with
     * the checks of the graph run: the step each edge names, every variable equal at every state, the
     * backward probe at each state's first visit (TLC computed every successor, so the processes with
     * no step are known), and TLC's verdict against the Java checker's: a property the Java state breaks
     * must be one TLC's state (or the step into it) breaks, and one TLC's state breaks must have been
     * broken by the Java code on this behaviour by then (if the Java checker evaluates it at all:
     * {@link dev.mmucheck.machine.PropertyChecker#EVALUATED}).
     */
    public static Summary runWalks(RandomWalks walks, MachineConfig config, int maxDivergences, Consumer<String> progress)
            throws InterruptedException {
        return runWalks(walks, config, maxDivergences, Compare.CHANGED, progress);
    }

    /** As {@link #runWalks(RandomWalks, MachineConfig, int, Consumer)}, comparing the states as {@code compare} says. */
    public static Summary runWalks(RandomWalks walks, MachineConfig config, int maxDivergences, Compare compare, Consumer<String> progress)
            throws InterruptedException {
        Runner r = new Runner(walks.graph(), config, Set.of(), walks.checked(), (m, state) -> {});
        r.walks = walks;
        r.compare = compare;
        return r.run(maxDivergences, Integer.MAX_VALUE, progress);
    }

    /** {@link #runWalks} with a test's hook called just before each state's comparison (see {@link #run}'s). */
    static Summary runWalks(RandomWalks walks, MachineConfig config, int maxDivergences, Consumer<String> progress,
                            java.util.function.ObjIntConsumer<dev.mmucheck.machine.Machine> beforeCheck) throws InterruptedException {
        Runner r = new Runner(walks.graph(), config, Set.of(), walks.checked(), beforeCheck);
        r.walks = walks;
        return r.run(maxDivergences, Integer.MAX_VALUE, progress);
    }

    /**
     * As {@link #run(StateGraph, MachineConfig, Set, int, int, Consumer)}, with {@code beforeCheck}
     * called with the machine and TLC's state id just before each state's comparison: a test's way
     * to plant a write in the Java state that TLC's step did not make.
     */
    static Summary run(StateGraph g, MachineConfig config, Set<String> brokenInGraph, int maxDivergences, int maxPaths,
                       Consumer<String> progress, java.util.function.ObjIntConsumer<dev.mmucheck.machine.Machine> beforeCheck)
            throws InterruptedException {
        Runner r = new Runner(g, config, brokenInGraph, null, beforeCheck);
        return r.run(maxDivergences, maxPaths, progress);
    }

    /** {@link #run(StateGraph, MachineConfig, Set, int, int, Consumer, java.util.function.ObjIntConsumer)} comparing as {@code compare} says. */
    static Summary run(StateGraph g, MachineConfig config, Compare compare, int maxDivergences, int maxPaths,
                       Consumer<String> progress, java.util.function.ObjIntConsumer<dev.mmucheck.machine.Machine> beforeCheck)
            throws InterruptedException {
        Runner r = new Runner(g, config, Set.of(), null, beforeCheck);
        r.compare = compare;
        return r.run(maxDivergences, maxPaths, progress);
    }

    /** One graph run: the graph's coded states, which states were probed, and the timers. */
    private static final class Runner {
        final StateGraph g;
        final MachineConfig config;
        final Set<String> brokenInGraph;
        /** States whose backward probe has run (once per state: at its first visit). */
        final boolean[] probed;
        final boolean[] taken;
        /** The process threads, reused from path to path (each path has a new machine). */
        final ProcessThreads threads = new ProcessThreads(LockstepRun.STEP_TIMEOUT_MILLIS);
        Compare compare = Compare.CHANGED;
        StateComparison comparison;
        long probes, handoffs, chained;
        long tSetup, tSteps, tCompare, tProperties, tProbes;

        final java.util.function.ObjIntConsumer<dev.mmucheck.machine.Machine> beforeCheck;

        /** The properties TLC checked on the graph; null: every one. */
        final Set<String> checked;

        /** Random walks instead of a cover of the whole graph (null: the whole graph). */
        RandomWalks walks;
        /** The properties the Java code has broken on the current path (walks only). */
        final Set<String> brokenOnPath = new HashSet<>();
        /** The properties the Java checker found broken anywhere on this run. */
        final Set<String> brokenInRun = new HashSet<>();

        Runner(StateGraph g, MachineConfig config, Set<String> brokenInGraph, Set<String> checked,
               java.util.function.ObjIntConsumer<dev.mmucheck.machine.Machine> beforeCheck) {
            this.checked = checked;
            this.beforeCheck = beforeCheck;
            this.g = g;
            this.config = config;
            this.brokenInGraph = brokenInGraph;
            this.probed = new boolean[g.states().size()];
            this.taken = new boolean[g.edges().size()];
        }

        Summary run(int maxDivergences, int maxPaths, Consumer<String> progress) throws InterruptedException {
            long c0 = System.nanoTime();
            List<List<StateGraph.Edge>> paths = walks != null ? walks.paths() : PathCover.of(g);
            long total = PathCover.steps(paths);
            double coverSeconds = (System.nanoTime() - c0) / 1e9;
            if (walks != null) progress.accept(String.format("%,d behaviours, %,d steps, through %,d distinct states and %,d distinct edges",
                    paths.size(), total, g.states().size(), g.edges().size()));
            else progress.accept(String.format("%,d states, %,d edges; %,d paths cover them in %,d steps (%.2f steps per edge; cover found in %.1f s)",
                    g.states().size(), g.edges().size(), paths.size(), total, total / (double) Math.max(1, g.edges().size()), coverSeconds));
            long t0 = System.nanoTime(), lastReport = t0;
            List<Divergence> divergences = new ArrayList<>();
            long steps = 0;
            int done = 0;
            for (int p = 0; p < paths.size() && p < maxPaths && divergences.size() < maxDivergences; p++) {
                List<StateGraph.Edge> path = paths.get(p);
                if (path.isEmpty()) { done++; continue; }   // a walk from a state with no step: nothing to drive
                Optional<Divergence> d;
                try {
                    d = runPath(p + 1, path);
                } catch (InterruptedException | RuntimeException e) {
                    threads.close();
                    throw e;
                }
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
            threads.close();
            if (walks == null && divergences.isEmpty() && done == paths.size()) {
                // a graph with states that break a property (recorded without its checks): the Java checker must find it broken somewhere
                for (String prop : brokenInGraph) {
                    if (dev.mmucheck.machine.PropertyChecker.EVALUATED.contains(prop) && !brokenInRun.contains(prop))
                        divergences.add(new Divergence(done, 0, -1, "property", "TLC's graph has states that break " + prop
                                + ", and the Java checker found it broken at none of them"));
                }
            }
            int edgesTaken = 0;
            for (boolean b : taken) if (b) edgesTaken++;
            Costs costs = new Costs(tSetup / 1e9, tSteps / 1e9, tCompare / 1e9, tProperties / 1e9, tProbes / 1e9);
            return new Summary(g.states().size(), g.edges().size(), edgesTaken, done, paths.size(), steps, handoffs, probes,
                    (System.nanoTime() - t0) / 1e9, coverSeconds, costs, compare, comparison == null ? 0 : comparison.recomputedPerComparison(),
                    comparison == null ? 0 : comparison.changed(), divergences);
        }

        private Optional<Divergence> runPath(int p, List<StateGraph.Edge> path) throws InterruptedException {
            Map<String, List<Set<Long>>> ranges = TlcChoices.ranges(path.stream().map(StateGraph.Edge::step).toList());
            StateGraph.Edge[] current = new StateGraph.Edge[1];
            long a = System.nanoTime();
            LockstepRun run = LockstepRun.start(config, (inv, k) -> TraceReplay.chosenRange(ranges, inv, k), (gpu, k, pending) ->
                    current[0] == null ? pending.get(0)
                            : TlcChoices.completedFence(g.states().get(current[0].src()), g.states().get(current[0].dst()), gpu, pending),
                    threads);
            Machine jm = run.machine();
            jm.mm().walkResume((walker, candidates) -> current[0] == null ? dev.mmucheck.kernel.WalkResume.IN_ORDER.choose(walker, candidates)
                    : TlcChoices.resumedAt(g.states().get(current[0].dst()), jm.procOf(walker), candidates));
            Map<String, List<Boolean>> injects = TlcChoices.injectsFromStates(path.stream()
                    .map(e -> Map.entry(e.step(), g.states().get(e.dst()))).toList());
            run.machine().vms().values().forEach(vm -> vm.setInjectChooser((r, k) -> {
                List<Boolean> l = injects.get(r);
                return l != null && k < l.size() && l.get(k);
            }));
            tSetup += System.nanoTime() - a;
            brokenOnPath.clear();
            try {
                LockstepScheduler s = run.scheduler();
                int cur = path.get(0).src();
                Optional<Divergence> d = atState(run, p, 0, cur, null);
                if (d.isPresent()) return d;
                int k = 0;
                while (k < path.size()) {
                    StateGraph.Edge e = path.get(k);
                    if (e.src() != cur) throw new IllegalStateException("path " + p + " is not connected at step " + (k + 1));
                    Position before = s.position(e.proc());
                    if (!before.canTry() || before.label() == null || !e.label().equals(before.label().contractName())) {
                        return Optional.of(new Divergence(p, k + 1, e.dst(), "position",
                                "TLC's step is " + e.proc() + ": " + e.label() + ", but the Java process is " + before));
                    }
                    Segment seg = new Segment(run, p, path, k, current);
                    current[0] = e;
                    long t = System.nanoTime();
                    handoffs++;
                    Position after = s.step(e.proc(), seg);
                    tSteps += System.nanoTime() - t - seg.checking;
                    chained += seg.chained;
                    current[0] = null;
                    if (seg.failure != null) throw new IllegalStateException("the checks at a label failed on " + e.proc() + "'s thread", seg.failure);
                    if (seg.stopped) {
                        // every step up to seg.next was checked on the process's thread; the last ends at a label
                        if (seg.divergence != null) return Optional.of(seg.divergence);
                        k = seg.next;
                        cur = path.get(k - 1).dst();
                        d = probeOnFirstVisit(run, p, k, cur);
                        if (d.isPresent()) return d;
                        continue;
                    }
                    // the step seg.next ended blocked or with the process's exit: checked here
                    k = seg.next;
                    e = path.get(k);
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
                    k++;
                    d = atState(run, p, k, cur, e);
                    if (d.isPresent()) return d;
                }
                return Optional.empty();
            } finally {
                long t = System.nanoTime();
                run.close();
                tSetup += System.nanoTime() - t;
            }
        }

        /**
         * Java's abstraction against TLC's state {@code state}: the first variable that differs, if any
         * (every variable at the state's first visit; else those the Java code marked changed, see {@link StateComparison}).
         */
        private Optional<String> difference(LockstepRun run, int state, boolean firstVisit) {
            beforeCheck.accept(run.machine(), state);
            long t = System.nanoTime();
            if (comparison == null) comparison = new StateComparison(compare, g.states());
            Optional<String> d = comparison.difference(run.machine(), run.scheduler().positions(), state, firstVisit);
            tCompare += System.nanoTime() - t;
            return d;
        }

        /**
         * The steps of a path taken thread to thread, with no return to the controller in between:
         * at each label the process that just moved checks the state it reached (every variable,
         * the properties) and hands the path's next step straight to the process that takes it
         * (itself, or another one at the label the edge names). It stops, and the controller goes on,
         * at a divergence, at a state not yet probed, at the end of the path, and where the next
         * process is not at the edge's label (the controller then reports it).
         */
        private final class Segment implements LockstepScheduler.Continuation {
            final LockstepRun run;
            final int p;
            final List<StateGraph.Edge> path;
            final StateGraph.Edge[] current;
            /** The edge being taken (or, once stopped at a label, the next one to take). */
            int next;
            boolean stopped;
            /** Steps taken after the first, each handed over without the controller. */
            int chained;
            Divergence divergence;
            Throwable failure;
            /** Time spent in the checks on the processes' threads. */
            long checking;

            Segment(LockstepRun run, int p, List<StateGraph.Edge> path, int next, StateGraph.Edge[] current) {
                this.run = run;
                this.p = p;
                this.path = path;
                this.next = next;
                this.current = current;
            }

            @Override
            public String next(String proc) {
                long t = System.nanoTime();
                try {
                    StateGraph.Edge e = path.get(next);
                    if (!e.proc().equals(proc)) throw new IllegalStateException("step " + (next + 1) + " is " + e + ", but " + proc + " moved");
                    taken[e.id()] = true;
                    next++;
                    Optional<Divergence> d = forward(run, p, next, e.dst(), e);
                    if (d.isPresent()) divergence = d.get();
                    StateGraph.Edge n = next < path.size() ? path.get(next) : null;
                    if (d.isEmpty() && probed[e.dst()] && n != null && labelIs(run.scheduler().position(n.proc()), n.label())) {
                        current[0] = n;
                        chained++;
                        return n.proc();
                    }
                    stopped = true;
                    return null;
                } catch (Throwable x) {
                    failure = x;
                    stopped = true;
                    return null;
                } finally {
                    checking += System.nanoTime() - t;
                }
            }
        }

        private static boolean labelIs(Position pos, String label) {
            return pos.canTry() && pos.label() != null && label.equals(pos.label().contractName());
        }

        /**
         * The checks at a state: every variable equal and no property broken, at every visit; and, at
         * the state's first visit, no process moving where the spec has no edge.
         */
        private Optional<Divergence> atState(LockstepRun run, int p, int k, int state, StateGraph.Edge via) throws InterruptedException {
            Optional<Divergence> d = forward(run, p, k, state, via);
            return d.isPresent() ? d : probeOnFirstVisit(run, p, k, state);
        }

        /** Every variable equal to TLC's state, and no property broken that TLC's state does not break. */
        private Optional<Divergence> forward(LockstepRun run, int p, int k, int state, StateGraph.Edge via) {
            Optional<String> d = difference(run, state, !probed[state]);
            if (d.isPresent()) return Optional.of(new Divergence(p, k, state, "state",
                    d.get() + (via == null ? " (the initial state)" : " (after " + via.proc() + ": " + via.label() + ")")));
            long t = System.nanoTime();
            List<Violation> broken = new ArrayList<>(run.checker().check(run.scheduler().positions()));
            tProperties += System.nanoTime() - t;
            for (Violation v : broken) brokenInRun.add(v.property());
            if (walks != null) return againstVerdict(p, k, state, via, broken);
            broken.removeIf(v -> brokenInGraph.contains(v.property()) || (checked != null && !checked.contains(v.property())));
            if (!broken.isEmpty()) {
                return Optional.of(new Divergence(p, k, state, "property", "the Java state breaks " + broken.get(0).property()
                        + " (" + broken.get(0) + "), which TLC's state does not"));
            }
            return Optional.empty();
        }

        /**
         * The Java checker's verdict against TLC's at a state of a walk: every property the Java
         * state breaks (of those TLC evaluated) TLC's state or step breaks too; every property TLC's
         * state or step breaks that the Java checker evaluates, the Java code has broken on this
         * behaviour (at this state or before: a property seen inside a step is reported once).
         */
        private Optional<Divergence> againstVerdict(int p, int k, int state, StateGraph.Edge via, List<Violation> broken) {
            Set<String> tlc = walks.verdict(state, via);
            for (Violation v : broken) {
                if (!checked.contains(v.property())) continue;
                brokenOnPath.add(v.property());
                if (!tlc.contains(v.property()))
                    return Optional.of(new Divergence(p, k, state, "property", "the Java state breaks " + v.property() + " (" + v
                            + "), which TLC's verdict on this state does not" + (tlc.isEmpty() ? " (TLC's state breaks nothing)" : " (TLC's breaks " + tlc + ")")));
            }
            for (String prop : tlc) {
                if (dev.mmucheck.machine.PropertyChecker.EVALUATED.contains(prop) && !brokenOnPath.contains(prop))
                    return Optional.of(new Divergence(p, k, state, "property", "TLC's state breaks " + prop
                            + ", and the Java code has not broken it on this behaviour"));
            }
            return Optional.empty();
        }

        private Optional<Divergence> probeOnFirstVisit(LockstepRun run, int p, int k, int state) throws InterruptedException {
            if (probed[state]) return Optional.empty();
            probed[state] = true;
            long t = System.nanoTime();
            try {
                return probe(run, p, k, state);
            } finally {
                tProbes += System.nanoTime() - t;
            }
        }

        /**
         * The backward check: every process with no edge out of {@code state} is offered a step and
         * must come back blocked (or be finished), with the state unchanged.
         */
        private Optional<Divergence> probe(LockstepRun run, int p, int k, int state) throws InterruptedException {
            LockstepScheduler s = run.scheduler();
            Set<String> movers = new HashSet<>();
            if (walks != null) movers.addAll(walks.movers().get(state));
            else for (StateGraph.Edge e : g.out().get(state)) movers.add(e.proc());
            boolean any = false;
            for (String proc : s.processes()) {
                if (movers.contains(proc)) continue;
                Position pos = s.position(proc);
                if (pos.where() == Where.EXITED) {
                    if (pos.failure() != null) return Optional.of(new Divergence(p, k, state, "died", proc + " died: " + pos.failure()));
                    continue;
                }
                probes++;
                any = true;
                Position after = s.step(proc);
                if (after.where() != Where.BLOCKED) {
                    return Optional.of(new Divergence(p, k, state, "forbidden step",
                            "Java can take a step the spec forbids: " + proc + " was " + pos + " and moved on (now " + after
                                    + "); TLC's state has no step of " + proc + (movers.isEmpty() ? " (a terminal state)" : "")));
                }
            }
            if (any) {
                // every variable: this is the check that a blocked step changed nothing, marked or not
                Optional<String> d = difference(run, state, true);
                if (d.isPresent()) return Optional.of(new Divergence(p, k, state, "state changed by a blocked step", d.get()));
            }
            return Optional.empty();
        }
    }
}
