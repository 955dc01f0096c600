package dev.mmucheck.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mmucheck.TestProject;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfTrace;

/** Runs the real TLC (in a child JVM) on small models. */
class TlcRunnerTest {
    @TempDir Path work;
    private final Project project = TestProject.get();

    @Test
    void aMutationRunReportsTheBrokenInvariantWithATypedTrace() throws Exception {
        TlcResult r = new TlcRunner(project.spec(), work, "1g").run("M6", project.cfg("M6"), 1, Map.of("model", "M6"), l -> { });
        assertEquals("violation", r.outcome());
        assertEquals("EagainContract", r.property());
        assertEquals("invariant", r.kind());
        ItfTrace t = Itf.read(Path.of(r.traceFile()));
        assertEquals(r.traceSteps(), t.steps());
        assertTrue(t.states().get(0).get("pc") instanceof TlaValue.FunctionV, "pc is a function over process ids");
        assertEquals(new TlaValue.ModelValue("i2"),
                ((TlaValue.RecordV) t.states().get(t.steps()).get("step")).get("proc"), "the non-blockable invalidator moved last");
    }

    @Test
    void aMissingConfigurationIsNamed() {
        TlcStartException e = assertThrows(TlcStartException.class, () -> new TlcRunner(project.spec(), work, "1g")
                .run("nosuch", project.models().resolve("nosuch.cfg"), 1, Map.of(), l -> { }));
        assertTrue(e.getMessage().contains("nosuch.cfg"), e.getMessage());
    }

    @Test
    void aConfigurationTlcRejectsFailsWithTlcsReason(@TempDir Path cfgDir) throws Exception {
        Path cfg = cfgDir.resolve("broken.cfg");   // outside the checkout: TLC reads it through a relative path
        Files.writeString(cfg, Files.readString(project.cfg("default")).replace("SeqMod = 8", ""));
        TlcStartException e = assertThrows(TlcStartException.class,
                () -> new TlcRunner(project.spec(), work, "1g").run("broken", cfg, 1, Map.of(), l -> { }));
        assertTrue(e.getMessage().contains("SeqMod"), e.getMessage());
        assertTrue(e.getMessage().endsWith("log: " + work.resolve("broken/tlc.log")), e.getMessage());
    }
}
