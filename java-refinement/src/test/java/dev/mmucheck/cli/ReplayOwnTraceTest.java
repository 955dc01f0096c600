package dev.mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import dev.mmucheck.TestProject;
import dev.mmucheck.explain.ModelConstants;
import dev.mmucheck.machine.MachineConfig;
import dev.mmucheck.machine.Models;
import dev.mmucheck.modelcheck.Manifest;
import dev.mmucheck.modelcheck.ModelEntry;
import dev.mmucheck.modelcheck.Project;

/**
 * `mmu-check replay FILE` of a counterexample of one's own configuration, kept outside the
 * repository: the Java form of the model comes from the configuration's constants, which for every
 * manifest model give the same Java machine as its hand-written form; a kept trace replays, and a
 * changed one diverges (KeptCounterexamplesTest's folder replay, run here on a folder of its own).
 */
class ReplayOwnTraceTest {
    @TempDir Path tmp;
    private final Project project = TestProject.get();

    @Test
    void everyManifestModelHasAJavaFormWithTheProcessesAndMutationOfItsConfiguration() throws Exception {
        int built = 0;
        for (ModelEntry e : Manifest.read(project.manifest()).models()) {
            MachineConfig c = Models.of(project, e, true);
            ModelConstants k = ModelConstants.read(project.cfg(e.name()), project.spec());
            assertEquals(k.members("Invalidators"), c.invalidators().stream().map(MachineConfig.InvalidatorSpec::name).toList(), e.name());
            assertEquals(k.members("Readers"), c.readers().stream().map(MachineConfig.ReaderSpec::name).toList(), e.name());
            assertEquals(k.members("Gpus"), c.gpus(), e.name());
            assertEquals(new java.util.TreeSet<>(k.members("Notifiers")),
                    new java.util.TreeSet<>(c.notifiers().stream().map(MachineConfig.NotifierSpec::name).toList()), e.name());
            assertEquals("none".equals(e.mutation()) ? java.util.Set.of() : java.util.Set.of(e.mutation()),
                    c.kernel().mutations().stream().map(Enum::name).collect(java.util.stream.Collectors.toSet()), e.name());
            assertTrue(Models.of(project, e, false).kernel().mutations().isEmpty(), e.name() + " without its mutation");
            built++;
        }
        assertTrue(built > 40, "only " + built + " models built");
    }

    @Test
    void aCounterexampleKeptOutsideTheRepositoryReplaysAndAChangedOneDiverges() throws Throwable {
        Path own = tmp.resolve("work").resolve("own-m12.cfg");
        Files.createDirectories(own.getParent());
        Files.copy(project.cfg("M12"), own);
        CliRun tlc = CliRun.of("tlc", own.toString(), "--expect", "RemovedIsQuiet", "--root", project.root().toString());
        assertEquals(0, tlc.code(), tlc.toString());

        // kept: the trace and its configuration in a folder of their own; the configuration it names is gone
        Path kept = Files.createDirectories(tmp.resolve("kept"));
        Path trace = kept.resolve("own-m12.itf.json");
        Files.copy(project.work().resolve("own-m12").resolve("own-m12.itf.json"), trace);
        Files.move(own, kept.resolve("own-m12.cfg"));
        CliRun replay = CliRun.of("replay", trace.toString(), "--root", project.root().toString());
        assertEquals(0, replay.code(), replay.toString());
        assertTrue(replay.out().contains("built from the constants of " + kept.resolve("own-m12.cfg")), replay.out());
        assertTrue(replay.out().contains("properties broken in Java: [RemovedIsQuiet]"), replay.out());

        List<DynamicTest> tests = KeptCounterexamplesTest.replayEach(kept, project.root()).toList();
        assertEquals(1, tests.size());
        tests.get(0).getExecutable().execute();

        // a trace the Java code cannot follow: the last state's tree says the removed notifier left it
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode doc = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(trace.toFile());
        com.fasterxml.jackson.databind.JsonNode states = doc.get("states");
        com.fasterxml.jackson.databind.node.ArrayNode tree = (com.fasterxml.jackson.databind.node.ArrayNode) states.get(states.size() - 1).get("tree").get("#set");
        int at = -1;
        for (int k = 0; k < tree.size(); k++) if (tree.get(k).asText().equals("d1")) at = k;
        assertTrue(at >= 0, "the last state's tree has no d1: " + tree);
        tree.remove(at);
        json.writeValue(kept.resolve("changed.itf.json").toFile(), doc);
        Files.copy(kept.resolve("own-m12.cfg"), kept.resolve("changed.cfg"));
        List<DynamicTest> both = KeptCounterexamplesTest.replayEach(kept, project.root()).toList();
        assertEquals(2, both.size());
        AssertionFailedError f = assertThrows(AssertionFailedError.class, () -> both.get(0).getExecutable().execute());
        assertTrue(f.getMessage().contains("DIVERGED"), f.getMessage());
        both.get(1).getExecutable().execute();
    }
}
