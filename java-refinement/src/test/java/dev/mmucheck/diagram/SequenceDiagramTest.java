package dev.mmucheck.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mmucheck.TestProject;
import dev.mmucheck.explain.Explainer;
import dev.mmucheck.explain.ModelConstants;
import dev.mmucheck.explain.TraceView;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.TlaValue;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfTrace;

/**
 * For every counterexample committed under model-check/counterexamples/ (whatever is committed when the
 * test runs): its diagram has a lane for each process of the trace and no other but the subscriptions,
 * draws every step once and in order, boxes the breaking step (or a lasso's loop, steps loop+1..last)
 * with the culprit sentence {@code explain} prints, is well-formed Mermaid ({@link MermaidSyntax}) and
 * stays under the size code hosts render.
 */
class SequenceDiagramTest {
    private static final Project PROJECT = TestProject.get();
    private static final Pattern STEP = Pattern.compile("^\\s*(?:([A-Za-z0-9_]+)->>[A-Za-z0-9_]+|Note over ([A-Za-z0-9_]+)): (\\d+)\\. ([a-z_]+)");
    private static final Pattern MORE = Pattern.compile("<br/>(\\d+)\\. ([a-z_]+)");

    /** The steps a diagram line draws (a compact page groups a process's consecutive steps): number, label, lane. */
    private static List<String[]> steps(String line) {
        List<String[]> out = new ArrayList<>();
        Matcher m = STEP.matcher(line);
        if (!m.find()) return out;
        String lane = m.group(1) != null ? m.group(1) : m.group(2);
        out.add(new String[] {m.group(3), m.group(4), lane});
        Matcher more = MORE.matcher(line);
        while (more.find()) out.add(new String[] {more.group(1), more.group(2), lane});
        return out;
    }

    static Stream<Path> committedTraces() throws Exception {
        List<Path> traces = new ArrayList<>(new DiagramPages(PROJECT).traces().values());
        assertFalse(traces.isEmpty(), "no committed counterexample under " + PROJECT.counterexamples());
        return traces.stream();
    }

    private static String name(Path trace) { return trace.getFileName().toString().replace(DiagramPages.SUFFIX, ""); }

    private record Drawn(ItfTrace trace, Explainer explainer, String page, String block) {}

