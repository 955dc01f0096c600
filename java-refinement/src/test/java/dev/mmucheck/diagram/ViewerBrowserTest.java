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
 * step's values. A page that fails to load, throws, or draws nothing fails. Screenshots are taken (into
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
        // the lanes: the trace's processes, its GPUs, the subscriptions
        Set<String> lanes = new TreeSet<>();
        Matcher m = LANE.matcher(dom);
        while (m.find()) lanes.add(html(m.group(1)));
        Set<String> want = new TreeSet<>(Set.of(Lane.SUBSCRIPTIONS));
        for (String v : List.of("pc", "ulock", "fences", "dpte")) for (TlaValue p : t.domain(v)) want.add(ModelConstants.plain(p));
        assertEquals(want, lanes, name(file) + ": the lanes");
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
