package dev.mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;
import dev.mmucheck.kernel.Mutation;
import dev.mmucheck.machine.MachineConfig;
import dev.mmucheck.machine.Models;
import dev.mmucheck.modelcheck.ManifestValidator;
import dev.mmucheck.modelcheck.ModelEntry;
import dev.mmucheck.modelcheck.Project;

/**
 * Random behaviours walked by one TLC process over its next-state function, each driven through the
 * Java code with the graph run's checks and compared with TLC's verdict at every state: the code as
 * merged follows them; a planted Java fault is found; a property the Java state breaks must be one
 * TLC's verdict names, and one TLC's verdict names the Java code must have broken.
 */
class RandomWalkRefinementTest {
    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    private final Project project = TestProject.get();

    private RandomWalks walks(ModelEntry e, int n) throws Exception {
        return RandomWalks.draw(project, e, n, 7, 100_000, "1g", QUIET);
    }

    private ModelEntry model(String name) throws Exception {
        return ManifestValidator.load(project).find(name).orElseThrow();
    }

    @Test
    void theCodeAsMergedFollowsRandomBehavioursAndJ4IsFound() throws Exception {
        ModelEntry e = model("default");
        RandomWalks w = walks(e, 40);
        assertEquals(40, w.paths().size());
        assertEquals(java.util.Map.of("terminal", 40), w.endCounts(), "every behaviour of default ends with every process finished");
        assertTrue(w.steps() > 40 * 20, "behaviours of default are longer than 20 steps: " + w.steps());
        MachineConfig c = Models.of(TestProject.get(), e, true);
        GraphRefinement.Summary ok = GraphRefinement.runWalks(w, c, 1, line -> {});
        assertTrue(ok.ok(), ok.divergences().toString());
        assertEquals(w.steps(), ok.steps());
        assertTrue(ok.probes() > 0, "the backward probe ran");

        GraphRefinement.Summary j4 = GraphRefinement.runWalks(w, c.withKernel(c.kernel().with(Mutation.J4)), 1, line -> {});
        assertFalse(j4.ok(), "J4 (subscriptions->lock released before the deferred list is drained) must be found");
        String d = j4.divergences().get(0).toString();
        assertTrue(d.contains("died") && d.contains("end_drain") && d.contains("subscriptions->lock"), d);
    }

    @Test
    void thePropertiesTheJavaStateBreaksAreComparedWithTlcsVerdictBothWays() throws Exception {
        ModelEntry e = model("M8");    // breaks NotifierSeqOdd (M10's RemovedIsQuiet needs a remover that checks between the seq bump and the drain, which random walks rarely take)
        RandomWalks w = walks(e, 60);
        int breaking = 0;
        for (Set<String> b : w.broken()) if (b.contains("NotifierSeqOdd")) breaking++;
        assertTrue(breaking > 0, "some walk reaches a state that breaks NotifierSeqOdd");
        MachineConfig c = Models.of(TestProject.get(), e, true);
        GraphRefinement.Summary same = GraphRefinement.runWalks(w, c, 1, line -> {});
        assertTrue(same.ok(), "the Java code with M8 breaks NotifierSeqOdd exactly where TLC's verdict does: " + same.divergences());

        // TLC's verdict without NotifierSeqOdd: the Java state breaks a property TLC's does not
        List<Set<String>> none = new ArrayList<>();
        for (Set<String> b : w.broken()) { Set<String> x = new LinkedHashSet<>(b); x.remove("NotifierSeqOdd"); none.add(x); }
        GraphRefinement.Summary javaOnly = GraphRefinement.runWalks(
                new RandomWalks(w.graph(), w.paths(), w.movers(), none, w.edgeBroken(), w.ends(), w.checked(), w.tlc()), c, 1, line -> {});
        assertFalse(javaOnly.ok());
        assertTrue(javaOnly.divergences().get(0).detail().startsWith("the Java state breaks NotifierSeqOdd"), javaOnly.divergences().toString());

        // TLC's verdict with NoStaleDeviceAccess at every state: TLC's state breaks a property the Java code never broke
        List<Set<String>> more = new ArrayList<>();
        for (Set<String> b : w.broken()) { Set<String> x = new LinkedHashSet<>(b); x.add("NoStaleDeviceAccess"); more.add(x); }
        GraphRefinement.Summary tlcOnly = GraphRefinement.runWalks(
                new RandomWalks(w.graph(), w.paths(), w.movers(), more, w.edgeBroken(), w.ends(), w.checked(), w.tlc()), c, 1, line -> {});
        assertFalse(tlcOnly.ok());
        assertTrue(tlcOnly.divergences().get(0).detail().startsWith("TLC's state breaks NoStaleDeviceAccess"), tlcOnly.divergences().toString());
    }

    @Test
    void aProcessThatCanMoveWhereTlcHasNoStepIsFound() throws Exception {
        ModelEntry e = model("default");
        RandomWalks w = walks(e, 5);
        // TLC's verdict that r1 can never move: at the first state where r1 has a step, the probe offers r1 a step and it moves
        List<Set<String>> noR1 = new ArrayList<>();
        for (Set<String> m : w.movers()) { Set<String> x = new LinkedHashSet<>(m); x.remove("r1"); noR1.add(x); }
        GraphRefinement.Summary s = GraphRefinement.runWalks(
                new RandomWalks(w.graph(), w.paths(), noR1, w.broken(), w.edgeBroken(), w.ends(), w.checked(), w.tlc()), Models.of(TestProject.get(), e, true), 1, line -> {});
        assertFalse(s.ok());
        assertTrue(s.divergences().get(0).toString().contains("forbidden step") && s.divergences().get(0).toString().contains("r1"),
                s.divergences().toString());
    }
}
