package dev.mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mmucheck.machine.MachineConfig;

/**
 * The change-driven comparison ({@link StateComparison}): the Java code's change marks are
 * complete on xe's flows (the audit recomputes every variable at every state and finds no change
 * without its mark), a step whose marks are lost is reported by the audit, naming the variable, and
 * a write TLC did not make is found at a state visited before, where only the marked variables are
 * recomputed.
 */
class StateComparisonTest {
    private static StateGraph graph;
    private static MachineConfig config;

    @BeforeAll
    static void record() throws Exception {
        RecordedModel m = RecordedModel.of("xe-flows");
        graph = m.graph();
        config = m.config();
    }

    @Test
    void theAuditFindsEveryChangeMarkedOnXesFlows() throws InterruptedException {
        GraphRefinement.Summary s = GraphRefinement.run(graph, config, GraphRefinement.Compare.AUDIT, 1, Integer.MAX_VALUE, line -> {}, (m, state) -> {});
        assertTrue(s.ok(), s.divergences().toString());
        assertEquals(s.edges(), s.edgesTaken());
        assertEquals(dev.mmucheck.scheduling.SpecVar.values().length, s.variablesRecomputed(), 1e-9, "the audit recomputes every variable");
    }

    @Test
    void theChangeDrivenRunTakesEveryEdgeRecomputingFewerVariables() throws InterruptedException {
        GraphRefinement.Summary s = GraphRefinement.run(graph, config, GraphRefinement.Compare.CHANGED, 1, Integer.MAX_VALUE, line -> {}, (m, state) -> {});
        assertTrue(s.ok(), s.divergences().toString());
        assertTrue(s.variablesRecomputed() < dev.mmucheck.scheduling.SpecVar.values().length, s.comparison());
    }

    /**
     * Two variables no passing model changes (so `make refine-all`'s audit never sees them change):
     * {@code torn} (no walk is torn in the code as merged) and {@code warn} (a WARN fires only in a
     * model that breaks a property). Their marks are audited on the graphs of M18 and
     * xe-inject-assert, recorded without their checks; with them, the code paths of mutations D2
     * (set_seq unlocked), D6 (no dma-unmap) and D7 (the fault's own exclusive invalidation).
     */
    @Test
    void theAuditSeesTornAndWarnChangeWithTheirMarks() throws Exception {
        long changed = 0;
        for (String model : java.util.List.of("M18", "xe-inject-assert", "D2", "D6", "D7")) {
            RecordedModel m = RecordedModel.of(model);
            TlcGraphs.Recorded rec = m.recorded();
            GraphRefinement.Summary s = GraphRefinement.run(rec.graph(), m.config(), rec.brokenInGraph(), rec.checked(), 1,
                    Integer.MAX_VALUE, GraphRefinement.Compare.AUDIT, line -> {});
            assertTrue(s.ok(), model + ": " + s.divergences());
            changed |= s.variablesChanged();
        }
        assertTrue((changed & dev.mmucheck.scheduling.SpecVar.TORN.bit()) != 0, "torn changed on M18");
        assertTrue((changed & dev.mmucheck.scheduling.SpecVar.WARN.bit()) != 0, "warn changed on xe-inject-assert");
    }

    /** The targets of the GPU's steps: each changes the pending fences (and maybe the TLB). */
    private static Set<Integer> gpuTargets() {
        Set<Integer> t = new HashSet<>();
        for (StateGraph.Edge e : graph.edges()) if (e.label().equals("gpu_tlb_inval_done")) t.add(e.dst());
        return t;
    }