    private static Drawn draw(Path file) throws Exception {
        ItfTrace trace = Itf.read(file);
        Explainer ex = Explainer.of(PROJECT, trace);
        String page = new SequenceDiagram(name(file), ex).page();
        String block = MermaidSyntax.block(page);
        assertNotNull(block, name(file) + ": the page has no mermaid block");
        return new Drawn(trace, ex, page, block);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("committedTraces")
    void theLanesAreTheTracesProcessesAndTheSubscriptions(Path file) throws Exception {
        Drawn d = draw(file);
        TraceView t = new TraceView(d.trace());
        Set<String> processes = new TreeSet<>();
        for (TlaValue p : t.domain("pc")) processes.add(ModelConstants.plain(p));
        List<String> gpus = d.explainer().constants().members("Gpus");
        assertFalse(gpus.isEmpty(), name(file) + ": the model's Gpus constant was not read");
        processes.addAll(gpus);
        for (int k = 1; k <= t.last(); k++) assertTrue(processes.contains(t.step(k, "proc")), "step " + k + " by an unknown process");
        List<String> lanes = MermaidSyntax.participants(d.block());
        assertEquals(lanes.size(), new TreeSet<>(lanes).size(), "a lane twice: " + lanes);
        Set<String> want = new TreeSet<>(processes);
        want.add(Lane.SUBSCRIPTIONS);
        assertEquals(want, new TreeSet<>(lanes), name(file));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("committedTraces")
    void everyStepIsDrawnOnceInOrderOnTheLaneOfItsProcess(Path file) throws Exception {
        Drawn d = draw(file);
        TraceView t = new TraceView(d.trace());
        List<Integer> seen = stepsDrawn(d.block(), t, name(file));
        List<Integer> want = new ArrayList<>();
        for (int k = 1; k <= t.last(); k++) want.add(k);
        assertEquals(want, seen, name(file) + ": the steps drawn");
    }

    /** The step numbers the block draws, in order, each checked to be on its process's lane with its label. */
    private static List<Integer> stepsDrawn(String block, TraceView t, String name) {
        List<Integer> seen = new ArrayList<>();
        for (String line : block.split("\n"))
            for (String[] s : steps(line)) {
                int k = Integer.parseInt(s[0]);
                seen.add(k);
                assertEquals(t.step(k, "proc"), s[2], name + " step " + k + ": lane");
                assertEquals(t.step(k, "label"), s[1], name + " step " + k + ": label");
            }
        return seen;
    }

    /**
     * A trace too long to draw in full (the committed wrap-k3-m6 with its steps played REPEAT times over) is
     * drawn compactly under the limit, every step still drawn once in order, still well formed; one far too
     * long is refused with a message naming it.
     */
    @Test
    void aLongTraceIsDrawnCompactlyUnderTheLimitAndATooLongOneIsRefused() throws Exception {
        Explainer base = Explainer.of(PROJECT, Itf.read(PROJECT.counterexample("wrap-k3-m6")));
        SequenceDiagram longer = new SequenceDiagram("long", new Explainer(repeated(base.trace(), 11), base.constants(), base.modelDoc(), base.catalogue()));
        assertTrue(longer.page(SequenceDiagram.Detail.SHARED_ONLY).length() > SequenceDiagram.MAX_CHARS, "the long trace is not long enough to test");
        String page = longer.page();
        assertEquals(longer.page(SequenceDiagram.Detail.COMPACT), page);
        assertTrue(MORE.matcher(page).find(), "no process's consecutive steps were grouped");
        assertTrue(page.length() < SequenceDiagram.MAX_CHARS, page.length() + " characters");
        assertTrue(page.contains("drawn compactly"), "the page does not say it is compact");
        String block = MermaidSyntax.block(page);
        assertEquals(List.of(), MermaidSyntax.problems(block));
        TraceView t = new TraceView(longer.explainer().trace());
        List<Integer> want = new ArrayList<>();
        for (int k = 1; k <= t.last(); k++) want.add(k);
        assertEquals(want, stepsDrawn(block, t, "long"));
        SequenceDiagram huge = new SequenceDiagram("huge", new Explainer(repeated(base.trace(), 60), base.constants(), base.modelDoc(), base.catalogue()));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, huge::page);
        assertTrue(e.getMessage().contains("the diagram of huge has"), e.getMessage());
    }

    /** {@code trace} with its steps 1..last played {@code times} times over (a synthetic long trace, loop dropped). */
    private static ItfTrace repeated(ItfTrace trace, int times) {
        List<java.util.Map<String, TlaValue>> states = new ArrayList<>(trace.states());
        for (int i = 1; i < times; i++) states.addAll(trace.states().subList(1, trace.states().size()));
        return new ItfTrace(trace.meta(), trace.vars(), states, java.util.Optional.empty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("committedTraces")
    void theBreakingStepIsBoxedWithExplainsCulpritSentence(Path file) throws Exception {
        Drawn d = draw(file);
        TraceView t = new TraceView(d.trace());
        boolean run = d.trace().metaString("goal") != null;
        List<String> lines = List.of(d.block().split("\n"));
        int open = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).strip().equals(run ? SequenceDiagram.GOAL_BOX : SequenceDiagram.BREAK_BOX)) {
            assertEquals(-1, open, name(file) + ": more than one red box");
            open = i;
        }
        assertTrue(open >= 0, name(file) + ": no red box");
        int depth = 0, close = -1;
        for (int i = open; i < lines.size() && close < 0; i++) {
            String s = lines.get(i).strip();
            if (s.startsWith("rect ") || s.startsWith("loop ")) depth++;
            else if (s.equals("end") && --depth == 0) close = i;
        }
        assertTrue(close > open, name(file) + ": the red box is not closed");
        List<Integer> boxed = new ArrayList<>();
        for (String line : lines.subList(open, close)) for (String[] s : steps(line)) boxed.add(Integer.parseInt(s[0]));
        List<Integer> want = new ArrayList<>();
        int last = t.last();
        if (d.trace().loop().isPresent()) {
            assertTrue(lines.get(open + 1).strip().startsWith("loop "), name(file) + ": a lasso's red box holds no loop");
            for (int k = d.trace().loop().get() + 1; k <= last; k++) want.add(k);
        } else {
            want.add(last);
        }
        assertEquals(want, boxed, name(file) + ": the steps in the red box");
        if (run) {
            // a correct run: the green box ends with the goal and what the run shows, no culprit
            String reached = "✓ reached " + d.trace().metaString("goal") + ": " + d.trace().metaString("goalDoc");
            assertTrue(lines.get(close - 1).endsWith(": " + MermaidText.escape(reached)), name(file) + ": the green box does not end with the goal: "
                    + lines.get(close - 1));
            assertFalse(d.block().contains(SequenceDiagram.BREAK_BOX), name(file) + ": a correct run has a red box");
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.explainer().print(new PrintStream(out, true, StandardCharsets.UTF_8));
        String culprit = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("culprit (")).findFirst().orElseThrow();
        assertTrue(lines.subList(open, close).contains("        Note over " + lines.get(1).strip().split(" ")[1] + ","
                + MermaidSyntax.participants(d.block()).get(MermaidSyntax.participants(d.block()).size() - 1) + ": "
                + MermaidText.escape("✗ " + culprit)), name(file) + ": the red box does not end with explain's culprit: " + culprit);
        assertTrue(d.page().contains("**" + culprit + "**"), name(file) + ": the page does not state explain's culprit");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("committedTraces")
    void thePageIsWellFormedMermaidAndSmallEnoughToRender(Path file) throws Exception {
        Drawn d = draw(file);
        assertEquals(List.of(), MermaidSyntax.problems(d.block()), name(file));
        assertTrue(d.page().length() < SequenceDiagram.MAX_CHARS, name(file) + ": " + d.page().length() + " characters");
    }

    /**
     * The SVG the project draws: well-formed XML; its lane heads are the Mermaid page's lanes; every step is
     * drawn once, top to bottom in order; the one red box holds exactly the breaking step (a lasso: its loop).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("committedTraces")
    void theSvgHasTheSameLanesStepsAndBreakingBox(Path file) throws Exception {
        Drawn d = draw(file);
        TraceView t = new TraceView(d.trace());
        String svg = new SequenceDiagram(name(file), d.explainer()).svg();
        org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getTagName());
        org.w3c.dom.NodeList texts = doc.getElementsByTagName("text"), rects = doc.getElementsByTagName("rect");
        Set<String> heads = new TreeSet<>();
        List<int[]> steps = new ArrayList<>();
        int headY = SvgDiagram.MARGIN + SvgDiagram.LINE;
        for (int i = 0; i < texts.getLength(); i++) {
            org.w3c.dom.Element e = (org.w3c.dom.Element) texts.item(i);
            int y = Integer.parseInt(e.getAttribute("y"));
            String s = e.getTextContent();
            if (y == headY) heads.add(s.contains(":") ? s.substring(0, s.indexOf(':')) : s);
            Matcher m = Pattern.compile("^(\\d+)\\. ([a-z_]+)").matcher(s);
            if (m.find()) {
                int k = Integer.parseInt(m.group(1));
                assertEquals(t.step(k, "label"), m.group(2), name(file) + " step " + k);
                steps.add(new int[] {k, y});
            }
        }
        Set<String> lanes = new TreeSet<>(MermaidSyntax.participants(d.block()));
        lanes.remove(Lane.SUBSCRIPTIONS);
        heads.remove("subscriptions");
        assertEquals(lanes, heads, name(file) + ": the SVG's lane heads");
        List<Integer> order = new ArrayList<>(), want = new ArrayList<>();
        steps.stream().sorted(java.util.Comparator.comparingInt(a -> a[1])).forEach(a -> order.add(a[0]));
        for (int k = 1; k <= t.last(); k++) want.add(k);
        assertEquals(want, order, name(file) + ": the steps drawn, top to bottom");
        List<org.w3c.dom.Element> red = new ArrayList<>();
        for (int i = 0; i < rects.getLength(); i++) {
            org.w3c.dom.Element r = (org.w3c.dom.Element) rects.item(i);
            if ((d.trace().metaString("goal") != null ? SvgDiagram.GOAL_FILL : SvgDiagram.BREAK_FILL).equals(r.getAttribute("fill"))) red.add(r);
        }
        assertEquals(1, red.size(), name(file) + ": red boxes");
        int top = Integer.parseInt(red.get(0).getAttribute("y")), bottom = top + Integer.parseInt(red.get(0).getAttribute("height"));
        List<Integer> boxed = new ArrayList<>(), wantBoxed = new ArrayList<>();
        for (int[] a : steps) if (a[1] > top && a[1] < bottom) boxed.add(a[0]);
        java.util.Collections.sort(boxed);
        if (d.trace().loop().isPresent()) for (int k = d.trace().loop().get() + 1; k <= t.last(); k++) wantBoxed.add(k);
        else wantBoxed.add(t.last());
        assertEquals(wantBoxed, boxed, name(file) + ": the steps in the SVG's red box");
    }

    /** The syntax check finds each fault it is for (so a clean result above means something). */
    @Test
    void theSyntaxCheckFindsSemicolonsHashesUnbalancedBlocksAndUndeclaredLanes() throws Exception {
        String good = draw(PROJECT.counterexample("M5-live")).block();
        assertEquals(List.of(), MermaidSyntax.problems(good));
        String firstStep = good.lines().filter(l -> !steps(l).isEmpty()).findFirst().orElseThrow();
        assertProblem(good.replace(firstStep, firstStep + "; more"), "';' in label text");
        assertProblem(good.replace(firstStep, firstStep + " #5"), "'#' in label text");
        assertProblem(good.replace(firstStep, firstStep + " a <b>"), "'<' in label text");
        assertProblem(good.replaceFirst("(?m)^    end\n", ""), "not closed");
        assertProblem(good + "    end\n", "end without an open");
        assertProblem(good.replace(firstStep, firstStep.replaceFirst("^(\\s*)[a-z0-9]+", "$1x9")), "x9 used but not declared");
    }

    @Test
    void escapedTextHoldsNothingMermaidReadsAsSyntax() {
        String raw = "interval_sub->invalidate_seq; seq |= 1 #1 100% %% <b>\nnext line";
        String esc = MermaidText.escape(raw);
        assertEquals(List.of(), MermaidSyntax.problems("sequenceDiagram\n    participant a as a\n    Note over a: " + esc + "\n"));
        assertTrue(esc.contains("interval_sub-#gt;invalidate_seq#59; seq |= 1 #35;1 100#37; #37;#37; #lt;b#gt;<br/>next line"), esc);
    }

    private static void assertProblem(String block, String fragment) {
        List<String> p = MermaidSyntax.problems(block);
        assertTrue(p.stream().anyMatch(s -> s.contains(fragment)), "expected a problem with '" + fragment + "', got " + p);
    }

    static { assertTrue(Files.isDirectory(PROJECT.counterexamples())); }
}
