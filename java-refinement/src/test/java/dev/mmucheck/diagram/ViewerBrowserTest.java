package dev.mmucheck.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mmucheck.TestProject;
import dev.mmucheck.explain.Explainer;
import dev.mmucheck.explain.KernelWords;
import dev.mmucheck.explain.ModelConstants;
import dev.mmucheck.explain.TraceView;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.TlaValue;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfTrace;

/**
 * The static viewer model-check/viewer/index.html, opened from disk in headless Chromium (Debian's
 * {@code chromium}) for every committed trace, the DOM read back after its scripts ran: the lanes are the
 * trace's processes (the keys of {@code pc}), its GPUs and the subscriptions; the highlighted step after
 * pressing End is the last one and is the breaking step (a lasso: the loop's steps are marked), with the
 * culprit sentence {@code explain} prints shown as the reason; every value shown is the trace's value at that
 * step, in kernel words; stepping forward and back with the arrow keys lands where it should, with that
 * step's values. A trace file of one's own ({@code diagram FILE --json}), opened through the page's file input
 * over the DevTools protocol ({@link DevToolsPage}), is shown the same way; a file that is not such a trace
 * gives a visible error naming the file and what was expected. A page that fails to load, throws, or draws
 * nothing fails. Screenshots are taken (into
 * target/viewer-screenshots/, or the folder the system property {@code viewer.screenshots} names: README's are
 * made so, by {@code make viewer-screenshots}) and must show the breaking step's red (a run's green) box.
 *
 * <p>Without Chromium the test is skipped with a message, unless the environment variable
 * {@code MMU_REQUIRE_CHROMIUM} is set (.ci/run sets it after installing chromium), when it fails.
 */
class ViewerBrowserTest {
    private static final Project PROJECT = TestProject.get();
    private static final Pattern CELL = Pattern.compile(
            "<div class=\"cell( changed)?\" data-cell=\"([^\"]*)\" data-var=\"([^\"]*)\"><span class=\"name\">[^<]*</span>"
                    + "(?:<span class=\"was\">([^<]*)</span>)?<span class=\"value\">([^<]*)</span></div>");
    private static final Pattern LI = Pattern.compile("<li class=\"([^\"]*)\" data-step=\"(\\d+)\">");
    private static final Pattern LANE = Pattern.compile("<th class=\"lane-head[^\"]*\" data-lane=\"([^\"]*)\"");
    private static Path chromium;
    @TempDir static Path profile;

    @BeforeAll
    static void findChromium() {
        chromium = browser().orElse(null);
        if (chromium == null) {
            String msg = "chromium is not installed ($CHROMIUM if set, else chromium or chromium-browser on PATH): the viewer's browser test "
                    + "is skipped; .ci/run installs Debian's chromium, locally: apt-get install chromium";
            if (System.getenv("MMU_REQUIRE_CHROMIUM") != null) fail(msg + " (MMU_REQUIRE_CHROMIUM is set, so this is a failure)");
            System.err.println("ViewerBrowserTest SKIPPED: " + msg);   // surefire shows a class-level skip as 0 tests run
            Assumptions.assumeTrue(false, msg);
        }
    }

