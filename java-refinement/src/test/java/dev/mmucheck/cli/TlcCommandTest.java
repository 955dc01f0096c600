package dev.mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mmucheck.RepoFiles;
import dev.mmucheck.TestProject;
import dev.mmucheck.modelcheck.Project;

/** mmu-check tlc: any configuration by path, TLC's options, --invariant, --expect, help and version. */
class TlcCommandTest {
    @TempDir Path tmp;
    private final Project project = TestProject.get();
    private final String root = project.root().toString();

    @Test
    void aCopyOfDefaultOutsideTheRepositoryPassesAndChangesNothingOutsideBuild() throws Exception {
        Path mine = tmp.resolve("x").resolve("mine.cfg");
        Files.createDirectories(mine.getParent());
        Files.copy(project.cfg("default"), mine);
        Map<String, String> before = RepoFiles.snapshot(project.root());
        CliRun r = CliRun.of("tlc", mine.toString(), "--root", root);
        assertEquals(0, r.code(), r.toString());
        long states = dev.mmucheck.modelcheck.Manifest.read(project.manifest()).find("default").orElseThrow().distinct();
        assertTrue(r.out().contains(String.format("mine: pass [ok]; %,d distinct states", states)), r.out());
        assertTrue(r.out().contains("TLC's log: ") && r.out().contains("build/tlc/mine/tlc.log"), r.out());
        assertEquals(Set.of(), RepoFiles.changed(before, RepoFiles.snapshot(project.root())));
    }

    @Test
    void aViolationNamesItsTraceWhichExplainAndReplayRead() throws Exception {
        Path mine = tmp.resolve("mine-m10.cfg");
        Files.copy(project.cfg("M10"), mine);
        long m10Steps = dev.mmucheck.modelcheck.Manifest.read(project.manifest()).find("M10").orElseThrow().steps();
        CliRun r = CliRun.of("tlc", mine.toString(), "--root", root);
        assertEquals(1, r.code(), "a violation with nothing expected is a failure: " + r);
        assertTrue(r.out().contains("violated RemovedIsQuiet (nothing expected"), r.out());
        Path trace = project.work().resolve("mine-m10").resolve("mine-m10.itf.json");
        assertTrue(r.out().contains("counterexample: ") && r.out().contains("mine-m10/mine-m10.itf.json (" + m10Steps + " steps)"), r.out());
        assertTrue(Files.isRegularFile(trace));

        CliRun expected = CliRun.of("tlc", mine.toString(), "--expect", "RemovedIsQuiet", "--root", root);
        assertEquals(0, expected.code(), expected.toString());
        assertTrue(expected.out().contains("violated RemovedIsQuiet [ok]"), expected.out());

        CliRun byName = CliRun.of("explain", "mine-m10", "--root", root);
        assertEquals(0, byName.code(), byName.toString());
        assertTrue(byName.out().contains("RemovedIsQuiet broken"), byName.out());
        CliRun byPath = CliRun.of("explain", trace.toString(), "--root", root);
        assertEquals(byName.out(), byPath.out());
    }

    @Test
    void invariantChecksOnePropertyAloneAndKeepsOnlyAnExpectationThatStillHolds() {
        CliRun same = CliRun.of("tlc", "M3", "--invariant", "FinishBeforeReturn", "--root", root);
        assertEquals(0, same.code(), same.toString());
        assertTrue(same.out().contains("M3-only-FinishBeforeReturn: violated FinishBeforeReturn [ok]"), same.out());
        // M3 breaks FinishBeforeReturn; NoNullFinishCall alone still holds there, and M3's expectation says nothing of it
        CliRun other = CliRun.of("tlc", "M3", "--invariant", "NoNullFinishCall", "--root", root);
        assertEquals(0, other.code(), other.toString());
        assertTrue(other.out().contains("M3-only-NoNullFinishCall: pass [ok]"), other.out());
        CliRun unknown = CliRun.of("tlc", "M3", "--invariant", "NoSuchProperty", "--root", root);
        assertEquals(2, unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("no module of specs/ defines NoSuchProperty"), unknown.err());
    }

