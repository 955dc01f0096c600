package dev.mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;
import dev.mmucheck.explain.Catalogue;
import dev.mmucheck.explain.Explainer;
import dev.mmucheck.modelcheck.Checker;
import dev.mmucheck.modelcheck.Manifest;
import dev.mmucheck.modelcheck.ModelEntry;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.SpecVersion;
import dev.mmucheck.trace.Itf;

/** check --report: Markdown for a cover letter whose every figure is the run's, the manifest's or the trace's own. */
class CoverLetterReportTest {
    private final Project project = TestProject.get();

    @Test
    void theReportGivesTheRunsFiguresWitnessesAndFindings() throws Exception {
        CliRun r = CliRun.of("check", "M16", "wrap-k1-m4", "--report", "--root", project.root().toString());
        assertEquals(0, r.code(), r.toString());
        String md = r.out();
        assertTrue(md.startsWith("### Model checking with mmu-check"), md);
        assertTrue(md.contains(Checker.TLC_NAME) && md.contains(SpecVersion.of(project.specs())), md);
        String m16 = Catalogue.read(project.specs().resolve("CONTRACT.md")).change("M16").orElseThrow();
        assertTrue(md.contains("- Variant `M16`: " + m16), md);
        assertTrue(md.contains("- Variant `none`: the code as merged"), md);

        Manifest manifest = Manifest.read(project.manifest());
        ModelEntry wrap = manifest.find("wrap-k1-m4").orElseThrow();
        assertTrue(md.contains(String.format("| `wrap-k1-m4` | none | pass | pass | %,d |", wrap.distinct())), "the pass's state count:\n" + md);
        assertTrue(md.contains("| `M16` | M16 | NoSleepInNonBlockable | violated NoSleepInNonBlockable |"), md);

        String witnesses = md.lines().filter(l -> l.startsWith("- `wrap-k1-m4`: ")).findFirst().orElseThrow();
        assertTrue(witnesses.contains("`Witness_TwoGpuPipelining`"), "a witness a single-notifier model cannot reach is listed as missed: " + witnesses);
        for (String w : wrap.witnesses()) assertFalse(witnesses.contains("`" + w + "`"), w + " is required, so reached: " + witnesses);

        String culprit = Explainer.of(project, Itf.read(project.counterexample("M16"))).culprit().summary();
        assertTrue(md.contains("- `M16` breaks `NoSleepInNonBlockable` in " + manifest.find("M16").orElseThrow().steps() + " steps: " + culprit
                + " (as expected)"), md);
        assertTrue(md.contains("**What the model abstracts away:**\n\n" + CoverLetterReport.abstractions(project)), md);
        assertTrue(CoverLetterReport.abstractions(project).contains("Memory ordering"), "README's abstraction list was not found");
        assertTrue(r.err().contains("wrap-k1-m4"), "the table goes to standard error: " + r.err());
    }
}
