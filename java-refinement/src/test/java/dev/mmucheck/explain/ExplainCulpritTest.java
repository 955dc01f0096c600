package dev.mmucheck.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mmucheck.TestProject;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.TlaValue;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfTrace;

/**
 * For every counterexample committed under model-check/counterexamples/ (whatever is committed
 * when the test runs), explain names a culprit of the property the trace breaks, from a finder of
 * its own, and every value the culprit rests on is the trace's own value, set at the step it names;
 * every step its story names is that step of the trace.
 */
class ExplainCulpritTest {
    private static final Project PROJECT = TestProject.get();
    private static final Pattern STEP_REF = Pattern.compile("step (\\d+) \\(([^\\s)]+) ([^\\s)]+)(?: on ([^\\s)]+))?\\)");

    static Stream<Path> committedTraces() throws IOException {
        try (Stream<Path> s = Files.list(PROJECT.counterexamples())) {
            List<Path> traces = s.filter(p -> p.getFileName().toString().endsWith(".itf.json")).sorted().toList();
            assertFalse(traces.isEmpty(), "no committed counterexample under " + PROJECT.counterexamples());
            return traces.stream();
        }
    }

    /** Every property of specs/MmuProperties.tla (a definition with its Witness_ beside it) has a culprit finder. */
    @org.junit.jupiter.api.Test
    void everyPropertyOfTheSpecHasAFinder() throws IOException {
        String props = Files.readString(PROJECT.specs().resolve("MmuProperties.tla"));
        Matcher w = Pattern.compile("(?m)^Witness_(\\w+?)(?:On)?(?:\\([^)]*\\))?\\s*==").matcher(props);
        java.util.Set<String> properties = new java.util.TreeSet<>();
        while (w.find()) if (Pattern.compile("(?m)^" + w.group(1) + "\\s*==").matcher(props).find()) properties.add(w.group(1));
        assertTrue(properties.size() >= 10, "the properties were not found: " + properties);
        java.util.Set<String> missing = new java.util.TreeSet<>(properties);
        missing.removeAll(CulpritFinders.known());
        assertEquals(java.util.Set.of(), missing, "properties without a culprit finder in explain.CulpritFinders");
    }

    /** M13's reader sleeps for ever: the culprit says it is on subscriptions->wq and which drain woke nobody. */
    @org.junit.jupiter.api.Test
    void aLostWakeUpIsNamedAsASleeperOnTheWaitQueueThatTheDrainDidNotWake() throws Exception {
        ItfTrace trace = Itf.read(PROJECT.counterexample("M13"));
        Culprit c = Explainer.of(PROJECT, trace).culprit();
        assertTrue(c.summary().matches("the reader r1 never gets past read_begin_wait: it never reaches done; it is asleep on subscriptions->wq since "
                + "step \\d+ \\(r1 read_begin on n1\\) and no wake_up_all takes it off \\(step \\d+ \\(i1 (range_end|inv_end)_drain\\) woke nobody\\)"),
                c.summary());
        assertTrue(c.evidence().stream().anyMatch(e -> e.var().equals("wq")), c.evidence().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("committedTraces")
    void explainNamesACulpritMadeOfTheTracesOwnValues(Path file) throws Exception {
        ItfTrace trace = Itf.read(file);
        Explainer ex = Explainer.of(PROJECT, trace);
        Culprit c = ex.culprit();
        String property = "deadlock".equals(trace.metaString("kind")) ? "Deadlock" : trace.metaString("property");
        assertEquals(property, c.property());
        // a property with a finder must get its culprit from it (everyPropertyOfTheSpecHasAFinder says which lack one)
        if (CulpritFinders.known().contains(property))
            assertFalse(c.generic(), file.getFileName() + ": the finder of " + property + " named no culprit: " + c.summary());
        assertFalse(c.evidence().isEmpty(), "a culprit with no values");
        assertFalse(c.story().isEmpty(), "a culprit with no steps that made it so");

        TraceView t = new TraceView(trace);
        int last = t.last();
        assertTrue(c.evidence().stream().anyMatch(e -> e.state() == last), "no value of the violating state (" + last + ") among " + c.evidence());
        for (Evidence e : c.evidence()) {
            assertTrue(e.state() >= 0 && e.state() <= last, e + " names no state of the trace");
            assertEquals(t.at(e.state(), e.var(), e.keys()), e.value(), "the trace's own " + e.var() + e.keys() + " at state " + e.state());
            for (int k = e.since(); k <= e.state(); k++)
                assertEquals(e.value(), t.at(k, e.var(), e.keys()), e + ": not the value since step " + e.since() + " (state " + k + ")");
            if (e.since() > 0)
                assertNotEquals(e.value(), t.at(e.since() - 1, e.var(), e.keys()), e + ": step " + e.since() + " did not set it");
        }
        for (String line : c.story()) {
            Matcher m = STEP_REF.matcher(line);
            while (m.find()) {
                int k = Integer.parseInt(m.group(1));
                assertTrue(k >= 1 && k <= last, line);
                assertEquals(t.step(k, "proc"), m.group(2), "the process of step " + k + " in: " + line);
                assertEquals(t.step(k, "label"), m.group(3), "the label of step " + k + " in: " + line);
                if (m.group(4) != null) assertEquals(t.step(k, "notifier"), m.group(4), line);
            }
        }
        if (property.equals("NoStaleDeviceAccess")) {
            // the stale translation the culprit names is stale in the trace: made from another version than the CPU PTE's
            Evidence held = c.evidence().get(0), pte = c.evidence().get(1);
            assertTrue(List.of("tlb", "dpte").contains(held.var()) && pte.var().equals("pte"), c.evidence().toString());
            assertEquals(held.keys().get(1), pte.keys().get(0));
            assertNotEquals(TlaValue.Int.of(0), held.value());
            assertNotEquals(pte.value(), held.value());
        }

        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ex.print(new PrintStream(b, true, StandardCharsets.UTF_8));
        String out = b.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("culprit (" + property + "): " + c.summary()), out);
        for (Evidence e : c.evidence()) assertTrue(out.contains(e.words(last)), "explain does not print " + e.words(last));
        trace.loop().ifPresent(l -> assertTrue(out.contains(Explainer.loopText(l, last)), "the lasso is not shown as a loop:\n" + out));
        if (!Objects.equals(trace.metaString("mutation"), "none"))
            assertTrue(out.contains("variant: mutation " + trace.metaString("mutation") + ": "), out);
    }
}
