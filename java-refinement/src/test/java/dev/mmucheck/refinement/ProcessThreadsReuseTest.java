package dev.mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.mmucheck.driver.GpuDevice;
import dev.mmucheck.machine.LockstepRun;
import dev.mmucheck.machine.MachineConfig;
import dev.mmucheck.TestProject;
import dev.mmucheck.machine.Models;
import dev.mmucheck.machine.ProcessThreads;
import dev.mmucheck.machine.ThreadSource;
import dev.mmucheck.scheduling.LockstepScheduler;
import dev.mmucheck.scheduling.LockstepScheduler.Position;

/**
 * The graph run keeps its process threads from path to path (each path has a new machine): a
 * schedule run on reused threads, after other schedules ran on them, reaches exactly the states
 * the same schedule reaches on fresh threads.
 */
class ProcessThreadsReuseTest {
    private static final MachineConfig DEFAULT = defaultModel();

    private static MachineConfig defaultModel() {
        try {
            return Models.of(TestProject.get(), "default");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The abstraction (as text) after each step of a random schedule of {@code steps} steps from seed {@code seed}. */
    private static List<String> walk(long seed, int steps, ThreadSource threads) throws InterruptedException {
        Random rnd = new Random(seed);
        List<String> states = new ArrayList<>();
        // each range from its own Random: the invalidators pick them at times the threads decide
        try (LockstepRun run = LockstepRun.start(DEFAULT,
                (inv, k) -> inv.ranges().get(new Random(seed * 1000 + inv.name().hashCode() * 10L + k).nextInt(inv.ranges().size())),
                GpuDevice.FenceChooser.OLDEST, threads)) {
            LockstepScheduler s = run.scheduler();
            states.add(text(run));
            for (int k = 0; k < steps; k++) {
                List<String> movable = new ArrayList<>();
                for (String p : s.processes()) if (s.position(p).canTry()) movable.add(p);
                if (movable.isEmpty()) break;
                String p = movable.get(rnd.nextInt(movable.size()));
                Position after = s.step(p);
                states.add(p + " -> " + after + ": " + text(run));
            }
        }
        return states;
    }

    private static String text(LockstepRun run) {
        StringBuilder b = new StringBuilder();
        Abstraction.of(run.machine(), run.scheduler().positions()).forEach((v, x) -> b.append(v).append('=').append(Canon.of(x)).append(' '));
        return b.toString();
    }

    private static void assertSameStates(List<String> want, List<String> got, String what) {
        for (int k = 0; k < Math.min(want.size(), got.size()); k++) {
            assertEquals(want.get(k), got.get(k), what + ": step " + k + " differs");
        }
        assertEquals(want.size(), got.size(), what + ": the schedule's length differs");
    }

    @Test
    void aScheduleOnReusedThreadsReachesTheStatesItReachesOnFreshThreads() throws InterruptedException {
        int seeds = 6;
        List<List<String>> fresh = new ArrayList<>();
        for (int seed = 0; seed < seeds; seed++) fresh.add(walk(seed, 40, ThreadSource.FRESH));
        try (ProcessThreads threads = new ProcessThreads(LockstepRun.STEP_TIMEOUT_MILLIS)) {
            for (int round = 0; round < 2; round++) {
                for (int seed = seeds - 1; seed >= 0; seed--) {
                    assertSameStates(fresh.get(seed), walk(seed, 40, threads), "seed " + seed + ", round " + round + " on reused threads");
                }
            }
            int processes = DEFAULT.invalidators().size() + DEFAULT.readers().size() + DEFAULT.gpus().size()
                    + (int) DEFAULT.notifiers().stream().filter(MachineConfig.NotifierSpec::dynamic).count();
            assertEquals(processes, threads.created(), "one thread per process, reused by every run");
        }
        assertTrue(fresh.stream().allMatch(w -> w.size() > 10), "the schedules move");
    }
}
