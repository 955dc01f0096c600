package dev.mmucheck.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLC's child JVM ends with the run, however the run ends: when the mmu-check JVM is stopped
 * (SIGTERM, SIGINT) or killed (SIGKILL), and when the running thread is interrupted; and TLC's
 * scratch folders (states-*, tmp) go on every path, including leftovers of a killed run.
 * The long runs use the scale model (minutes of TLC), stopped a moment after TLC starts.
 */
class TlcChildLifetimeTest {
    @TempDir Path base;
    private RunFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new RunFixture(base);
    }

    private enum Stop { TERM, INT, KILL }

    /** Starts a JVM that runs scale through TlcRunner, waits until TLC searches, and stops that JVM. */
    private void stopTheParent(Stop how) throws Exception {
        String model = "scale";
        Path out = base.resolve("out/runner-" + how + ".txt");
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RunnerMain.class.getName(),
                f.project.spec().toString(), f.work.toString(), model, f.project.cfg(model).toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        AtomicReference<ProcessHandle> worker = new AtomicReference<>();
        try {
            if (how == Stop.INT) {
                String status = Files.readString(Path.of("/proc/" + parent.pid() + "/status"));
                long ignored = status.lines().filter(l -> l.startsWith("SigIgn:")).map(l -> Long.parseLong(l.substring(7).trim(), 16))
                        .findFirst().orElse(0L);
                Assumptions.assumeTrue((ignored & 0x2) == 0, "SIGINT is ignored in this environment, so the JVM cannot see it");
            }
            RunFixture.await(60_000, () -> {
                List<ProcessHandle> w = RunFixture.workersUnder(parent.toHandle());
                if (!w.isEmpty()) worker.set(w.get(0));
                return worker.get() != null && RunFixture.logSays(f.log(model), "Starting...");
            }, () -> "TLC did not start; the runner's output: " + read(out));
            assertTrue(worker.get().isAlive(), "TLC is running when its parent is stopped");
            assertFalse(RunFixture.scratch(f.dir(model)).isEmpty(), "TLC has its states folder while it runs");
            switch (how) {
                case TERM -> parent.destroy();
                case KILL -> parent.destroyForcibly();
                case INT -> assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(parent.pid())).start().waitFor());
            }
            assertTrue(parent.waitFor(30, TimeUnit.SECONDS), "the parent JVM ends");
            if (how != Stop.KILL) {
                // the shutdown hook stops TLC before the parent JVM is gone
                assertFalse(worker.get().isAlive(), "TLC is gone when its parent is");
            }
            CompletableFuture<ProcessHandle> gone = worker.get().onExit();
            gone.get(10, TimeUnit.SECONDS);
            assertFalse(worker.get().isAlive());
            RunFixture.await(10_000, () -> RunFixture.scratch(f.dir(model)).isEmpty(),
                    () -> "TLC's scratch is left: " + RunFixture.scratch(f.dir(model)));
            f.assertNothingOutsideTheBuildFolderChanged();
        } finally {
            parent.destroyForcibly();
            if (worker.get() != null) worker.get().destroyForcibly();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }

    @Test
    void sigtermOfTheParentStopsTlc() throws Exception {
        stopTheParent(Stop.TERM);
    }

    @Test
    void sigintOfTheParentStopsTlc() throws Exception {
        stopTheParent(Stop.INT);
    }

    @Test
    void sigkillOfTheParentStopsTlc() throws Exception {
        stopTheParent(Stop.KILL);
    }

    @Test
    void anInterruptedRunStopsTlcAndRemovesItsScratch() throws Exception {
        String model = "scale";
        TlcRunner runner = new TlcRunner(f.project.spec(), f.work, "1g", Duration.ofSeconds(120));
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                runner.run(model, f.project.cfg(model), 1, Map.of(), l -> { });
                ended.complete(null);
            } catch (Throwable e) {
                ended.complete(e);
            }
        });
        t.start();
        RunFixture.await(60_000, () -> RunFixture.logSays(f.log(model), "Starting..."), () -> "TLC did not start");
        assertEquals(1, RunFixture.workersUnder(ProcessHandle.current()).size());
        t.interrupt();
        Throwable e = ended.get(30, TimeUnit.SECONDS);
        assertTrue(e instanceof TlcStartException, String.valueOf(e));
        assertEquals("model scale: interrupted, so TLC was stopped. log: " + f.log(model), e.getMessage());
        RunFixture.assertNoWorkerLeft();
        RunFixture.assertNoScratch(f.dir(model));
        f.assertNothingOutsideTheBuildFolderChanged();
    }

    @Test
    void scratchIsRemovedAfterAPassAViolationAndAnErrorAndLeftoversOfAKilledRunToo() throws Exception {
        TlcRunner runner = new TlcRunner(f.project.spec(), f.work, "1g");
        for (String model : List.of("default", "M1", "bad")) {
            // what a killed run leaves
            Files.createDirectories(f.dir(model).resolve("states-25-11-26-old"));
            Files.writeString(f.dir(model).resolve("states-25-11-26-old/nodes_0"), "x");
            Files.createDirectories(f.dir(model).resolve("tmp"));
            Files.writeString(f.dir(model).resolve("tmp/TLC.tla"), "x");
            Files.writeString(f.dir(model).resolve("result.json.tmp"), "{");
        }
        assertTrue(runner.run("default", f.project.cfg("default"), 2, Map.of(), l -> { }).passed());
        RunFixture.assertNoScratch(f.dir("default"));
        assertTrue(runner.run("M1", f.project.cfg("M1"), 1, Map.of(), l -> { }).violated());
        RunFixture.assertNoScratch(f.dir("M1"));
        assertTrue(Files.isRegularFile(f.dir("M1").resolve("M1.itf.json")), "the counterexample stays");
        Path bad = base.resolve("out/bad.cfg");
        Files.writeString(bad, Files.readString(f.project.cfg("default")).replace("SeqMod = 8", ""));
        assertThrows(TlcStartException.class, () -> runner.run("bad", bad, 1, Map.of(), l -> { }));
        RunFixture.assertNoScratch(f.dir("bad"));
        f.assertNothingOutsideTheBuildFolderChanged();
    }

    @Test
    void aSecondRunOfTheSameModelIsRefusedWhileTheFirstRuns() throws Exception {
        String model = "scale";
        TlcRunner runner = new TlcRunner(f.project.spec(), f.work, "1g", Duration.ofSeconds(120));
        Thread t = new Thread(() -> {
            try {
                runner.run(model, f.project.cfg(model), 1, Map.of(), l -> { });
            } catch (Exception e) {
                // interrupted below
            }
        });
        t.start();
        try {
            RunFixture.await(60_000, () -> RunFixture.logSays(f.log(model), "Starting..."), () -> "TLC did not start");
            TlcStartException e = assertThrows(TlcStartException.class,
                    () -> runner.run(model, f.project.cfg(model), 1, Map.of(), l -> { }));
            assertTrue(e.getMessage().startsWith("model scale: another run of this model is using " + f.dir(model)), e.getMessage());
            assertEquals(1, RunFixture.workersUnder(ProcessHandle.current()).size(), "the first run goes on");
            assertFalse(RunFixture.scratch(f.dir(model)).isEmpty(), "the first run's states folder is still there");
        } finally {
            t.interrupt();
            t.join(30_000);
        }
        RunFixture.assertNoWorkerLeft();
        f.assertNothingOutsideTheBuildFolderChanged();
    }
}