    @Test
    void tlcOptionsArePassedThroughAndASimulationIsNotCalledExhaustive() {
        CliRun r = CliRun.of("tlc", "default", "-simulate", "num=5", "-depth", "40", "-seed", "7", "--root", root);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("default-simulate: no violation in 5 simulated behaviours (not exhaustive) [ok]"), r.out());
        // a simulation of a mutation model finds its violation, and the run's own folder keeps the trace
        CliRun m = CliRun.of("tlc", "M6b", "-simulate", "num=200", "-seed", "1", "--root", root);
        assertEquals(0, m.code(), m.toString());
        assertTrue(m.out().contains("M6b-simulate: violated ActiveCountsRanges [ok]"), m.out());
    }

    @Test
    void misleadingTlcOptionsAreRefusedWithTheReason() {
        Map<String[], String> cases = Map.of(
                new String[] {"tlc", "default", "-continue"}, "exits 0",
                new String[] {"tlc", "default", "-generateSpecTE"}, "can hang",
                new String[] {"tlc", "live-default", "-workers", "2"}, "#971",
                new String[] {"tlc", "default", "-depth", "10"}, "add -simulate",
                new String[] {"tlc", "default", "-workers", "many"}, "expected a number",
                new String[] {"tlc", "default", "-frobnicate"}, "unknown option -frobnicate");
        cases.forEach((args, why) -> {
            String[] all = java.util.Arrays.copyOf(args, args.length + 2);
            all[args.length] = "--root";
            all[args.length + 1] = root;
            CliRun r = CliRun.of(all);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r);
            assertTrue(r.err().contains(why), String.join(" ", args) + ": " + r.err());
        });
    }

    @Test
    void aVIEWOnALivenessConfigurationIsRefused() throws Exception {
        Path cfg = tmp.resolve("live-view.cfg");
        Files.writeString(cfg, Files.readString(project.cfg("live-default")) + "\nVIEW StateView\n");
        CliRun r = CliRun.of("tlc", cfg.toString(), "--root", root);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("#838"), r.err());
    }

    @Test
    void modelNamesCannotLeaveTheRepository() throws Exception {
        Map<String, String> before = RepoFiles.snapshot(project.root());
        for (String bad : new String[] {"..", "a..b", "-x", "con fig"}) {
            CliRun r = CliRun.of("check", "--model", bad, "--root", root);
            assertEquals(2, r.code(), bad + ": " + r);
        }
        CliRun dots = CliRun.of("tlc", "a..b", "--root", root);
        assertTrue(dots.err().contains("is not a model name"), dots.err());
        CliRun outside = CliRun.of("tlc", "../../evil", "--root", root);
        assertEquals(2, outside.code(), outside.toString());
        assertTrue(outside.err().contains("no configuration file"), outside.err());
        CliRun trace = CliRun.of("explain", "..", "--root", root);
        assertEquals(2, trace.code(), trace.toString());
        assertEquals(Set.of(), RepoFiles.changed(before, RepoFiles.snapshot(project.root())));
    }

    @Test
    void eachCommandsHelpListsOnlyItsOwnOptions() {
        CliRun tlc = CliRun.of("tlc", "--help");
        assertEquals(0, tlc.code());
        for (String absent : new String[] {"--all", "--model", "--json", "--accept"}) assertFalse(tlc.out().contains(absent), tlc.out());
        for (String present : new String[] {"--invariant", "--expect", "--log", "--heap", "exit codes"}) assertTrue(tlc.out().contains(present), tlc.out());
        CliRun list = CliRun.of("list", "--help");
        assertEquals(0, list.code());
        assertFalse(list.out().contains("xe driver, merged kernel"), "list --help prints help, not the list: " + list.out());
        for (String cmd : new String[] {"check", "export", "explain", "diagram", "replay", "refine", "stress"}) {
            CliRun r = CliRun.of(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().contains("exit codes"), cmd + ": " + r.out());
        }
        assertFalse(CliRun.of("export", "--help").out().contains("--accept"));
    }

    @Test
    void versionNamesTheToolTlcAndTheSpec() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().matches("(?s)mmu-check \\d+\\.\\d+\\.\\d+.*"), r.out());
        assertTrue(r.out().contains("Version 2.18") && r.out().contains("spec: sha256:"), r.out());
    }
}
