package dev.mmucheck.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.mmucheck.RepoFiles;
import dev.mmucheck.TestProject;
import dev.mmucheck.explain.TraceView;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfTrace;

/**
 * Correct runs are asked of TLC with the goal negated as the invariant: the trace written ends in the first
 * state of the model that reaches the goal (the shortest way: no earlier state reaches it), carries the goal in
 * its meta, and a goal the model never reaches, a failing model or an unknown run is an error naming the run.
 */
class WitnessRunsTest {
    @TempDir Path tmp;

    private static void runs(Project p, String json) throws Exception {
        Files.createDirectories(p.root().resolve("model-check/runs"));
        Files.writeString(p.root().resolve("model-check/runs/runs.json"), json);
    }

    @Test
    @Timeout(120)
    void theTraceIsTheShortestRunToTheGoal() throws Exception {
        Project p = RepoFiles.copy(TestProject.get(), tmp.resolve("repo"));
        runs(p, "[{\"name\": \"run-odd\", \"model\": \"default\", \"goal\": \"seq = 3 /\\\\ active = 2\", \"doc\": \"two invalidations in\"}]");
        WitnessRuns w = new WitnessRuns(p);
        assertEquals(List.of("run-odd"), w.record(List.of(), "1g", new PrintStream(new ByteArrayOutputStream())));
        ItfTrace t = Itf.read(w.trace("run-odd"));
        TraceView v = new TraceView(t);
        assertEquals("seq = 3 /\\ active = 2", t.metaString("goal"));
        assertEquals("two invalidations in", t.metaString("goalDoc"));
        int last = v.last();
        assertEquals(TraceView.num(3), v.at(last, "seq"));
        assertEquals(TraceView.num(2), v.at(last, "active"));
        for (int k = 0; k < last; k++)
            assertTrue(!v.at(k, "seq").equals(TraceView.num(3)) || !v.at(k, "active").equals(TraceView.num(2)), "state " + k + " already reaches the goal");
        // both invalidators must start: two steps at least, and BFS finds exactly two
        assertEquals(2, last);
    }

    @Test
    @Timeout(120)
    void aGoalNeverReachedAFailingModelAndAnUnknownRunAreErrors() throws Exception {
        Project p = RepoFiles.copy(TestProject.get(), tmp.resolve("repo"));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        runs(p, "[{\"name\": \"run-never\", \"model\": \"wrap-k1-m4\", \"goal\": \"seq = 99\", \"doc\": \"x\"}]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WitnessRuns(p).record(List.of(), "1g", quiet));
        assertTrue(e.getMessage().contains("run run-never: model wrap-k1-m4 never reaches seq = 99"), e.getMessage());
        runs(p, "[{\"name\": \"run-m1\", \"model\": \"M1\", \"goal\": \"TRUE\", \"doc\": \"x\"}]");
        e = assertThrows(IllegalArgumentException.class, () -> new WitnessRuns(p).record(List.of(), "1g", quiet));
        assertTrue(e.getMessage().contains("a correct run comes from a passing model"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new WitnessRuns(p).record(List.of("run-nope"), "1g", quiet));
        assertTrue(e.getMessage().contains("unknown run 'run-nope'"), e.getMessage());
        runs(p, "[{\"name\": \"bad name\", \"model\": \"default\", \"goal\": \"TRUE\", \"doc\": \"x\"}]");
        e = assertThrows(IllegalArgumentException.class, () -> new WitnessRuns(p).runs());
        assertTrue(e.getMessage().contains("runs.json: run 0: name 'bad name' must be run-"), e.getMessage());
    }
}
