package dev.mmucheck.tlc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLC child that hangs (as it did on a full disk, with a 0-byte result.json) is stopped by the
 * watchdog; a worker whose result or trace cannot be written exits at once; a result that is empty
 * is reported as such. The failing writes come from the worker's test hook {@code tlc.test.writes},
 * which acts after TLC has run.
 */
class TlcWatchdogTest {
    @TempDir Path base;
    private RunFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new RunFixture(base);
    }

    private TlcStartException failingRun(Duration noProgress, Duration bound, String model, String hook) {
        TlcRunner runner = new TlcRunner(f.project.spec(), f.work, "1g", noProgress);
        return assertTimeoutPreemptively(bound, () -> assertThrows(TlcStartException.class,
                () -> runner.run(model, f.project.cfg(model), 1, Map.of("model", model, TlcWorker.TEST_WRITES_KEY, hook), l -> { })),
                "the run must end by itself");
    }

    @Test
    void aChildThatMakesNoProgressIsStoppedAndTheMessageSaysSoWithTheLog() {
        long t0 = System.nanoTime();
        TlcStartException e = failingRun(Duration.ofSeconds(2), Duration.ofSeconds(45), "default", "hang-result");
        double took = (System.nanoTime() - t0) / 1e9;
        String m = e.getMessage();
        assertTrue(m.startsWith("model default: TLC made no progress for 2 s"), m);
        assertTrue(m.contains("log: " + f.log("default")), m);
        assertTrue(took < 40, "stopped after " + took + " s");
        RunFixture.assertNoWorkerLeft();
        RunFixture.assertNoScratch(f.dir("default"));
        f.assertNothingOutsideTheBuildFolderChanged();
    }

    @Test
    void aResultThatCannotBeWrittenEndsTheRunAtOnceWithTheReason() {
        // the watchdog's two minutes are not what ends this run: the worker exits by itself
        TlcStartException e = failingRun(Duration.ofSeconds(120), Duration.ofSeconds(40), "M1", "fail-result");
        String m = e.getMessage();
        assertTrue(m.startsWith("model M1: TLC exited with code " + TlcWorker.EXIT_FAILED + " and wrote no result"), m);
        assertTrue(m.contains("could not write the result file " + f.dir("M1").resolve("result.json")), m);
        assertTrue(m.contains("No space left on device"), m);
        assertTrue(m.contains("log: " + f.log("M1")), m);
        RunFixture.assertNoWorkerLeft();
        RunFixture.assertNoScratch(f.dir("M1"));
        f.assertNothingOutsideTheBuildFolderChanged();
    }

    @Test
    void aTraceThatCannotBeWrittenEndsTheRunAtOnceWithTheReason() {
        TlcStartException e = failingRun(Duration.ofSeconds(120), Duration.ofSeconds(40), "M1", "fail-trace");
        String m = e.getMessage();
        assertTrue(m.startsWith("model M1: TLC exited with code " + TlcWorker.EXIT_FAILED + " and wrote no result"), m);
        assertTrue(m.contains("could not write the trace file " + f.dir("M1").resolve("M1.itf.json")), m);
        assertTrue(m.contains("log: " + f.log("M1")), m);
        assertFalse(f.dir("M1").resolve("M1.itf.json").toFile().exists(), "no half-written trace");
        RunFixture.assertNoWorkerLeft();
        RunFixture.assertNoScratch(f.dir("M1"));
        f.assertNothingOutsideTheBuildFolderChanged();
    }

    @Test
    void anEmptyResultIsReportedAsEmptyNotAsAJsonStackTrace() {
        TlcStartException e = failingRun(Duration.ofSeconds(120), Duration.ofSeconds(40), "M1", "empty-result");
        String m = e.getMessage();
        assertTrue(m.startsWith("model M1: TLC's result " + f.dir("M1").resolve("result.json") + " is empty"), m);
        assertTrue(m.contains("log: " + f.log("M1")), m);
        assertFalse(m.contains("jackson") || m.contains("No content to map"), m);
        RunFixture.assertNoWorkerLeft();
        RunFixture.assertNoScratch(f.dir("M1"));
        f.assertNothingOutsideTheBuildFolderChanged();
    }

    @Test
    void aTruncatedResultIsReportedAsUnreadableWithTheLogNotAsAJsonStackTrace() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(f.dir("M1"));
        java.nio.file.Path result = dir.resolve("result.json");
        java.nio.file.Files.writeString(result, "{\n  \"outcome\" : \"viol");   // cut off by a full disk
        TlcStartException e = assertThrows(TlcStartException.class, () -> TlcRunner.readResult("M1", 0,
                new java.util.ArrayDeque<>(java.util.List.of("progress: depth 3")), result, dir.resolve("tlc.log")));
        String m = e.getMessage();
        assertTrue(m.startsWith("model M1: TLC's result " + result + " is not readable ("), m);
        assertTrue(m.contains("TLC exited with code 0"), m);
        assertTrue(m.endsWith("no log: TLC did not get as far as writing " + dir.resolve("tlc.log")), m);
        assertFalse(m.contains("com.fasterxml"), m);
        f.assertNothingOutsideTheBuildFolderChanged();
    }

    @Test
    void theNoProgressTimeIsConfigurable() {
        assertTrue(new TlcRunner(f.project.spec(), f.work, "1g").noProgressTimeout().toSeconds() > 60,
                "the default must outlast TLC's one-minute progress reports");
        String old = System.getProperty(TlcRunner.NO_PROGRESS_PROPERTY);
        try {
            System.setProperty(TlcRunner.NO_PROGRESS_PROPERTY, "7.5");
            assertTrue(new TlcRunner(f.project.spec(), f.work, "1g").noProgressTimeout().equals(Duration.ofMillis(7500)));
            System.setProperty(TlcRunner.NO_PROGRESS_PROPERTY, "soon");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, TlcRunner::configuredNoProgress);
            assertTrue(e.getMessage().contains(TlcRunner.NO_PROGRESS_PROPERTY) && e.getMessage().contains("soon"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty(TlcRunner.NO_PROGRESS_PROPERTY);
            else System.setProperty(TlcRunner.NO_PROGRESS_PROPERTY, old);
        }
    }
}
