package dev.mmucheck.machine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.mmucheck.scheduling.LockstepScheduler;
import dev.mmucheck.scheduling.LockstepScheduler.Position;
import dev.mmucheck.scheduling.LockstepScheduler.Where;

/**
 * Runs a {@link Machine} under a {@link LockstepScheduler} along one random schedule (TLC's
 * simulation mode, on the Java code): at each step a random process that can move takes its
 * step; the {@link PropertyChecker} looks at every state. A run ends at the first violation, when
 * every process has returned, or when none can move (then liveness is judged). A GPU is slower
 * than a CPU: while some other process can move, a GPU is picked in one step out of
 * {@link #GPU_ODDS} only, so TLB invalidations stay pending across several CPU steps (the windows
 * that D10 and D11 open), as on hardware; each completes a random pending fence.
 */
public final class RandomExplorer {
    // Each invalidation's range comes from its own Random (seed, invalidator, k): the invalidator
    // threads ask for it at times the schedule decides, so a shared Random would tie the range to
    // the interleaving.
    /** While a CPU process can move, a GPU moves in one step out of this many. */
    static final int GPU_ODDS = 10;

    /** One step of a run: the process and the label of the step it took. */
    public record Step(String proc, String label) {
        @Override public String toString() { return proc + ": " + label; }
    }

    /**
     * What one run found: the violations (empty: none), and the schedule that led there; {@code stuck}:
     * no process could move; {@code boundReached}: the run hit its step bound with a process unfinished
     * (a livelock, or a bound too small): not a finished run.
     */
    public record Run(long seed, List<Violation> violations, List<Step> steps, boolean stuck, boolean boundReached) {
        /** Every process (but the GPUs) returned, nothing broken. */
        public boolean finished() { return violations.isEmpty() && !stuck && !boundReached; }

        public boolean violated(String property) {
            return violations.stream().anyMatch(v -> v.property().equals(property));
        }

        /** The schedule as a kernel developer reads a counterexample. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < steps.size(); k++) b.append(String.format("  %2d  %s%n", k + 1, steps.get(k)));
            violations.forEach(v -> b.append("  => ").append(v).append('\n'));
            return b.toString();
        }
    }

    private static List<Violation> watched(List<Violation> v, Set<String> watch) {
        if (watch == null) return v;
        List<Violation> out = new ArrayList<>(v);
        out.removeIf(x -> !watch.contains(x.property()));
        return out;
    }

    private final MachineConfig config;
    private final int maxSteps;

    public RandomExplorer(MachineConfig config, int maxSteps) {
        this.config = config;
        this.maxSteps = maxSteps;
    }

    /** A run that stops at the first violation of any property. */
    public Run run(long seed) throws InterruptedException {
        return run(seed, null);
    }

    /**
     * A run that watches only the properties in {@code watch} (null: all), as a TLC
     * configuration checks only the properties it lists; other violations do not stop it.
     */
    public Run run(long seed, Set<String> watch) throws InterruptedException {
        Random rnd = new Random(seed);
        List<Step> steps = new ArrayList<>();
        try (LockstepRun run = LockstepRun.start(config, (inv, k) -> inv.ranges().get(new Random(java.util.Objects.hash(seed, inv.name(), k)).nextInt(inv.ranges().size())),
                (gpu, k, pending) -> pending.get(rnd.nextInt(pending.size())))) {
            Machine m = run.machine();
            // a walk the tree changed under (a mutation) resumes at a random later notifier, or ends
            m.mm().walkResume((walker, candidates) -> {
                int k = rnd.nextInt(candidates.size() + 1);
                return k == candidates.size() ? null : candidates.get(k);
            });
            PropertyChecker checker = run.checker();
            LockstepScheduler s = run.scheduler();
            Map<String, Position> pos = s.positions();
            List<Violation> v = watched(checker.check(pos), watch);
            if (!v.isEmpty()) return new Run(seed, v, steps, false, false);
            Set<String> gpus = m.gpus().keySet();
            Set<String> tried = new HashSet<>();
            while (steps.size() < maxSteps) {
                List<String> movable = new ArrayList<>();
                boolean othersLeft = false;
                for (Position p : pos.values()) {
                    if (p.where() == Where.EXITED) continue;
                    if (!gpus.contains(p.proc())) othersLeft = true;
                    if (!tried.contains(p.proc())) movable.add(p.proc());
                }
                if (!othersLeft) return new Run(seed, List.of(), steps, false, false);
                if (movable.isEmpty()) return new Run(seed, watched(checker.checkStuck(pos), watch), steps, true, false);
                List<String> cpus = movable.stream().filter(x -> !gpus.contains(x)).toList();
                List<String> gpusMovable = movable.stream().filter(gpus::contains).toList();
                List<String> from = cpus.isEmpty() || (!gpusMovable.isEmpty() && rnd.nextInt(GPU_ODDS) == 0) ? gpusMovable : cpus;
                String p = from.get(rnd.nextInt(from.size()));
                String label = String.valueOf(pos.get(p).label());
                Position after = s.step(p);
                if (after.where() == Where.BLOCKED) {
                    tried.add(p);
                    continue;
                }
                tried.clear();
                steps.add(new Step(p, label));
                pos = s.positions();
                v = watched(checker.check(pos), watch);
                if (!v.isEmpty()) return new Run(seed, v, steps, false, false);
            }
            // the step bound with a process unfinished: the liveness properties of the processes still
            // running are reported as broken (a livelock, such as D7's fault that retries for ever; the
            // base models all return well within the bound, MutationCatalogueTest)
            List<Violation> live = new ArrayList<>();
            for (Violation x : watched(checker.checkStuck(pos), watch))
                live.add(new Violation(x.property(), "not returned after " + maxSteps + " steps (a livelock?): " + x.detail()));
            return new Run(seed, live, steps, false, true);
        }
    }
}
