package dev.mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mmucheck.RepoFiles;
import dev.mmucheck.TestProject;
import dev.mmucheck.explain.Explainer;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.trace.Itf;

/**
 * README "Checking your change", run as written on a copy of the repository: the edits are read
 * out of README's marked blocks and applied by textual replacement (failing if the text they
 * replace is gone from the spec), the models run by path through the CLI, the verdicts and the
 * culprit lines README quotes are checked against the runs, and only the files the example
 * names change.
 */
class WorkedExampleTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    @TempDir Path tmp;
    private final Project project = TestProject.get();

    @Test
    @Timeout(180)
    void theKernelAndDriverWorkedExamplesRunAsReadmeSays() throws Exception {
        String readme = Files.readString(project.root().resolve("README.md"));
        Project copy = RepoFiles.copy(project, tmp.resolve("repo"));
        String root = copy.root().toString();
        Map<String, String> before = RepoFiles.snapshot(copy.root());
        Path mine = Files.createDirectories(tmp.resolve("mine"));

        // the kernel change: a variant of mn_itree_finish_pass, by path first
        replaceOnce(copy.specs().resolve("MmuNotifierCore.tla"), block(readme, "kernel before"), block(readme, "kernel after"));
        addCatalogueRow(copy.specs().resolve("CONTRACT.md"), block(readme, "kernel catalogue"));
        Path mx1 = withMutation(copy.cfg("default"), mine.resolve("MX1.cfg"), "MX1");
        CliRun tlc = CliRun.of("tlc", mx1.toString(), "--root", root);
        assertEquals(1, tlc.code(), "a violation with nothing expected exits 1: " + tlc);
        assertTrue(tlc.out().contains("MX1: violated NoStaleDeviceAccess (nothing expected"), tlc.out());
        assertTrue(tlc.out().contains(block(readme, "kernel culprit").strip()), "tlc prints the culprit line:\n" + tlc.out());
        Path trace = copy.work().resolve("MX1").resolve("MX1.itf.json");
        assertCulprit(copy, trace, block(readme, "kernel culprit"), "variant: mutation MX1: the finish pass calls only the first finish");
        assertEquals(Set.of("specs/CONTRACT.md", "specs/MmuNotifierCore.tla"), RepoFiles.changed(before, RepoFiles.snapshot(copy.root())),
                "a run by path writes nothing in the repository but build/");

        // the adequacy witness: on a single-notifier base MX1 passes without reaching the situation it changes
        Path wrap = withMutation(copy.cfg("wrap-k1-m4"), mine.resolve("MX1-wrap.cfg"), "MX1");
        CliRun w = CliRun.of("check", wrap.toString(), "--json", "--root", root);
        assertEquals(0, w.code(), w.toString());
        JsonNode run = JSON.readTree(w.out()).get(0);
        assertEquals("pass", run.get("verdict").asText());
        assertEquals(-1, run.get("witnesses").get("Witness_TwoGpuPipelining").asInt(), run.toString());
        assertTrue(readme.contains("`\"Witness_TwoGpuPipelining\" : -1`"), "README quotes the witness as --json prints it");

        // the manifest second: the model kept, its figures and counterexample recorded
        Files.copy(mx1, copy.cfg("MX1"));
        addManifestEntry(copy.manifest(), "MX1", "NoStaleDeviceAccess", "default", "the finish pass calls only the first finish (llist_del_first)");
        CliRun accept = CliRun.of("check", "MX1", "--accept", "--root", root);
        assertEquals(0, accept.code(), accept.toString());
        assertTrue(Files.isRegularFile(copy.counterexample("MX1")));
        CliRun replay = CliRun.of("replay", "MX1", "--root", root);
        assertEquals(2, replay.code(), "the Java side does not know MX1 yet: " + replay);
        assertTrue(replay.err().contains("unknown mutation 'MX1'"), replay.err());

        // the driver change, by path
        replaceOnce(copy.specs().resolve("GpuDriver.tla"), block(readme, "driver before"), block(readme, "driver after"));
        addCatalogueRow(copy.specs().resolve("CONTRACT.md"), block(readme, "driver catalogue"));
        Path dx1 = withMutation(copy.cfg("default"), mine.resolve("DX1.cfg"), "DX1");
        CliRun d = CliRun.of("tlc", dx1.toString(), "--expect", "NoStaleDeviceAccess", "--root", root);
        assertEquals(0, d.code(), d.toString());
        assertTrue(d.out().contains(block(readme, "driver culprit").strip()), "tlc prints the culprit line:\n" + d.out());
        assertCulprit(copy, copy.work().resolve("DX1").resolve("DX1.itf.json"), block(readme, "driver culprit"),
                "variant: mutation DX1: invalidate_start submits the TLB invalidation but does not zap the device PTEs");

        assertEquals(Set.of("specs/CONTRACT.md", "specs/MmuNotifierCore.tla", "specs/GpuDriver.tla", "model-check/models/MX1.cfg",
                        "model-check/manifest.json", "model-check/counterexamples/MX1.itf.json"),
                RepoFiles.changed(before, RepoFiles.snapshot(copy.root())));
    }

    /** explain prints README's culprit line, which is the culprit computed from the trace, and the variant. */
    private static void assertCulprit(Project copy, Path trace, String readmeCulprit, String variant) throws Exception {
        assertTrue(Files.isRegularFile(trace), trace + " not written");
        CliRun ex = CliRun.of("explain", trace.toString(), "--root", copy.root().toString());
        assertEquals(0, ex.code(), ex.toString());
        String computed = "culprit (" + Explainer.of(copy, Itf.read(trace)).culprit().property() + "): "
                + Explainer.of(copy, Itf.read(trace)).culprit().summary();
        assertEquals(readmeCulprit.strip(), computed, "README's culprit line is not what explain computes from the trace");
        assertTrue(ex.out().contains(computed), ex.out());
        assertTrue(ex.out().contains(variant), ex.out());
    }

    /** The fenced block after README's marker {@code <!-- worked-example NAME -->}. */
    static String block(String readme, String name) {
        Matcher m = Pattern.compile("<!-- worked-example " + Pattern.quote(name) + " -->\\s*```[^\\n]*\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has no block marked '" + name + "'");
        return m.group(1);
    }

    /** Replaces the one occurrence of {@code anchor} in {@code file}; fails if the anchor is gone or not unique. */
    static void replaceOnce(Path file, String anchor, String replacement) throws IOException {
        String s = Files.readString(file);
        int at = s.indexOf(anchor);
        if (at < 0) throw new AssertionError(file + " no longer has the text README's worked example replaces:\n" + anchor);
        if (s.indexOf(anchor, at + 1) >= 0) throw new AssertionError(file + " has the text README's worked example replaces twice:\n" + anchor);
        Files.writeString(file, s.substring(0, at) + replacement + s.substring(at + anchor.length()));
    }

    private static Path withMutation(Path base, Path to, String id) throws IOException {
        replaceOnceInto(base, to, "Mutation = \"none\"", "Mutation = \"" + id + "\"");
        return to;
    }

    private static void replaceOnceInto(Path from, Path to, String anchor, String replacement) throws IOException {
        Files.copy(from, to);
        replaceOnce(to, anchor, replacement);
    }

    /** The row goes after the last row of CONTRACT.md's "Mutation ids" table. */
    private static void addCatalogueRow(Path contract, String row) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(contract));
        int section = -1, last = -1;
        for (int k = 0; k < lines.size(); k++) {
            if (lines.get(k).startsWith("## Mutation ids")) section = k;
            else if (section >= 0 && lines.get(k).startsWith("## ")) break;
            if (section >= 0 && lines.get(k).startsWith("| ")) last = k;
        }
        if (last < 0) throw new AssertionError(contract + " has no table under '## Mutation ids'");
        lines.add(last + 1, row.strip());
        Files.write(contract, lines);
    }

    private static void addManifestEntry(Path manifest, String name, String expect, String base, String doc) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(manifest.toFile());
        ObjectNode e = ((ArrayNode) root.get("models")).addObject();
        e.put("name", name).put("expect", expect).put("set", "quick").put("base", base).put("mutation", name).put("liveness", false)
                .put("distinct", 0).put("steps", 0);
        e.putArray("witnesses");
        e.put("doc", doc);
        JSON.writeValue(manifest.toFile(), root);
    }
}
