package dev.mmucheck.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a failed run says: TLC's error report whole (the undefined name, the parser's line and
 * column), always the log's path, and only this run's output, never an earlier run's log.
 */
class TlcErrorMessageTest {
    @TempDir Path base;
    private RunFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new RunFixture(base);
    }

    private TlcStartException failure(TlcRunner runner, String name, Path cfg, Map<String, String> meta) {
        return assertThrows(TlcStartException.class, () -> runner.run(name, cfg, 1, meta, l -> { }));
    }

    private TlcRunner runner(Path spec, String heap) {
        return new TlcRunner(spec, f.work, heap);
    }

    @Test
    void anUndefinedInvariantIsNamedWithTheLogPath() throws Exception {
        Path cfg = base.resolve("out/undef.cfg");
        String text = Files.readString(f.project.cfg("default"));
        assertTrue(text.contains("    NoNullFinishCall\n"));
        Files.writeString(cfg, text.replace("    NoNullFinishCall\n", "    NoSuchInvariantX\n"));
        TlcStartException e = failure(runner(f.project.spec(), "1g"), "undef", cfg, Map.of());
        String m = e.getMessage();
        assertTrue(m.startsWith("model undef: TLC stopped with code "), m);
        assertTrue(m.contains("The invariant NoSuchInvariantX specified in the configuration file is not defined in the specification"), m);
        assertTrue(m.endsWith("log: " + f.log("undef")), m);
        RunFixture.assertNoScratch(f.dir("undef"));
        f.assertNothingOutsideTheBuildFolderChanged();
    }

    /** A copy of specs/ in base/out with one line of GpuDriver.tla replaced; returns the line's number. */
    private int breakSpec(String replaceWhat, String with) throws IOException {
        Path copy = Files.createDirectories(base.resolve("out/specs"));
        try (Stream<Path> s = Files.list(f.project.specs())) {
            for (Path p : s.toList()) Files.copy(p, copy.resolve(p.getFileName()));
        }
        Path driver = copy.resolve("GpuDriver.tla");
        List<String> lines = Files.readAllLines(driver);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(replaceWhat)) {
                lines.set(i, lines.get(i).replace(replaceWhat, with));
                Files.write(driver, lines);
                return i + 1;
            }
        }
        throw new AssertionError("no '" + replaceWhat + "' in " + driver);
    }

    @Test
    void aSyntaxErrorGivesTheParsersLineAndColumnAndTheLogPath() throws Exception {
        int line = breakSpec("LET n == cursor[i]", "LET n == cursor[i] +* )");
        TlcStartException e = failure(runner(base.resolve("out/specs/MC.tla"), "1g"), "syntax", f.project.cfg("default"), Map.of());
        String m = e.getMessage();
        assertTrue(m.startsWith("model syntax: TLC stopped with code "), m);
        assertTrue(m.contains("***Parse Error***"), m);
        assertTrue(m.contains("Encountered \")\" at line " + line + ", column "), m);
        assertTrue(m.contains("Could not parse module GpuDriver"), m);
        assertTrue(m.endsWith("log: " + f.log("syntax")), m);
        RunFixture.assertNoScratch(f.dir("syntax"));
        f.assertNothingOutsideTheBuildFolderChanged();
    }

    @Test
    void aSemanticErrorIsShownOnceWithItsPlace() throws Exception {
        int line = breakSpec("LET n == cursor[i]", "LET n == cursorZZ[i]");
        TlcStartException e = failure(runner(base.resolve("out/specs/MC.tla"), "1g"), "semantic", f.project.cfg("default"), Map.of());
        String m = e.getMessage();
        assertTrue(m.contains("line " + line + ", col 14 to line " + line + ", col 21 of module GpuDriver"), m);
        assertTrue(m.contains("Unknown operator: `cursorZZ'"), m);
        assertEquals(1, m.split("Unknown operator", -1).length - 1, "SANY repeats it for every module above; shown once: " + m);
        assertTrue(m.endsWith("log: " + f.log("semantic")), m);
        f.assertNothingOutsideTheBuildFolderChanged();
    }

    @Test
    void aTlcThatCannotStartShowsItsOwnOutputNotTheLastRunsLog() throws Exception {
        TlcResult ok = runner(f.project.spec(), "1g").run("default", f.project.cfg("default"), 1, Map.of(), l -> { });
        assertTrue(ok.passed());
        assertTrue(Files.readString(f.log("default")).contains("Model checking completed"));
        TlcStartException e = failure(runner(f.project.spec(), "garbage"), "default", f.project.cfg("default"), Map.of());
        String m = e.getMessage();
        assertTrue(m.startsWith("model default: TLC exited with code "), m);
        assertTrue(m.contains("Invalid maximum heap size: -Xmxgarbage"), m);
        assertTrue(m.contains("no log: TLC did not get as far as writing " + f.log("default")), m);
        assertFalse(m.contains("Model checking completed") || m.contains("TLC2 Version") || m.contains("distinct states"), m);
        assertFalse(Files.exists(f.log("default")), "the first run's log is gone");
        assertFalse(Files.exists(f.dir("default").resolve("result.json")), "the first run's result is gone");
        RunFixture.assertNoScratch(f.dir("default"));
        f.assertNothingOutsideTheBuildFolderChanged();
    }

    @Test
    void anOptionTlcRejectsShowsThisRunsComplaintNotTheLastRunsLog() throws Exception {
        TlcRunner runner = runner(f.project.spec(), "1g");
        assertTrue(runner.run("M1", f.project.cfg("M1"), 1, Map.of(), l -> { }).violated());
        TlcStartException e = failure(runner, "M1", f.project.cfg("M1"), Map.of("tlc.extra", "-nosuchoption"));
        String m = e.getMessage();
        assertTrue(m.startsWith("model M1: TLC rejected its parameters"), m);
        assertTrue(m.contains("unrecognized option: -nosuchoption"), m);
        assertTrue(m.endsWith("log: " + f.log("M1")), m);
        assertFalse(m.contains("is violated") || m.contains("State 1"), m);
        assertFalse(Files.exists(f.dir("M1").resolve("M1.itf.json")), "the first run's trace is gone");
        f.assertNothingOutsideTheBuildFolderChanged();
    }

    @Test
    void aFolderThatCannotBePreparedIsAStartFailureThatSaysWhere() throws Exception {
        Files.writeString(f.dir("default"), "a file where the model's folder should be");
        TlcStartException e = failure(runner(f.project.spec(), "1g"), "default", f.project.cfg("default"), Map.of());
        String m = e.getMessage();
        assertTrue(m.startsWith("model default: cannot prepare TLC's folder " + f.dir("default")), m);
        assertTrue(m.contains("TLC was not started, so there is no log"), m);
        RunFixture.assertNoWorkerLeft();
        f.assertNothingOutsideTheBuildFolderChanged();
    }

    @Test
    void theErrorBlockStartsAtTheErrorAndDropsRepeats() {
        List<String> log = List.of("TLC2 Version 2.18", "Parsing file /x/MC.tla", "Semantic processing of module A",
                "Semantic errors:", "", "*** Errors: 1", "line 3, col 1 to line 3, col 2 of module A", "Unknown operator: `q'.",
                "Semantic processing of module B", "Semantic errors:", "", "*** Errors: 1",
                "line 3, col 1 to line 3, col 2 of module A", "Unknown operator: `q'.", "Starting... (2026)",
                "Error: Parsing or semantic analysis failed.", "Finished in 00s at (2026)");
        assertEquals(List.of("Semantic errors:", "*** Errors: 1", "line 3, col 1 to line 3, col 2 of module A",
                "Unknown operator: `q'.", "Error: Parsing or semantic analysis failed."), TlcRunner.errorBlock(log));
        assertEquals(List.of(), TlcRunner.errorBlock(List.of("TLC2 Version 2.18", "Model checking completed. No error has been found.")));
    }
}
