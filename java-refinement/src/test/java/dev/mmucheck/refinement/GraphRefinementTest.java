package dev.mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;
import dev.mmucheck.cli.Main;

/**
 * mmu-check refine MODEL --graph: every edge of TLC's state graph, conformance both ways; each
 * Java-only planted fault (J1-J5), switched on by configuration, is caught by the same generic run,
 * which names the step and the variable, the process, the lock or the wait queue.
 */
class GraphRefinementTest {
    private record Run(int code, String out, String err) {
        @Override public String toString() { return "exit " + code + "\n" + out + "\n" + err; }
    }

    private static Run refine(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "refine";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--graph";
        all[args.length + 2] = "--root";
        all[args.length + 3] = TestProject.get().root().toString();
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(all, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBadCompareWordIsRefusedBeforeTlcRuns() {
        Run r = refine("wrap-k2-m6", "--compare", "audti");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--compare: expected one of changed, full, audit, not 'audti'"), r.err());
        assertTrue(!r.err().contains("TLC records"), "no TLC run: " + r.err());
    }

    @Test
    void theAuditTakesEveryEdgeAndSaysSo() {
        Run r = refine("wrap-k2-m6", "--compare", "audit");
        assertEquals(0, r.code(), r.toString());
        int n = dev.mmucheck.scheduling.SpecVar.values().length;
        assertTrue(r.out().contains("comparison audit (" + n + ".0 of " + n + " variables recomputed per state on average)"), r.out());
    }

    @Test
    void everyEdgeOfAPassingModelIsTakenWithConformanceBothWays() {
        Run r = refine("wrap-k2-m6");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().matches("(?s).*wrap-k2-m6: [\\d,]+ states, ([\\d,]+) edges, \\1 taken \\(100\\.0%\\).*"), r.out());
        assertTrue(r.out().contains("conformance both ways at every state"), r.out());
    }

    @Test
    void aModelThatBreaksAPropertyIsFollowedIntoItsBreakingStates() {
        Run r = refine("wrap-k2-m4");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("states that break NoStaleDeviceAccess are in it"), r.err());
        assertTrue(r.out().matches("(?s).*wrap-k2-m4: [\\d,]+ states, ([\\d,]+) edges, \\1 taken \\(100\\.0%\\).*"), r.out());
    }

    @Test
    void aReadBeginThatNeverWaitsLeavesTheReaderOffTheWaitQueueWhereTlcsSleeps() {
        Run r = refine("wrap-k2-m6", "--java-mutation", "J3");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().matches("(?s)DIVERGED at path \\d+, step \\d+ \\(TLC state \\d+\\), state: wq: TLC has \\{(r\\d)\\}, Java has \\{\\} "
                + "\\(after \\1: read_begin\\).*"), r.out());
    }

    @Test
    void aReadRetryThatComparesWithGreaterThanIsCaughtOnceTheSeqWraps() {
        Run r = refine("wrap-k2-m4", "--java-mutation", "J1");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("state: pc: TLC has") && r.out().contains("r1 :> \"read_begin\""), "the reader retries in TLC, not in Java: " + r.out());
    }

    @Test
    void aWrongSeqInThePartiallyExcludedInsertIsCaughtInTheVariable() {
        Run r = refine("dynamic", "--java-mutation", "J2");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().matches("(?s).*state: iseq: TLC has \\(d1 :> (\\d+) .*, Java has \\(d1 :> (?!\\1 )\\d+ .*"), "d1's seq differs: " + r.out());
    }

    @Test
    void theSubscriptionsLockReleasedBeforeTheDrainIsCaughtByLockdepInTheDrainStep() {
        Run r = refine("wrap-k2-m6", "--java-mutation", "J4");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().matches("(?s)DIVERGED at path \\d+, step \\d+ \\(TLC state \\d+\\), died: (i\\d) died in (range_end_drain|inv_end_drain): "
                + "\\S*LockNotHeldException: lockdep: subscriptions->deferred_list accessed by \\1 without holding subscriptions->lock \\(held by nobody\\).*"),
                r.out());
    }

    @Test
    void aWakeUpUnderTheLockBeforeTheDrainEmptiesTheWaitQueueAStepTooEarly() {
        Run r = refine("wrap-k2-m6", "--java-mutation", "J5");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().matches("(?s)DIVERGED at path \\d+, step \\d+ \\(TLC state \\d+\\), state: wq: TLC has \\{r1\\}, Java has \\{\\} "
                + "\\(after i1: (range_end|inv_end)\\).*"), r.out());
    }

    @Test
    void aLostWakeUpIsASleeperThatTlcMovesButJavaKeepsAsleep() {
        // M13 (no wake_up_all) switched on in Java only, the spec's graph as merged: the drain empties
        // TLC's wq, not Java's
        Run r = refine("wrap-k2-m6", "--java-mutation", "M13");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().matches("(?s)DIVERGED at path \\d+, step \\d+ \\(TLC state \\d+\\), state: wq: TLC has \\{\\}, Java has \\{r1\\} "
                + "\\(after i1: (range_end_drain|inv_end_drain)\\).*"), r.out());
    }

    @Test
    void withoutThePlantedFaultsDefaultsGraphStartsClean() {
        // the first 200 paths of default (the whole graph runs in make check): no divergence
        Run r = refine("default", "--max-paths", "200");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains(" 200 paths,") && r.out().contains("partial run") && !r.out().contains("DIVERGED"), r.out());
    }

    @Test
    void aModelWithSymmetryIsRefusedWithTheReason() {
        Run r = refine("scale");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("it has SYMMETRY") && r.err().contains("not a behaviour"), r.err());
    }
}