    @Test
    void aStepWhoseChangeMarksAreLostIsReportedByTheAudit() throws InterruptedException {
        Set<Integer> targets = gpuTargets();
        AtomicBoolean planted = new AtomicBoolean();
        int[] at = {-1};
        GraphRefinement.Summary s = GraphRefinement.run(graph, config, GraphRefinement.Compare.AUDIT, 1, Integer.MAX_VALUE, line -> {}, (m, state) -> {
            if (!planted.get() && targets.contains(state)) {
                planted.set(true);
                at[0] = state;
                m.changes().take();     // the GPU's completion wrote the fences without marking them
            }
        });
        assertTrue(planted.get(), "a GPU's step was taken");
        assertFalse(s.ok());
        GraphRefinement.Divergence d = s.divergences().get(0);
        assertEquals(at[0], d.state(), d.toString());
        assertTrue(d.detail().startsWith("untracked change: "), d.toString());
        assertTrue(d.detail().contains("without its change mark"), d.toString());
        assertTrue(d.detail().contains("gpu_tlb_inval_done"), "the step is named: " + d);
    }

    @Test
    void aStaleValueKeptForWantOfAMarkIsNamedAsSuchByTheChangeDrivenRun() throws InterruptedException {
        Set<Integer> targets = gpuTargets();
        java.util.Map<Integer, Object> firstSeenBy = new java.util.HashMap<>();
        AtomicBoolean planted = new AtomicBoolean();
        int[] at = {-1};
        GraphRefinement.Summary s = GraphRefinement.run(graph, config, GraphRefinement.Compare.CHANGED, 1, Integer.MAX_VALUE, line -> {}, (m, state) -> {
            if (targets.contains(state) && firstSeenBy.putIfAbsent(state, m) != null && firstSeenBy.get(state) != m && !planted.get()) {
                planted.set(true);
                at[0] = state;
                m.changes().take();     // a revisit after the GPU's completion, its marks lost: the kept fences are stale
            }
        });
        assertTrue(planted.get(), "a GPU's target is visited on two paths");
        assertFalse(s.ok());
        GraphRefinement.Divergence d = s.divergences().get(0);
        assertEquals(at[0], d.state(), d.toString());
        assertTrue(d.detail().startsWith("untracked change: "), "the report says the mark is missing, not that Java's value differs: " + d);
    }

    @Test
    void aGraphWhosePropertyTheJavaCheckerNeverFindsBrokenDiverges() throws InterruptedException {
        // xe-flows passes: no state breaks NoStaleDeviceAccess, so a graph said to hold such states is not followed
        GraphRefinement.Summary s = GraphRefinement.run(graph, config, Set.of("NoStaleDeviceAccess"), 1, Integer.MAX_VALUE, line -> {}, (m, state) -> {});
        assertFalse(s.ok());
        GraphRefinement.Divergence d = s.divergences().get(0);
        assertEquals("the whole graph, property: TLC's graph has states that break NoStaleDeviceAccess, and the Java checker found it broken at none of them",
                d.toString());
    }

    @Test
    void aMarkedWriteTlcDidNotMakeIsFoundAtAStateVisitedBefore() throws InterruptedException {
        java.util.Map<Integer, Object> firstSeenBy = new java.util.HashMap<>();
        AtomicBoolean planted = new AtomicBoolean();
        int[] at = {-1};
        GraphRefinement.Summary s = GraphRefinement.run(graph, config, GraphRefinement.Compare.CHANGED, 1, Integer.MAX_VALUE, line -> {}, (m, state) -> {
            if (firstSeenBy.putIfAbsent(state, m) != null && firstSeenBy.get(state) != m && !planted.get()) {
                // a visit on a later path (a machine of its own): the comparison recomputes only what was marked
                planted.set(true);
                at[0] = state;
                m.mm().warnings().warnOn(true, "planted");
            }
        });
        assertTrue(planted.get(), "some state is visited on two paths");
        assertFalse(s.ok());
        GraphRefinement.Divergence d = s.divergences().get(0);
        assertEquals(at[0], d.state(), d.toString());
        assertTrue(d.detail().startsWith("warn: TLC has {}, Java has {\"planted\"}"), d.toString());
    }
}
