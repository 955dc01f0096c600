package dev.mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mmucheck.kernel.CpuPageTable;
import dev.mmucheck.machine.Machine;
import dev.mmucheck.machine.MachineConfig;
import dev.mmucheck.tlc.TlaValue;

/**
 * A write planted in the Java state behind the code's back (by reflection: no change mark) where
 * TLC's step changes nothing there is reported, naming the variable, at the state it was planted
 * in: it is planted at that state's first visit, where the comparison recomputes every variable.
 * (A marked write at a later visit: {@link StateComparisonTest}.)
 */
class GraphComparisonTest {
    private static StateGraph graph;
    private static MachineConfig config;

    @BeforeAll
    static void record() throws Exception {
        RecordedModel m = RecordedModel.of("wrap-k2-m6");
        graph = m.graph();
        config = m.config();
    }

    /** Bumps the Java CPU PTE of {@code page}, as no step of the code would. */
    @SuppressWarnings("unchecked")
    private static void bumpPte(Machine m, long page) {
        try {
            Field f = CpuPageTable.class.getDeclaredField("version");
            f.setAccessible(true);
            ((ConcurrentHashMap<Long, Long>) f.get(m.mm().ptes())).merge(page, 2L, (old, two) -> old + 1);
        } catch (ReflectiveOperationException x) {
            throw new AssertionError(x);
        }
    }

    @Test
    void theGraphRunTakesEveryEdgeWithNothingPlanted() throws InterruptedException {
        GraphRefinement.Summary s = GraphRefinement.run(graph, config, java.util.Set.of(), 1, Integer.MAX_VALUE, line -> {}, (m, state) -> {});
        assertTrue(s.ok(), s.divergences().toString());
        assertEquals(s.edges(), s.edgesTaken());
    }

    @Test
    void aWriteTlcsStepDidNotMakeIsFoundInTheVariableItChanged() throws InterruptedException {
        // plant at the first state reached by a reader's step: a reader never changes the CPU PTEs
        AtomicBoolean planted = new AtomicBoolean();
        int[] at = {-1};
        java.util.Set<Integer> readerTargets = new java.util.HashSet<>();
        for (StateGraph.Edge e : graph.edges()) if (e.proc().equals("r1")) readerTargets.add(e.dst());
        GraphRefinement.Summary s = GraphRefinement.run(graph, config, java.util.Set.of(), 1, Integer.MAX_VALUE, line -> {}, (m, state) -> {
            if (!planted.get() && readerTargets.contains(state)) {
                planted.set(true);
                at[0] = state;
                bumpPte(m, 1);
            }
        });
        assertTrue(planted.get(), "a reader's step was taken");
        assertFalse(s.ok(), "the planted write is found");
        GraphRefinement.Divergence d = s.divergences().get(0);
        assertEquals(at[0], d.state(), d.toString());
        assertEquals("state", d.kind(), d.toString());
        Map<String, TlaValue> tlc = graph.states().get(at[0]);
        assertTrue(d.detail().startsWith("pte: TLC has " + Canon.of(tlc.get("pte")) + ", Java has <<"), d.toString());
    }
}
