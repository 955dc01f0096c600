package dev.mmucheck.refinement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.mmucheck.driver.GpuDevice;
import dev.mmucheck.machine.LockstepRun;
import dev.mmucheck.machine.Machine;
import dev.mmucheck.machine.MachineConfig;
import dev.mmucheck.machine.PropertyChecker;
import dev.mmucheck.machine.Violation;
import dev.mmucheck.scheduling.LockstepScheduler;
import dev.mmucheck.scheduling.LockstepScheduler.Position;
import dev.mmucheck.scheduling.LockstepScheduler.Where;
import dev.mmucheck.tlc.TlaValue;
import dev.mmucheck.trace.ItfTrace;

/**
 * Replays one TLC behaviour (an ITF trace) on the Java machine: for each step, the process the
 * step record names takes the step with that label, under a {@link LockstepScheduler}; then the
 * {@link Abstraction} of the Java state must equal TLC's state, variable by variable. The first
 * difference is the divergence, reported with the step number, the variable and both values.
 */
public final class TraceReplay {

    /** Where Java and TLC part: at step {@code step} (1-based; 0 is the initial state). */
    public record Divergence(int step, String kind, String detail) {
        @Override
        public String toString() { return "step " + step + " (" + kind + "): " + detail; }
    }

    /**
     * What a replay found: how many steps matched, the divergence if any, the properties the Java state
     * broke, and the step at which each was first broken.
     */
    public record Result(String trace, int steps, int matched, Optional<Divergence> divergence, List<Violation> violations,
                         Map<String, Integer> brokenAt) {
        public boolean violated(String property) {
            return violations.stream().anyMatch(v -> v.property().equals(property));
        }

        /**
         * Where the Java code breaks a property that TLC's trace does not: a property the model checks
         * ({@code checked}, in the configuration's order) broken before the last state, or at it one that TLC
         * checks before the trace's {@code expected} one; and, for an invariant or action trace, the expected property not broken at the last state.
         * Empty when the Java code breaks exactly what TLC's trace breaks.
         */
        public List<String> disagreements(List<String> checked, String expected, String kind) {
            List<String> out = new ArrayList<>();
            if (divergence.isPresent()) return out;
            brokenAt.forEach((p, k) -> {
                if (!checked.contains(p)) return;   // TLC did not check it: its trace may break it too
                if (p.equals(expected) && k == steps) return;
                // TLC checks in the configuration's order and reports the first broken: one listed after it may break too
                if (k == steps && expected != null && checked.indexOf(p) > checked.indexOf(expected)) return;
                out.add("the Java state breaks " + p + " at step " + k + ", where TLC's trace breaks " + (p.equals(expected) ? "nothing yet"
                        : expected == null ? "nothing" : "only " + expected + ", at its last step " + steps));
            });
            boolean stateProperty = "invariant".equals(kind) || "action".equals(kind);
            if (stateProperty && expected != null && checked.contains(expected) && !brokenAt.containsKey(expected))
                out.add("TLC's trace breaks " + expected + " at its last step " + steps + ", the Java state never does");
            return out;
        }
    }

    private TraceReplay() {}

    public static Result replay(ItfTrace t, MachineConfig config, String traceName) throws InterruptedException {
        return replay(t, config, traceName, line -> {});
    }

