package dev.mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mmucheck.TestProject;
import dev.mmucheck.modelcheck.Project;

/**
 * {@code mmu-check diagram} on a copy of the checkout: the committed pages are up to date; --check
 * fails (exit 1, naming the page) when a page is edited, a trace changes, a trace comes without its
 * page or a page outlives its trace, and --all puts it right; one trace prints the committed page.
 */
class DiagramCommandTest {
    @TempDir Path tmp;
    private final Project project = TestProject.get();
    private Path root;

    @BeforeEach
    void copyTheCheckout() throws IOException {
        root = tmp.resolve("repo");
        for (String dir : new String[] {"specs", "model-check/models", "model-check/counterexamples", "model-check/diagrams",
                "model-check/runs", "model-check/viewer/data"})
            copy(project.root().resolve(dir), root.resolve(dir));
        Files.copy(project.manifest(), root.resolve("model-check/manifest.json"));
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) if (Files.isRegularFile(p)) Files.copy(p, to.resolve(p.getFileName()));
        }
    }

    private CliRun diagram(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "diagram";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--root";
        all[args.length + 2] = root.toString();
        return CliRun.of(all);
    }

    private Path page(String name) { return root.resolve("model-check/diagrams/" + name + ".md"); }

    @Test
    void theCommittedPagesAreUpToDate() {
        CliRun r = diagram("--check");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("pages and their SVGs up to date"), r.toString());
    }

    @Test
    void anEditedPageFailsTheCheckByName() throws IOException {
        Files.writeString(page("M6"), Files.readString(page("M6")).replace("broken", "broke"));
        CliRun r = diagram("--check");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("stale diagram: model-check/diagrams/M6.md: out of date"), r.toString());
        assertFalse(r.err().contains("M5.md"), r.toString());
        assertEquals(0, diagram("--all").code());
        assertEquals(0, diagram("--check").code());
    }

    @Test
    void anEditedSvgFailsTheCheckByName() throws IOException {
        Path svg = root.resolve("model-check/diagrams/D4.svg");
        Files.writeString(svg, Files.readString(svg).replace("#ffdddd", "#ffffff"));
        CliRun r = diagram("--check");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("stale diagram: model-check/diagrams/D4.svg: out of date"), r.toString());
        assertFalse(r.err().contains("D4.md"), r.toString());
    }

    @Test
    void aChangedTraceFailsTheCheckByName() throws IOException {
        Path trace = root.resolve("model-check/counterexamples/M10.itf.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = (ObjectNode) json.readTree(trace.toFile());
        ArrayNode states = (ArrayNode) doc.get("states");
        states.remove(states.size() - 1);
        json.writeValue(trace.toFile(), doc);
        CliRun r = diagram("--check");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("model-check/diagrams/M10.md: out of date (differs from what model-check/counterexamples/M10.itf.json gives)"), r.toString());
        assertTrue(r.err().contains("model-check/diagrams/M10.svg: out of date"), r.toString());
        assertEquals(0, diagram("--all").code());
        assertEquals(0, diagram("--check").code(), "--all did not bring the pages up to date");
    }

    @Test
    void aTraceWithoutItsPageAndAPageWithoutItsTraceFailTheCheck() throws IOException {
        Files.copy(root.resolve("model-check/counterexamples/M6.itf.json"), root.resolve("model-check/counterexamples/M6-copy.itf.json"));
        Files.delete(root.resolve("model-check/counterexamples/M9.itf.json"));
        CliRun r = diagram("--check");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("model-check/diagrams/M6-copy.md: missing"), r.toString());
        assertTrue(r.err().contains("model-check/diagrams/M9.md/.svg/.js: no trace M9.itf.json any more"), r.toString());
        assertEquals(0, diagram("--all").code());
        assertTrue(Files.isRegularFile(page("M6-copy")));
        assertFalse(Files.exists(page("M9")), "--all left the page of a trace that is gone");
        assertFalse(Files.exists(root.resolve("model-check/diagrams/M9.svg")), "--all left the SVG of a trace that is gone");
        assertTrue(Files.isRegularFile(root.resolve("model-check/diagrams/M6-copy.svg")));
        assertFalse(Files.exists(root.resolve("model-check/viewer/data/M9.js")), "--all left the viewer data of a trace that is gone");
        assertTrue(Files.isRegularFile(root.resolve("model-check/viewer/data/M6-copy.js")));
        assertTrue(Files.readString(root.resolve("model-check/viewer/data/index.js")).contains("\"name\" : \"M6-copy\""), "the viewer's index lists the new trace");
        assertTrue(Files.isRegularFile(root.resolve("model-check/diagrams/README.md")), "--all removed the folder's README");
        assertEquals(0, diagram("--check").code());
    }

    @Test
    void editedViewerDataOrIndexFailTheCheckByName() throws IOException {
        Path data = root.resolve("model-check/viewer/data/D4.js");
        Files.writeString(data, Files.readString(data).replaceFirst("\"breaking\" : \\d+", "\"breaking\" : 1"));
        Path index = root.resolve("model-check/viewer/data/index.js");
        Files.writeString(index, Files.readString(index).replace("\"name\" : \"run-pipelining\"", "\"name\" : \"run-x\""));
        CliRun r = diagram("--check");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("stale diagram: model-check/viewer/data/D4.js: out of date"), r.toString());
        assertTrue(r.err().contains("stale diagram: model-check/viewer/data/index.js: out of date"), r.toString());
    }

    @Test
    void aSpecChangeOrAnEditedRunListMakesTheCorrectRunsStale() throws IOException {
        Path core = root.resolve("specs/MmuNotifierCore.tla");
        Files.writeString(core, Files.readString(core) + "\\* a comment\n");
        CliRun r = diagram("--check");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("stale diagram: model-check/runs/run-pipelining.itf.json: recorded on spec version"), r.toString());
        assertTrue(r.err().contains("bin/mmu-check diagram --runs"), r.toString());
        Files.writeString(core, Files.readString(core).replace("\\* a comment\n", ""));
        Path list = root.resolve("model-check/runs/runs.json");
        Files.writeString(list, Files.readString(list).replace("\"name\": \"run-read-retry\"", "\"name\": \"run-read-retried\""));
        r = diagram("--check");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("model-check/runs/run-read-retried.itf.json: missing (runs.json lists run-read-retried)"), r.toString());
        assertTrue(r.err().contains("model-check/runs/run-read-retry.itf.json: runs.json does not list run-read-retry"), r.toString());
    }

    @Test
    void aTracesJsonIsTheViewersData() throws IOException {
        CliRun j = diagram("run-pipelining", "--json");
        assertEquals(0, j.code(), j.toString());
        String js = Files.readString(root.resolve("model-check/viewer/data/run-pipelining.js"), StandardCharsets.UTF_8);
        assertTrue(js.contains("] = " + j.out().strip() + ";"), "the data file holds what --json prints:\n" + j.out());
    }

    @Test
    void oneTracePrintsItsCommittedPage() throws IOException {
        CliRun r = diagram("M6b-remove");
        assertEquals(0, r.code(), r.toString());
        assertEquals(Files.readString(page("M6b-remove"), StandardCharsets.UTF_8), r.out());
        CliRun file = diagram(root.resolve("model-check/counterexamples/M6b-remove.itf.json").toString());
        assertEquals(r.out(), file.out());
        CliRun svg = diagram("M6b-remove", "--svg");
        assertEquals(0, svg.code(), svg.toString());
        assertEquals(Files.readString(root.resolve("model-check/diagrams/M6b-remove.svg"), StandardCharsets.UTF_8), svg.out());
    }

    @Test
    void badUsageAndUnknownTracesExitTwo() {
        assertEquals(0, diagram("--help").code());
        assertTrue(diagram("--help").out().contains("exit codes"));
        assertEquals(2, diagram().code());
        assertEquals(2, diagram("--all", "--check").code());
        CliRun r = diagram("NoSuchTrace");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("unknown trace 'NoSuchTrace'"), r.toString());
    }
}