    static Optional<Path> browser() {
        // $CHROMIUM, when set, is the one browser tried (set it to a missing path to see the skip)
        List<String> names = System.getenv("CHROMIUM") != null ? List.of(System.getenv("CHROMIUM")) : List.of("chromium", "chromium-browser");
        for (String n : names) {
            if (n.contains("/")) {
                if (Files.isExecutable(Path.of(n))) return Optional.of(Path.of(n));
                continue;
            }
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, n))) return Optional.of(Path.of(dir, n));
        }
        return Optional.empty();
    }

    static Path viewer() { return PROJECT.root().resolve("model-check/viewer/index.html"); }

    private static List<String> args(String... more) {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--virtual-time-budget=10000"));
        cmd.addAll(List.of(more));
        return cmd;
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 60 s: " + cmd);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The DOM of the viewer at {@code query} after its scripts ran. */
    static String dom(String query) throws Exception {
        String url = viewer().toUri() + "?" + query;
        String dom = run(args("--dump-dom", url));
        assertTrue(dom.contains("<body"), "chromium gave no page for " + url + ":\n" + dom);
        Matcher err = Pattern.compile("data-error=\"([^\"]*)\"").matcher(dom);
        assertFalse(err.find(), () -> url + ": the page reports an error: " + html(err.group(1)));
        assertTrue(dom.contains("data-ready=\"yes\""), url + ": the page never finished loading its trace");
        return dom;
    }

    static String html(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&nbsp;", "\u00a0")
                .replace("&amp;", "&");
    }

    static Stream<Path> committedTraces() throws Exception { return new DiagramPages(PROJECT).traces().values().stream(); }

    private static String name(Path trace) { return trace.getFileName().toString().replace(DiagramPages.SUFFIX, ""); }

    /** What the page shows of each cell (value, and the old value when it changed): cell id to {value, was}. */
    static Map<String, String[]> cells(String dom) {
        Map<String, String[]> out = new LinkedHashMap<>();
        Matcher m = CELL.matcher(dom);
        while (m.find()) out.put(html(m.group(2)), new String[] {html(m.group(5)), m.group(1) == null ? null : html(m.group(4))});
        return out;
    }

    /** The trace's values at state k, cell id to kernel words, straight from the ITF file. */
    static Map<String, String> values(TraceView t, int k) {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : t.leaves(k).entrySet())
            for (var leaf : e.getValue().entrySet())
                out.put(ViewerData.cellId(e.getKey(), leaf.getKey().stream().map(ModelConstants::plain).toList()),
                        KernelWords.value(e.getKey(), leaf.getValue()));
        return out;
    }

    /** The lanes a trace must show: its processes (the keys of pc), its GPUs, the subscriptions. */
    static Set<String> lanes(TraceView t) {
        Set<String> want = new TreeSet<>(Set.of(Lane.SUBSCRIPTIONS));
        for (String v : List.of("pc", "ulock", "fences", "dpte")) for (TlaValue p : t.domain(v)) want.add(ModelConstants.plain(p));
        return want;
    }

    /** The lanes the page shows. */
    static Set<String> lanesShown(String dom) {
        Set<String> lanes = new TreeSet<>();
        Matcher m = LANE.matcher(dom);
        while (m.find()) lanes.add(html(m.group(1)));
        return lanes;
    }

    static int current(String dom) {
        List<Integer> cur = new ArrayList<>();
        Matcher m = LI.matcher(dom);
        while (m.find()) if (Set.of(m.group(1).split(" ")).contains("current")) cur.add(Integer.parseInt(m.group(2)));
        assertEquals(1, cur.size(), "highlighted steps: " + cur);
        return cur.get(0);
    }

    static List<Integer> marked(String dom, String cls) {
        List<Integer> out = new ArrayList<>();
        Matcher m = LI.matcher(dom);
        while (m.find()) if (Set.of(m.group(1).split(" ")).contains(cls)) out.add(Integer.parseInt(m.group(2)));
        return out;
    }

    static void assertValues(String where, TraceView t, int k, String dom) {
        Map<String, String> want = values(t, k);
        Map<String, String[]> shown = cells(dom);
        Map<String, String> got = new LinkedHashMap<>();
        shown.forEach((id, v) -> got.put(id, v[0]));
        assertEquals(new TreeSet<>(want.keySet()), new TreeSet<>(got.keySet()), where + ": the cells shown at step " + k);
        for (var e : want.entrySet()) assertEquals(e.getValue(), got.get(e.getKey()), where + ": " + e.getKey() + " at step " + k);
        Set<String> changed = new TreeSet<>();
        if (k > 0) for (var e : t.changes(k).entrySet()) for (List<TlaValue> keys : e.getValue())
            changed.add(ViewerData.cellId(e.getKey(), keys.stream().map(ModelConstants::plain).toList()));
        Set<String> marked = new TreeSet<>();
        shown.forEach((id, v) -> { if (v[1] != null) marked.add(id); });
        changed.retainAll(want.keySet());
        assertEquals(changed, marked, where + ": the cells marked as changed by step " + k);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("committedTraces")
    void theViewerShowsTheTracesLanesBreakingStepAndValues(Path file) throws Exception {
        ItfTrace trace = Itf.read(file);
        TraceView t = new TraceView(trace);
        int last = t.last();
        String dom = dom("trace=" + name(file) + "&press=End");
        assertEquals(lanes(t), lanesShown(dom), name(file) + ": the lanes");
        // End: the last step is highlighted, and it is the breaking step (a lasso: its loop is marked)
        assertEquals(last, current(dom), name(file) + ": the highlighted step after End");
        assertTrue(dom.contains("<div class=\"now\" data-step=\"" + last + "\">"), name(file) + ": the current step's box");
        if (trace.loop().isPresent()) {
            List<Integer> loop = new ArrayList<>();
            for (int k = trace.loop().get() + 1; k <= last; k++) loop.add(k);
            if (trace.loop().get() == last) loop.add(last);   // the last state repeats itself
            assertEquals(loop, marked(dom, "loop"), name(file) + ": the loop's steps");
            assertEquals(List.of(), marked(dom, "breaking"), name(file));
        } else {
            assertEquals(List.of(last), marked(dom, "breaking"), name(file) + ": the breaking step");
        }
        // the reason it breaks: explain's culprit sentence (a run: its goal), shown at the breaking step
        String reason = trace.metaString("goal") != null ? "reached " + trace.metaString("goal") + ": " + trace.metaString("goalDoc")
                : Explainer.of(PROJECT, trace).culprit().property();
        Matcher r = Pattern.compile("<div id=\"reason\" class=\"shown\">([^<]*)</div>").matcher(dom);
        assertTrue(r.find(), name(file) + ": no reason shown at the breaking step");
        assertTrue(html(r.group(1)).contains(reason), name(file) + ": the reason shown: " + html(r.group(1)));
        if (trace.metaString("goal") == null) {
            var c = Explainer.of(PROJECT, trace).culprit();
            assertEquals("\u2717 culprit (" + c.property() + "): " + c.summary(), html(r.group(1)), name(file) + ": the reason is explain's culprit");
        }
        // the values: every leaf of the trace at the last state, the changed ones marked
        assertValues(name(file), t, last, dom);
        // the kernel function of the step
        String kernel = dev.mmucheck.trace.Labels.describe(t.step(last, "label"));
        assertTrue(html(dom).contains("<div class=\"kernel\">" + kernel), name(file) + ": the step's kernel function " + kernel);
    }

    @Test
    void theArrowKeysStepForwardAndBack() throws Exception {
        Path file = PROJECT.counterexample("M1");
        TraceView t = new TraceView(Itf.read(file));
        assertTrue(t.last() >= 4, "M1 has at least 4 steps");
        String dom = dom("trace=M1&step=1&press=ArrowRight,ArrowRight,ArrowRight,ArrowLeft");
        assertEquals(3, current(dom));
        assertValues("M1 (1, forward 3, back 1)", t, 3, dom);
        dom = dom("trace=M1&press=End,Home,ArrowLeft");
        assertEquals(0, current(dom), "Home, then back from the initial state stays at it");
        assertValues("M1 at the initial state", t, 0, dom);
    }

    @Test
    void anUnknownTraceIsReportedOnThePage() throws Exception {
        String dom = run(args("--dump-dom", viewer().toUri() + "?trace=no-such-trace"));
        assertTrue(dom.contains("data-error=\"no trace no-such-trace (data/no-such-trace.js is missing)\""), dom);
    }

    /** A trace of the reader's own: a committed counterexample under another name, made into the viewer's JSON by `diagram FILE --json`. */
    private static Path ownTraceJson(Path dir, String model, String name) throws Exception {
        Path itf = dir.resolve(name + ".itf.json");
        Files.copy(PROJECT.counterexample(model), itf);
        Path out = dir.resolve(name + ".json");
        var o = new java.io.ByteArrayOutputStream();
        var e = new java.io.ByteArrayOutputStream();
        int code = dev.mmucheck.cli.Main.run(new String[] {"diagram", "--root", PROJECT.root().toString(), itf.toString(), "--json", "-o", out.toString()},
                new java.io.PrintStream(o, true, StandardCharsets.UTF_8), new java.io.PrintStream(e, true, StandardCharsets.UTF_8));
        assertEquals(0, code, "diagram " + itf + " --json: " + o + e);
        return out;
    }

    private static DevToolsPage page(Path dir, String query) throws Exception {
        DevToolsPage page = DevToolsPage.open(chromium, dir.resolve("profile"), viewer().toUri() + "?" + query);
        assertTrue(page.waitUntil("document.body && document.body.getAttribute('data-ready') === 'yes'", 30),
                "the viewer never finished loading its first trace: " + page.evaluate("document.body && document.body.getAttribute('data-error')"));
        return page;
    }

    /** The page's error: the message its error box shows, and whether that box is visible (null: no error). */
    private static String shownError(DevToolsPage page) throws Exception {
        String attr = page.evaluate("document.body.getAttribute('data-error')").asText(null);
        String box = page.evaluate("document.getElementById('error').textContent").asText();
        boolean visible = page.evaluate("getComputedStyle(document.getElementById('error')).display !== 'none'"
                + " && document.getElementById('error').getBoundingClientRect().height > 0").asBoolean();
        if (attr == null) {
            assertFalse(visible, "the error box is visible with no error: " + box);
            return null;
        }
        assertTrue(visible, "the error is not visible on the page: " + attr);
        assertEquals(attr, box, "the error box shows another message than the page's error");
        return box;
    }

    @Test
    void aTraceFileOpenedThroughTheFileInputIsShown(@TempDir Path dir) throws Exception {
        Path json = ownTraceJson(dir, "xe-inject", "my-xe-inject");
        JsonNode data = new ObjectMapper().readTree(json.toFile());
        TraceView t = new TraceView(Itf.read(PROJECT.counterexample("xe-inject")));
        int breaking = data.get("breaking").asInt();
        assertEquals("my-xe-inject", data.get("name").asText(), "the name diagram --json gives the file");
        assertTrue(breaking > 1 && breaking <= t.last(), "xe-inject's breaking step " + breaking);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"lanes\": []}");
        try (DevToolsPage page = page(dir, "trace=M6b-remove")) {
            assertFalse(lanes(t).equals(lanesShown(page.dom())), "M6b-remove, shown first, has other lanes than xe-inject");
            page.chooseFile("#file", bad);                 // an error first: opening a good file clears it
            assertTrue(page.waitUntil("document.body.hasAttribute('data-error')", 10), "bad.json gave no error");
            page.chooseFile("#file", json);
            page.waitUntil("document.body.getAttribute('data-trace') === 'my-xe-inject'", 10);
            assertEquals(null, shownError(page), "the page reports an error after opening " + json.getFileName());
            String dom = page.dom();
            assertTrue(dom.contains("data-trace=\"my-xe-inject\""), "the page does not show the opened trace (data-trace)");
            assertTrue(html(dom).contains("<h2 id=\"title\">" + data.get("title").asText() + "</h2>"), "the opened trace's title");
            assertEquals(lanes(t), lanesShown(dom), "the lanes of the opened trace");
            assertEquals(0, current(dom), "the opened trace starts at its initial state");
            assertValues("my-xe-inject", t, 0, dom);
            page.evaluate("document.getElementById('tobreak').click()");
            dom = page.dom();
            assertEquals(breaking, current(dom), "the breaking step the JSON names, after 'the breaking step'");
            assertEquals(List.of(breaking), marked(dom, "breaking"), "the step marked as breaking");
            assertTrue(dom.contains("<div id=\"reason\" class=\"shown\">"), "no reason shown at the breaking step");
            assertTrue(html(dom).contains(data.get("verdict").asText()), "the reason shown is not the file's verdict");
            assertValues("my-xe-inject", t, breaking, dom);
            page.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowLeft'}))");
            dom = page.dom();
            assertEquals(breaking - 1, current(dom), "back one step from the breaking step");
            assertValues("my-xe-inject", t, breaking - 1, dom);
            // the breaking step is the file's: the same trace naming an earlier one is shown breaking there
            ((com.fasterxml.jackson.databind.node.ObjectNode) data).put("name", "my-early").put("breaking", breaking - 2);
            Path early = dir.resolve("my-early.json");
            Files.writeString(early, new ObjectMapper().writeValueAsString(data));
            page.chooseFile("#file", early);
            page.waitUntil("document.body.getAttribute('data-trace') === 'my-early'", 10);
            page.evaluate("document.getElementById('tobreak').click()");
            dom = page.dom();
            assertTrue(dom.contains("data-trace=\"my-early\""), "the page does not show my-early.json");
            assertEquals(breaking - 2, current(dom), "the breaking step my-early.json names, after 'the breaking step'");
            assertEquals(List.of(breaking - 2), marked(dom, "breaking"), "the step marked as breaking in my-early.json");
            assertValues("my-early", t, breaking - 2, dom);
        }
    }

    @Test
    void aFileThatIsNotATraceIsRefusedOnThePageSayingWhatWasExpected(@TempDir Path dir) throws Exception {
        String expected = "expected a trace as `bin/mmu-check diagram TRACE --json -o mine.json` writes it";
        Path notJson = dir.resolve("notes.json"), array = dir.resolve("array.json"), shape = dir.resolve("shape.json"), itf = dir.resolve("M1.itf.json");
        Files.writeString(notJson, "these are notes, not JSON");
        Files.writeString(array, "[1, 2, 3]");
        JsonNode good = new ObjectMapper().readTree(ownTraceJson(dir, "M1", "mine").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) good).remove("cells");
        ((com.fasterxml.jackson.databind.node.ObjectNode) good).put("lanes", "g1");
        Files.writeString(shape, new ObjectMapper().writeValueAsString(good));
        Files.copy(PROJECT.counterexample("M1"), itf);
        Map<Path, List<String>> want = new LinkedHashMap<>();
        want.put(notJson, List.of("notes.json: not JSON (", expected));
        want.put(array, List.of("array.json: not a trace the viewer can show: it holds an array, not a JSON object", expected));
        want.put(shape, List.of("shape.json: not a trace the viewer can show: ", "\"lanes\" is not an array of lanes, each with an id, a kind and a label",
                "no \"cells\" (an array of cells, each with an id, a var, a name and a lane)", expected));
        want.put(itf, List.of("M1.itf.json: an ITF trace: convert it first with `bin/mmu-check diagram M1.itf.json --json -o mine.json`"));
        try (DevToolsPage page = page(dir, "trace=D1")) {
            for (var w : want.entrySet()) {
                String name = w.getKey().getFileName().toString();
                page.chooseFile("#file", w.getKey());
                assertTrue(page.waitUntil("(document.body.getAttribute('data-error') || '').indexOf(" + new ObjectMapper().writeValueAsString(name + ":") + ") === 0", 10),
                        name + ": no error on the page: " + page.evaluate("document.body.getAttribute('data-error')"));
                String error = shownError(page);
                for (String part : w.getValue()) assertTrue(error.contains(part), name + ": the error does not say \"" + part + "\": " + error);
                assertTrue(page.dom().contains("data-trace=\"D1\""), name + ": the trace shown before is gone");
            }
        }
    }

    @Test
    void screenshotsShowTheBreakingAndTheReachedStep() throws Exception {
        Path dir = Path.of(System.getProperty("viewer.screenshots", "target/viewer-screenshots")).toAbsolutePath();
        Files.createDirectories(dir);
        for (String[] shot : new String[][] {{"M1", "ffdddd"}, {"run-pipelining", "ddffdd"}}) {
            Path png = dir.resolve("viewer-" + shot[0] + ".png");
            Files.deleteIfExists(png);
            dom("trace=" + shot[0] + "&press=End");
            run(args("--window-size=1400,900", "--screenshot=" + png, viewer().toUri() + "?trace=" + shot[0] + "&press=End"));
            assertTrue(Files.size(png) > 10_000, png + " is missing or nearly empty");
            BufferedImage img = ImageIO.read(png.toFile());
            int want = Integer.parseInt(shot[1], 16), found = 0;
            for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xffffff) == want) found++;
            assertTrue(found > 2000, png + ": the box of colour #" + shot[1] + " (the breaking or reached step) covers " + found + " pixels");
        }
    }
}