    /** {@link #replay}, telling {@code progress} about each step as it is matched. */
    public static Result replay(ItfTrace t, MachineConfig config, String traceName, java.util.function.Consumer<String> progress)
            throws InterruptedException {
        List<Violation> violations = new ArrayList<>();
        Map<String, Integer> brokenAt = new java.util.LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        int n = t.steps();
        List<TlaValue.RecordV> steps = new ArrayList<>();
        for (int j = 1; j < t.states().size(); j++) steps.add((TlaValue.RecordV) t.states().get(j).get("step"));
        Map<String, List<Set<Long>>> ranges = TlcChoices.ranges(steps);
        try (LockstepRun run = LockstepRun.start(config, (inv, k) -> chosenRange(ranges, inv, k), (gpu, k, pending) -> chosenFence(t, gpu, k, pending))) {
            Machine m = run.machine();
            Map<String, List<Boolean>> injects = TlcChoices.injects(steps);
            m.vms().values().forEach(vm -> vm.setInjectChooser((r, k) -> {
                List<Boolean> l = injects.get(r);
                return l != null && k < l.size() && l.get(k);
            }));
            PropertyChecker checker = run.checker();
            LockstepScheduler s = run.scheduler();
            int[] stepNo = {0};
            m.mm().walkResume((walker, candidates) ->
                    TlcChoices.resumedAt(t.states().get(stepNo[0]), m.procOf(walker), candidates));
            Map<String, TlaValue> initial = Abstraction.of(m, s.positions());
            TraceShape.check(t, traceName, initial, s.processes());
            for (Violation v : checker.check(s.positions())) if (seen.add(v.property())) { violations.add(v); brokenAt.put(v.property(), 0); }
            Optional<Divergence> d = compare(t.states().get(0), initial, 0);
            if (d.isPresent()) return new Result(traceName, n, 0, d, violations, brokenAt);
            for (int k = 1; k <= n; k++) {
                TlaValue.RecordV rec = (TlaValue.RecordV) t.states().get(k).get("step");
                String proc = TlcChoices.name(rec.get("proc"));
                String label = ((TlaValue.Str) rec.get("label")).value();
                Position before = s.position(proc);
                if (!before.canTry() || !label.equals(before.label().contractName())) {
                    return new Result(traceName, n, k - 1, Optional.of(new Divergence(k, "position",
                            "TLC's step is " + proc + ": " + label + ", but the Java process is " + before)), violations, brokenAt);
                }
                stepNo[0] = k;
                Position after = s.step(proc);
                if (after.where() == Where.BLOCKED) {
                    return new Result(traceName, n, k - 1, Optional.of(new Divergence(k, "blocked",
                            "TLC's step is " + proc + ": " + label + ", but the Java thread cannot take it: " + after)), violations, brokenAt);
                }
                for (Violation v : checker.check(s.positions())) if (seen.add(v.property())) { violations.add(v); brokenAt.put(v.property(), k); }
                d = compare(t.states().get(k), Abstraction.of(m, s.positions()), k);
                if (d.isPresent()) return new Result(traceName, n, k - 1, d, violations, brokenAt);
                progress.accept(String.format("%3d  %-4s %-18s matched%s", k, proc, label,
                        violations.isEmpty() ? "" : "   broken so far: " + violations.stream().map(Violation::property).distinct().toList()));
            }
            return new Result(traceName, n, n, Optional.empty(), violations, brokenAt);
        }
    }

    static Optional<Divergence> compare(Map<String, TlaValue> tlc, Map<String, TlaValue> java, int k) {
        for (Map.Entry<String, TlaValue> e : java.entrySet()) {
            TlaValue want = tlc.get(e.getKey());
            if (want == null) return Optional.of(new Divergence(k, "state", "TLC's state has no variable " + e.getKey()));
            String w = Canon.of(want), g = Canon.of(e.getValue());
            if (!w.equals(g)) {
                return Optional.of(new Divergence(k, "state", e.getKey() + ": TLC has " + w + ", Java has " + g));
            }
        }
        return Optional.empty();
    }

    /** The range TLC picked for invalidator inv's k-th invalidation (0-based), or its first range if the trace ends first. */
    static Set<Long> chosenRange(Map<String, List<Set<Long>>> ranges, MachineConfig.InvalidatorSpec inv, int k) {
        List<Set<Long>> r = ranges.get(inv.name());
        return r != null && k < r.size() ? r.get(k) : inv.ranges().get(0);
    }

    /** The pending fence TLC's GPU {@code gpu} completed in its k-th step (0-based) of trace {@code t}. */
    private static GpuDevice.TlbInvalFence chosenFence(ItfTrace t, String gpu, int k, List<GpuDevice.TlbInvalFence> pending) {
        int seen = 0;
        for (int j = 1; j < t.states().size(); j++) {
            TlaValue.RecordV rec = (TlaValue.RecordV) t.states().get(j).get("step");
            if (!TlcChoices.name(rec.get("proc")).equals(gpu) || !TlcChoices.label(rec).equals("gpu_tlb_inval_done")) continue;
            if (seen++ == k) return TlcChoices.completedFence(t.states().get(j - 1), t.states().get(j), gpu, pending);
        }
        return pending.get(0);
    }
}
