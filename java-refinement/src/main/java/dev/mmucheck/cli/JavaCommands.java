package dev.mmucheck.cli;

import static dev.mmucheck.cli.Main.MISMATCH;
import static dev.mmucheck.cli.Main.OK;
import static dev.mmucheck.cli.Main.USAGE;
import static dev.mmucheck.cli.Main.project;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

import dev.mmucheck.modelcheck.Manifest;
import dev.mmucheck.modelcheck.ModelEntry;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.TlcStartException;
import dev.mmucheck.trace.ItfTrace;

/**
 * The commands that run the Java reference implementation: {@code stress} (many real threads,
 * oracle on), {@code replay} (drive it along a TLC trace, states compared) and {@code refine}
 * (TLC draws random behaviours, each replayed). Exit codes as {@link Main} says.
 */
final class JavaCommands {
    private JavaCommands() {}

    static int stress(String[] args, PrintStream out, PrintStream err) throws ParseException {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("ops").hasArg().argName("N").desc("operations (default 1000000)").build());
        o.addOption(Option.builder().longOpt("mutation").hasArgs().argName("ID").desc("switch on these mutations (M1 ... D9)").build());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("random seed (default 1)").build());
        o.addOption(Option.builder().longOpt("root").hasArg().argName("DIR").desc("repository root (not needed here)").build());
        o.addOption(Option.builder("h").longOpt("help").desc("this help").build());
        CommandLine cl = new DefaultParser().parse(o, args);
        if (cl.hasOption("help")) {
            Main.help(out, "mmu-check stress [options]", o, "\nRuns the Java reference implementation on many real threads with the oracle on.\n"
                    + "exit codes: 0 no property broken and no watchdog; 1 a property broken, a deadlock or lost wake-up, or the time limit; 2 bad usage");
            return OK;
        }
        dev.mmucheck.kernel.KernelConfig k = dev.mmucheck.kernel.KernelConfig.merged();
        if (cl.hasOption("mutation")) {
            for (String id : cl.getOptionValues("mutation")) {
                k = k.with(dev.mmucheck.kernel.Mutation.byId(id).orElseThrow(() -> new IllegalArgumentException(
                        "unknown mutation '" + id + "'; known: " + java.util.Arrays.toString(dev.mmucheck.kernel.Mutation.values()))));
            }
        }
        long ops;
        try {
            ops = Long.parseLong(cl.getOptionValue("ops", "1000000"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ops: expected a number, got '" + cl.getOptionValue("ops") + "'");
        }
        dev.mmucheck.machine.StressRun.Settings st = dev.mmucheck.machine.StressRun.Settings.standard(k, ops)
                .withSeed(Long.parseLong(cl.getOptionValue("seed", "1")));
        err.println("stress: " + ops + " operations, mutations " + k.mutations() + " ...");
        dev.mmucheck.machine.StressRun.Result r;
        try {
            r = dev.mmucheck.machine.StressRun.run(st);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return MISMATCH;
        }
        out.println(r.figures());
        if (r.watchdog() != null) out.println("WATCHDOG: " + r.watchdog());
        r.violations().stream().limit(5).forEach(v -> out.println("VIOLATED " + v));
        return r.violations().isEmpty() && r.watchdog() == null && !r.timedOut() ? OK : MISMATCH;
    }

    static int replay(String[] args, PrintStream out, PrintStream err) throws ParseException, IOException {
        Options opts = new Options();
        opts.addOption(Option.builder().longOpt("without-mutation").desc("replay on the code as merged (expect a divergence)").build());
        opts.addOption(Option.builder().longOpt("allow-stale").desc("replay a trace from another spec version").build());
        opts.addOption(Option.builder().longOpt("all").desc("every committed counterexample, one line each, and the steps per second").build());
        opts.addOption(Option.builder().longOpt("root").hasArg().argName("DIR").desc("repository root").build());
        opts.addOption(Option.builder("h").longOpt("help").desc("this help").build());
        CommandLine cl = new DefaultParser().parse(opts, args);
        if (cl.hasOption("help") || (cl.getArgList().size() != 1 && !cl.hasOption("all"))) {
            Main.help(cl.hasOption("help") ? out : err, "mmu-check replay TRACE | --all", opts,
                    "\nTRACE: an ITF file (anywhere: its configuration is the one its #meta.config names, or NAME.cfg beside NAME.itf.json),\n"
                            + "a model whose counterexample is committed, or a run of `mmu-check tlc`. A configuration that is not a manifest\n"
                            + "model is given its Java form from its constants.\n"
                            + "exit codes: 0 every step matched (with --all --without-mutation: every mutation trace diverged and every other\n"
                            + "matched); 1 a divergence (or, with --without-mutation, a mutation trace the merged code follows);\n"
                            + "2 bad usage or input: unknown model, malformed or mistyped trace, a trace of another spec version");
            return cl.hasOption("help") ? OK : USAGE;
        }
        Project project = project(cl);
        if (cl.hasOption("all")) return replayAll(project, cl.hasOption("without-mutation"), out, err);
        String arg = cl.getArgList().get(0);
        Traces loaded = Traces.load(project, arg);
        Path file = loaded.file();
        ItfTrace t = loaded.trace();
        Optional<String> stale = loaded.staleness(project);
        if (stale.isPresent() && !cl.hasOption("allow-stale")) {
            err.println("mmu-check replay: " + stale.get() + "; regenerate it (make export) or pass --allow-stale");
            return USAGE;
        }
        String model = t.metaString("model");
        String mutation = t.metaString("mutation");
        boolean withMutation = mutation != null && !"none".equals(mutation) && !cl.hasOption("without-mutation");
        Manifest manifest = dev.mmucheck.modelcheck.ManifestValidator.load(project);
        Optional<ModelEntry> entry = manifest.find(model);
        Path cfg = loaded.config(project).orElseThrow(() -> new IllegalArgumentException(file + ": its configuration "
                + t.metaString("config") + " is not found, and no " + file.getFileName().toString().replaceFirst("\\.itf\\.json$", "")
                + ".cfg lies beside it: the Java form of the model comes from its constants"));
        dev.mmucheck.machine.MachineConfig c;
        if (entry.isPresent() && loaded.fromManifestModel(project)) {
            c = dev.mmucheck.machine.Models.of(project, entry.get(), withMutation);
        } else {
            // a configuration of one's own: the Java machine is built from its constants
            c = dev.mmucheck.machine.Models.fromConstants(model, dev.mmucheck.explain.ModelConstants.read(cfg, project.spec()), withMutation);
            out.println("the Java form of " + model + " is built from the constants of " + cfg);
        }
        out.printf("replaying %s (%d steps, %s) on the Java code%s%n", file, t.steps(), t.metaString("property"),
                withMutation ? " with " + mutation : " as merged");
        dev.mmucheck.refinement.TraceReplay.Result r;
        long t0 = System.nanoTime();
        try {
            r = dev.mmucheck.refinement.TraceReplay.replay(t, c, file.toString(), line -> out.println("  " + line));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return MISMATCH;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (r.divergence().isPresent()) {
            out.println("DIVERGED at " + r.divergence().get());
            return MISMATCH;
        }
        out.printf("the Java code took all %d steps with every variable equal to TLC's (%.0f steps/s); properties broken in Java: %s%n",
                r.steps(), r.steps() / Math.max(secs, 1e-9), r.violations().stream().map(v -> v.property()).distinct().toList());
        java.util.List<String> disagree = r.disagreements(checked(project, t, cfg), t.metaString("property"), t.metaString("kind"));
        disagree.forEach(x -> out.println("PROPERTIES DIFFER: " + x));
        return disagree.isEmpty() ? OK : MISMATCH;
    }

    static int refine(String[] args, PrintStream out, PrintStream err) throws ParseException, IOException, TlcStartException {
        Options opts = new Options();
        opts.addOption(Option.builder().longOpt("graph").desc("every edge of TLC's state graph, checked both ways at every state").build());
        opts.addOption(Option.builder().longOpt("random").hasArg().argName("N").desc("N random behaviours walked by one TLC process over its next-state function, TLC's verdict at every state; each driven through the Java code with the graph run's checks").build());
        opts.addOption(Option.builder().longOpt("depth").hasArg().argName("D").desc("with --random: at most D steps per behaviour (default 100000; the models' behaviours end long before)").build());
        opts.addOption(Option.builder().longOpt("behaviours").hasArg().argName("N").desc("without --graph: how many random behaviours (default 5)").build());
        opts.addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("with --random: the walks' seed; with --behaviours: TLC's first seed (default 1)").build());
        opts.addOption(Option.builder().longOpt("java-mutation").hasArgs().argName("ID").desc("switch on these mutations in the Java code only (J1 ... ; the spec runs as merged)").build());
        opts.addOption(Option.builder().longOpt("all").desc("with --graph and no MODEL: every passing quick-set model and every wrap-* model (a liveness model by its safety graph); "
                + "with --random N and no MODEL: every passing model of the full and scale sets but the wrap-* ones (those the graph run does not cover)").build());
        opts.addOption(Option.builder().longOpt("compare").hasArg().argName("HOW").desc("with --graph or --random: changed (default: the variables the Java code marked"
                + " changed, every variable at a state's first visit), full (every variable at every state), audit (full, and a variable that changed without"
                + " its mark is a divergence)").build());
        opts.addOption(Option.builder().longOpt("max-paths").hasArg().argName("N").desc("with --graph: run only the first N paths of the cover (a partial run)").build());
        opts.addOption(Option.builder().longOpt("max-divergences").hasArg().argName("N").desc("with --graph: stop after N divergences (default 1)").build());
        opts.addOption(Option.builder().longOpt("heap").hasArg().argName("SIZE").desc("TLC's heap (default 4g)").build());
        opts.addOption(Option.builder().longOpt("root").hasArg().argName("DIR").desc("repository root").build());
        opts.addOption(Option.builder("h").longOpt("help").desc("this help").build());
        CommandLine cl = new DefaultParser().parse(opts, args);
        if (cl.hasOption("help") || (cl.getArgList().size() != 1 && !cl.hasOption("all"))) {
            Main.help(cl.hasOption("help") ? out : err, "mmu-check refine MODEL [--graph | --random N] [options] | refine --graph --all | refine --random N --all", opts,
                    "\nWith --graph: TLC records the whole state graph of MODEL (a safety model of the manifest without SYMMETRY; one\n"
                            + "that breaks a property is recorded without its checks, breaking states included); paths that take every edge drive the Java code, which must take each step with every variable\n"
                            + "equal, block wherever the spec has no step for a process, and break no property.\n"
                            + "With --random N: one TLC process walks N random behaviours of MODEL (any model of the manifest, the large ones\n"
                            + "too) over its own next-state function, with its verdict (invariants, action properties) at every state; each\n"
                            + "behaviour drives the Java code with the same checks both ways, and the properties the Java state breaks must be TLC's.\n"
                            + "Otherwise (--behaviours): TLC's simulation mode, one TLC run per behaviour (a safety model\n"
                            + "of the manifest); each is replayed on Java.\n"
                            + "exit codes: 0 everything matched (with --graph: every edge taken); 1 a divergence; 2 bad usage or input;\n"
                            + "3 TLC failed to start or stopped without a result");
            return cl.hasOption("help") ? OK : USAGE;
        }
        if (cl.hasOption("compare")) {
            if (!cl.hasOption("graph") && !cl.hasOption("random")) {
                err.println("mmu-check refine: --compare goes with --graph or --random (a replay compares every variable at every step)");
                return USAGE;
            }
            try {
                compareOption(cl);   // before TLC runs: a typo should not cost a TLC run
            } catch (IllegalArgumentException x) {
                err.println("mmu-check refine: " + x.getMessage());
                return USAGE;
            }
        }
        if (cl.hasOption("all") && cl.hasOption("random")) {
            if (cl.hasOption("graph") || !cl.getArgList().isEmpty() || cl.hasOption("java-mutation")) {
                err.println("mmu-check refine --random N --all takes no model, no --graph and no --java-mutation");
                return USAGE;
            }
            return refineRandomAll(project(cl), cl, out, err);
        }
        if (cl.hasOption("all")) {
            if (!cl.hasOption("graph") || !cl.getArgList().isEmpty() || cl.hasOption("java-mutation")) {
                err.println("mmu-check refine --graph --all takes no model and no --java-mutation: it runs every passing quick-set model and every wrap-* model");
                return USAGE;
            }
            return refineGraphAll(project(cl), cl, out, err);
        }
        String model = dev.mmucheck.modelcheck.ModelNames.require(cl.getArgList().get(0), "model");
        Project project = project(cl);
        if (cl.hasOption("graph") && cl.hasOption("random")) {
            err.println("mmu-check refine: --graph and --random exclude each other");
            return USAGE;
        }
        if (cl.hasOption("graph")) return refineGraph(project, model, cl, out, err);
        if (cl.hasOption("random")) return refineRandom(project, model, cl, out, err);
        dev.mmucheck.machine.MachineConfig c = withJavaMutations(dev.mmucheck.machine.Models.of(project, model), cl);
        int n;
        long seed0;
        try {
            n = Integer.parseInt(cl.getOptionValue("behaviours", "5"));
            seed0 = Long.parseLong(cl.getOptionValue("seed", "1"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--behaviours and --seed take numbers: " + e.getMessage());
        }
        dev.mmucheck.refinement.TlcBehaviours sampler = new dev.mmucheck.refinement.TlcBehaviours(project, "2g");
        int diverged = 0;
        long steps = 0;
        double secs = 0;
        for (long seed = seed0; seed < seed0 + n; seed++) {
            err.printf("[%d/%d] %s: TLC draws a behaviour (seed %d)%n", seed - seed0 + 1, n, model, seed);
            ItfTrace t = sampler.sample(model, seed);
            long t0 = System.nanoTime();
            dev.mmucheck.refinement.TraceReplay.Result r;
            try {
                r = dev.mmucheck.refinement.TraceReplay.replay(t, c, model + "-" + seed);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return MISMATCH;
            }
            secs += (System.nanoTime() - t0) / 1e9;
            steps += r.matched();
            java.util.List<String> disagree = r.disagreements(checked(project, t, project.cfg(model)), null, null);
            if (r.divergence().isPresent() || !disagree.isEmpty()) diverged++;
            out.printf("%s seed %d: %d steps, %s%n", model, seed, r.steps(),
                    r.divergence().map(d -> "DIVERGED at " + d).orElse(disagree.isEmpty() ? "matched; Java broke nothing"
                            : "PROPERTIES DIFFER: " + String.join("; ", disagree)));
        }
        out.printf("%d behaviours, %d diverged; %,d steps replayed in %.2f s (%,.0f steps per second)%n", n, diverged, steps, secs,
                steps / Math.max(secs, 1e-9));
        return diverged == 0 ? OK : MISMATCH;
    }

    /** --compare HOW (default changed). */
    private static dev.mmucheck.refinement.GraphRefinement.Compare compareOption(CommandLine cl) {
        try {
            return dev.mmucheck.refinement.GraphRefinement.Compare.parse(cl.getOptionValue("compare", "changed"));
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException("--compare: " + x.getMessage());
        }
    }

    private static dev.mmucheck.machine.MachineConfig withJavaMutations(dev.mmucheck.machine.MachineConfig c, CommandLine cl) {
        if (!cl.hasOption("java-mutation")) return c;
        dev.mmucheck.kernel.KernelConfig k = c.kernel();
        for (String id : cl.getOptionValues("java-mutation")) {
            dev.mmucheck.kernel.Mutation m = dev.mmucheck.kernel.Mutation.byId(id).orElseThrow(() -> new IllegalArgumentException(
                    "unknown mutation '" + id + "'; known: " + java.util.Arrays.toString(dev.mmucheck.kernel.Mutation.values())));
            k = k.with(m);
        }
        return c.withKernel(k);
    }

    /**
     * refine MODEL --random N: N behaviours walked by one TLC process, each driven through the Java code
     * ({@link dev.mmucheck.refinement.GraphRefinement#runWalks}).
     */
    private static int refineRandom(Project project, String model, CommandLine cl, PrintStream out, PrintStream err)
            throws IOException, TlcStartException {
        long whole0 = System.nanoTime();
        Manifest manifest = dev.mmucheck.modelcheck.ManifestValidator.load(project);
        ModelEntry e = manifest.find(model).orElseThrow(() -> new IllegalArgumentException("unknown model '" + model + "': "
                + project.root().relativize(project.manifest()) + " does not list it"));
        int n, depth, maxDiv;
        long seed;
        try {
            n = Integer.parseInt(cl.getOptionValue("random"));
            depth = Integer.parseInt(cl.getOptionValue("depth", "100000"));
            seed = Long.parseLong(cl.getOptionValue("seed", "1"));
            maxDiv = Integer.parseInt(cl.getOptionValue("max-divergences", "1"));
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException("--random, --depth, --seed and --max-divergences take numbers: " + x.getMessage());
        }
        dev.mmucheck.machine.MachineConfig c = withJavaMutations(dev.mmucheck.machine.Models.of(project, e, true), cl);
        dev.mmucheck.refinement.RandomWalks walks = dev.mmucheck.refinement.RandomWalks.draw(project, e, n, seed, depth,
                cl.getOptionValue("heap", "2g"), err);
        dev.mmucheck.refinement.GraphRefinement.Summary sum;
        try {
            sum = dev.mmucheck.refinement.GraphRefinement.runWalks(walks, c, maxDiv, compareOption(cl), line -> err.println("    " + line));
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return MISMATCH;
        }
        double whole = (System.nanoTime() - whole0) / 1e9;
        double tlc = walks.tlc().seconds();
        for (var d : sum.divergences()) out.println("DIVERGED at " + d);
        out.printf("%s: %,d behaviours (ended: %s), %,d steps, %,d distinct states, %,d successors computed by TLC; %,d probes of processes with no step%n",
                model, walks.paths().size(), walks.endCounts(), walks.steps(), sum.states(), walks.tlc().generated(), sum.probes());
        out.printf("    TLC %.1f s (%,.0f behaviours/s, %,.0f steps/s, parsing included); Java %.1f s (%,.0f behaviours/s, %,.0f steps/s; %s; %s)%n",
                tlc, walks.paths().size() / Math.max(tlc, 1e-9), walks.steps() / Math.max(tlc, 1e-9), sum.seconds(),
                sum.paths() / Math.max(sum.seconds(), 1e-9), sum.stepsPerSecond(), sum.costs(), sum.comparison());
        out.printf("    whole run %.1f s (%,.0f behaviours/s end to end); %s%n", whole, walks.paths().size() / Math.max(whole, 1e-9),
                sum.ok() ? "every behaviour followed: every variable equal, conformance both ways, the same properties broken as TLC's verdict"
                        : sum.divergences().size() + " divergence(s)");
        return sum.ok() ? OK : MISMATCH;
    }

    /** refine --random N --all: every passing model of the full and scale sets but wrap-*, one after the other; a table at the end. */
    private static int refineRandomAll(Project project, CommandLine cl, PrintStream out, PrintStream err) throws IOException, TlcStartException {
        java.util.List<ModelEntry> models = dev.mmucheck.modelcheck.ManifestValidator.load(project).models().stream()
                .filter(e -> !e.quick() && e.expectsPass() && !e.name().startsWith("wrap-")).toList();
        java.util.List<String> rows = new java.util.ArrayList<>();
        int bad = 0;
        long t0 = System.nanoTime();
        for (int k = 0; k < models.size(); k++) {
            String m = models.get(k).name();
            out.printf("== %s (%d of %d; %.0f s so far)%n", m, k + 1, models.size(), (System.nanoTime() - t0) / 1e9);
            out.flush();
            long m0 = System.nanoTime();
            int code = refineRandom(project, m, cl, out, err);
            if (code != OK) bad++;
            rows.add(String.format("%-18s %8.1f s  %s", m, (System.nanoTime() - m0) / 1e9, code == OK ? "every behaviour followed" : "DIVERGED"));
        }
        out.println();
        rows.forEach(out::println);
        out.printf("%d models, %d diverged; %.0f s in all%n", models.size(), bad, (System.nanoTime() - t0) / 1e9);
        return bad == 0 ? OK : MISMATCH;
    }

    /** One model's graph run, as refine --graph --all lists it. */
    private record GraphOutcome(String model, int code, int states, int edges, long steps, double javaSeconds, double tlcSeconds, double wholeSeconds,
                                long variablesChanged) {}

    /**
     * refine --graph --all: every passing model of the quick set and every wrap-* model, edge for edge, one after the
     * other (a liveness model by its safety graph); a table at the end.
     */
    private static int refineGraphAll(Project project, CommandLine cl, PrintStream out, PrintStream err) throws IOException, TlcStartException {
        Manifest manifest = dev.mmucheck.modelcheck.ManifestValidator.load(project);
        java.util.List<ModelEntry> models = manifest.models().stream()
                .filter(e -> (e.quick() && e.expectsPass()) || e.name().startsWith("wrap-")).toList();
        java.util.List<GraphOutcome> done = new java.util.ArrayList<>();
        long t0 = System.nanoTime();
        for (int k = 0; k < models.size(); k++) {
            String m = models.get(k).name();
            out.printf("== %s (%d of %d; %.0f s so far)%n", m, k + 1, models.size(), (System.nanoTime() - t0) / 1e9);
            out.flush();
            done.add(graphRun(project, m, cl, out, err));
        }
        out.printf("%n%-14s %10s %10s %12s %9s %9s %9s  %s%n", "model", "states", "edges", "steps", "Java s", "TLC s", "whole s", "result");
        int bad = 0;
        for (GraphOutcome g : done) {
            if (g.code() != OK) bad++;
            out.printf("%-14s %,10d %,10d %,12d %9.1f %9.1f %9.1f  %s%n", g.model(), g.states(), g.edges(), g.steps(), g.javaSeconds(), g.tlcSeconds(),
                    g.wholeSeconds(), g.code() == OK ? "every edge, both ways" : "DIVERGED");
        }
        out.printf("%d models, %d diverged; %.0f s in all%n", done.size(), bad, (System.nanoTime() - t0) / 1e9);
        long changed = 0;
        for (GraphOutcome g : done) changed |= g.variablesChanged();
        java.util.List<String> still = new java.util.ArrayList<>();
        for (dev.mmucheck.scheduling.SpecVar v : dev.mmucheck.scheduling.SpecVar.values()) if ((changed & v.bit()) == 0) still.add(v.specName());
        still.remove(dev.mmucheck.scheduling.SpecVar.PC.specName());   // pc has no mark: it is recomputed at every state
        boolean audit = compareOption(cl) == dev.mmucheck.refinement.GraphRefinement.Compare.AUDIT && bad == 0;
        int marked = dev.mmucheck.scheduling.SpecVar.values().length - 1;
        if (still.isEmpty()) {
            out.printf("every one of the %d marked spec variables changed in some model%s%n", marked,
                    audit ? ", and each change carried its mark (the audit)" : "");
        } else {
            out.printf("marked spec variables no model changed (their change marks are not %s here): %s%n",
                    audit ? "audited" : "exercised", String.join(", ", still));
        }
        return bad == 0 ? OK : MISMATCH;
    }

    private static int refineGraph(Project project, String model, CommandLine cl, PrintStream out, PrintStream err)
            throws IOException, TlcStartException {
        return graphRun(project, model, cl, out, err).code();
    }

    private static GraphOutcome graphRun(Project project, String model, CommandLine cl, PrintStream out, PrintStream err)
            throws IOException, TlcStartException {
        long whole0 = System.nanoTime();
        Manifest manifest = dev.mmucheck.modelcheck.ManifestValidator.load(project);
        ModelEntry e = manifest.find(model).orElseThrow(() -> new IllegalArgumentException("unknown model '" + model + "': "
                + project.root().relativize(project.manifest()) + " does not list it"));
        dev.mmucheck.refinement.TlcGraphs.checkRecordable(project, e);
        int maxDiv, maxPaths;
        try {
            maxDiv = Integer.parseInt(cl.getOptionValue("max-divergences", "1"));
            maxPaths = Integer.parseInt(cl.getOptionValue("max-paths", String.valueOf(Integer.MAX_VALUE)));
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException("--max-divergences and --max-paths take numbers: " + x.getMessage());
        }
        // the spec runs with the model's mutation (if any), so the Java code does too
        dev.mmucheck.machine.MachineConfig c = withJavaMutations(dev.mmucheck.machine.Models.of(project, e, true), cl);
        dev.mmucheck.refinement.TlcGraphs.Recorded rec = dev.mmucheck.refinement.TlcGraphs.record(project, e, cl.getOptionValue("heap", "4g"), err);
        dev.mmucheck.tlc.TlcResult r = rec.tlc();
        dev.mmucheck.refinement.GraphRefinement.Summary sum;
        try {
            sum = dev.mmucheck.refinement.GraphRefinement.run(rec.graph(), c, rec.brokenInGraph(), rec.checked(), maxDiv, maxPaths,
                    compareOption(cl), line -> err.println("    " + line));
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return new GraphOutcome(model, MISMATCH, rec.graph().states().size(), rec.graph().edges().size(), 0, 0, r.seconds(), 0, 0);
        }
        double whole = (System.nanoTime() - whole0) / 1e9;
        for (var d : sum.divergences()) out.println("DIVERGED at " + d);
        out.printf("%s: %,d states, %,d edges, %,d taken (%.1f%%); %,d paths, %,d steps (%,d started by the controller, the others handed on thread to thread), %,d probes of processes with no step;%n",
                model, sum.states(), sum.edges(), sum.edgesTaken(), Math.floor(1000.0 * sum.edgesTaken() / Math.max(1, sum.edges())) / 10, sum.paths(),
                sum.steps(), sum.fromController(), sum.probes());
        out.printf("    %.1f s on Java (%,.0f steps per second; %s; %s; cover %.1f s), TLC's own %.1f s (ratio %.1f); %s%n", sum.seconds(),
                sum.stepsPerSecond(), sum.costs(), sum.comparison(), sum.coverSeconds(), r.seconds(), (sum.seconds() + sum.coverSeconds()) / Math.max(r.seconds(), 1e-9),
                !sum.divergences().isEmpty() ? sum.divergences().size() + " divergence(s)"
                        : sum.partial() ? "partial run (--max-paths " + sum.paths() + " of " + sum.pathsInCover() + "): conformance both ways on it"
                        : "conformance both ways at every state");
        out.printf("    whole refinement (TLC recording the graph, reading it, the cover, the Java run) %.1f s: %.1f times TLC's own time%n",
                whole, whole / Math.max(r.seconds(), 1e-9));
        return new GraphOutcome(model, sum.ok() ? OK : MISMATCH, sum.states(), sum.edges(), sum.steps(), sum.seconds(), r.seconds(), whole,
                sum.variablesChanged());
    }

    /**
     * Every committed counterexample. As merged, every trace must be followed; with {@code withoutMutation},
     * the trace of a mutation model must diverge (the mutation is what makes it possible) and any other must still be followed.
     */
    private static int replayAll(Project project, boolean withoutMutation, PrintStream out, PrintStream err) throws IOException {
        Manifest manifest = dev.mmucheck.modelcheck.ManifestValidator.load(project);
        long steps = 0;
        double secs = 0;
        int diverged = 0, n = 0, wrong = 0;
        for (ModelEntry e : manifest.models()) {
            if (e.expectsPass()) continue;
            ItfTrace t = Traces.load(project, e.name()).trace();
            dev.mmucheck.machine.MachineConfig c = dev.mmucheck.machine.Models.of(project, e, !withoutMutation);
            long t0 = System.nanoTime();
            dev.mmucheck.refinement.TraceReplay.Result r;
            try {
                r = dev.mmucheck.refinement.TraceReplay.replay(t, c, e.name());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return MISMATCH;
            }
            secs += (System.nanoTime() - t0) / 1e9;
            steps += r.matched();
            n++;
            if (r.divergence().isPresent()) diverged++;
            boolean mutated = !"none".equals(e.mutation());
            java.util.List<String> disagree = r.disagreements(checked(project, t, project.cfg(e.name())), t.metaString("property"), t.metaString("kind"));
            boolean expected = withoutMutation && mutated ? r.divergence().isPresent() : r.divergence().isEmpty() && disagree.isEmpty();
            if (!expected) wrong++;
            out.printf("%-12s %3d steps  %s%s%n", e.name(), r.steps(),
                    r.divergence().map(d -> "diverged at " + d).orElse("matched; Java broke " + r.violations().stream().map(v -> v.property()).distinct().toList()),
                    expected ? "" : withoutMutation && mutated ? "   UNEXPECTED: the trace needs mutation " + e.mutation() + ", yet the code as merged follows it"
                            : r.divergence().isPresent() ? "   UNEXPECTED: the Java code diverged" : "   UNEXPECTED: " + String.join("; ", disagree));
        }
        out.printf("%d traces, %d diverged%s, %d unexpected; %,d steps matched in %.2f s (%,.0f steps replayed per second, thread start-up included)%n",
                n, diverged, withoutMutation ? " (on the code as merged: every mutation trace must)" : "", wrong, steps, secs,
                steps / Math.max(secs, 1e-9));
        return wrong == 0 ? OK : MISMATCH;
    }


    /**
     * The properties TLC checked when it made trace {@code t}: those of the configuration its #meta names
     * (relative to the repository, or absolute), else of {@code fallback}; in the order TLC checks them.
     */
    static java.util.List<String> checked(Project project, ItfTrace t, Path fallback) throws IOException {
        Path cfg = fallback;
        String named = t.metaString("config");
        if (named != null && named.endsWith(".cfg")) {
            Path p = Path.of(named);
            Path resolved = p.isAbsolute() ? p : project.root().resolve(p);
            if (java.nio.file.Files.isRegularFile(resolved)) cfg = resolved;
        }
        dev.mmucheck.tlc.CfgFile c = dev.mmucheck.tlc.CfgFile.read(cfg);
        java.util.List<String> all = new java.util.ArrayList<>(c.invariants());
        all.addAll(c.properties());
        return all;
    }
}
