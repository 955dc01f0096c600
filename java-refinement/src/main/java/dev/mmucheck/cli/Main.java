package dev.mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.mmucheck.modelcheck.CheckOutcome;
import dev.mmucheck.modelcheck.Checker;
import dev.mmucheck.modelcheck.Manifest;
import dev.mmucheck.modelcheck.ModelEntry;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.SpecVersion;
import dev.mmucheck.tlc.TlcStartException;
import dev.mmucheck.trace.Explainer;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfFormatException;
import dev.mmucheck.trace.ItfTrace;

/**
 * mmu-check: the command line. Exit codes: 0 everything as the manifest says; 1 a model
 * gave another outcome; 2 bad usage or bad input (unknown model, malformed trace or manifest);
 * 3 TLC could not be started or stopped without a result.
 */
public final class Main {
    static final int OK = 0, MISMATCH = 1, USAGE = 2, TLC_FAILED = 3;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            usage(out);
            return args.length == 0 ? USAGE : OK;
        }
        String cmd = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (cmd) {
                case "check" -> check(rest, out, err, false);
                case "export" -> check(rest, out, err, true);
                case "tlc" -> tlc(rest, out, err);
                case "explain" -> explain(rest, out, err);
                case "list" -> list(rest, out, err);
                case "stress" -> stress(rest, out, err);
                case "replay" -> replay(rest, out, err);
                case "refine" -> refine(rest, out, err);
                default -> {
                    err.println("mmu-check: unknown command '" + cmd + "'");
                    usage(err);
                    yield USAGE;
                }
            };
        } catch (ParseException e) {
            err.println("mmu-check " + cmd + ": " + e.getMessage() + " (see mmu-check " + cmd + " --help)");
            return USAGE;
        } catch (TlcStartException e) {
            err.println("mmu-check " + cmd + ": " + e.getMessage());
            return TLC_FAILED;
        } catch (IOException | IllegalArgumentException e) {
            err.println("mmu-check " + cmd + ": " + e.getMessage());
            return USAGE;
        }
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: mmu-check COMMAND [options]   (COMMAND --help for its options)
                  check     run the quick set of models (or --all, or --model NAME) and compare with the manifest
                  export    like check, then write the counterexamples and figures into model-check/
                  tlc NAME  run one model and print TLC's verdict and its log
                  explain F print a counterexample (ITF) as steps
                  list      the models of the manifest
                  replay T  drive the Java code along a counterexample step by step, comparing every state
                  refine M  draw random behaviours of model M with TLC and replay each on the Java code
                  stress    run the Java reference implementation on many real threads, oracle on (--ops, --mutation)
                exit codes: 0 as the manifest says, 1 mismatch, 2 bad usage or input, 3 TLC failed to start""");
    }

    private static int stress(String[] args, PrintStream out, PrintStream err) throws ParseException {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("ops").hasArg().argName("N").desc("operations (default 1000000)").build());
        o.addOption(Option.builder().longOpt("mutation").hasArgs().argName("ID").desc("switch on these mutations (M1 ... D9)").build());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("random seed (default 1)").build());
        o.addOption(Option.builder("h").longOpt("help").desc("this help").build());
        CommandLine cl = new DefaultParser().parse(o, args);
        if (cl.hasOption("help")) {
            new HelpFormatter().printHelp("mmu-check stress", o);
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
        dev.mmucheck.machine.StressRun.Settings st = dev.mmucheck.machine.StressRun.Settings.standard(k, ops);
        st = new dev.mmucheck.machine.StressRun.Settings(st.kernel(), st.targetOps(), st.gpus(), st.invalidators(), st.reapers(),
                st.readers(), Long.parseLong(cl.getOptionValue("seed", "1")), st.timeLimit(), st.watchdog());
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

    private static Options checkOptions() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("all").desc("every model, not only the quick set").build());
        o.addOption(Option.builder().longOpt("model").hasArgs().argName("NAME").desc("only these models").build());
        o.addOption(Option.builder().longOpt("json").desc("print the results as JSON on standard output").build());
        o.addOption(Option.builder().longOpt("heap").hasArg().argName("SIZE").desc("TLC's heap (default 8g)").build());
        o.addOption(Option.builder().longOpt("root").hasArg().argName("DIR").desc("repository root (default: found from here)").build());
        o.addOption(Option.builder("h").longOpt("help").desc("this help").build());
        return o;
    }

    private static Project project(CommandLine cl) {
        return cl.hasOption("root") ? new Project(Path.of(cl.getOptionValue("root"))) : Project.locate(Path.of(""));
    }

    private static int check(String[] args, PrintStream out, PrintStream err, boolean export)
            throws ParseException, IOException, TlcStartException {
        Options opts = checkOptions();
        CommandLine cl = new DefaultParser().parse(opts, args);
        String name = export ? "export" : "check";
        if (cl.hasOption("help")) {
            new HelpFormatter().printHelp("mmu-check " + name, opts);
            return OK;
        }
        Project project = project(cl);
        Manifest manifest = Manifest.read(project.manifest());
        List<ModelEntry> models;
        if (cl.hasOption("model")) {
            models = new ArrayList<>();
            for (String n : cl.getOptionValues("model")) {
                models.add(manifest.find(n).orElseThrow(() -> new IllegalArgumentException(
                        "unknown model '" + n + "': " + project.root().relativize(project.manifest()) + " has "
                                + manifest.models().stream().map(ModelEntry::name).toList())));
            }
        } else {
            models = cl.hasOption("all") ? manifest.models() : manifest.quickSet();
        }
        PrintStream table = cl.hasOption("json") ? err : out;
        Checker checker = new Checker(project, manifest, cl.getOptionValue("heap", "8g"), err);
        List<CheckOutcome> outcomes = new ArrayList<>();
        Manifest updated = manifest;
        for (int k = 0; k < models.size(); k++) {
            CheckOutcome o = checker.check(models.get(k), k + 1, models.size());
            outcomes.add(o);
            if (export) {
                if (!o.model().expect().equals(o.result().verdict())) {
                    err.println("not exported: " + o.problems());
                } else {
                    updated = updated.with(checker.export(o));
                }
            }
        }
        if (export) {
            updated.write(project.manifest());
            err.println("wrote " + project.root().relativize(project.manifest()) + " and model-check/counterexamples/");
            outcomes = outcomes.stream().map(o -> new CheckOutcome(o.model(), o.result(), o.wallSeconds(),
                    o.model().expect().equals(o.result().verdict()) ? List.of() : o.problems())).toList();
        }
        Checker.printTable(outcomes, table);
        if (cl.hasOption("json")) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, outcomes);
            out.println();
        }
        return outcomes.stream().allMatch(CheckOutcome::ok) ? OK : MISMATCH;
    }

    private static int tlc(String[] args, PrintStream out, PrintStream err) throws ParseException, IOException, TlcStartException {
        Options opts = checkOptions();
        CommandLine cl = new DefaultParser().parse(opts, args);
        if (cl.hasOption("help") || cl.getArgList().size() != 1) {
            new HelpFormatter().printHelp("mmu-check tlc NAME", opts);
            return cl.hasOption("help") ? OK : USAGE;
        }
        String name = cl.getArgList().get(0);
        String[] checkArgs = cl.hasOption("root") ? new String[] {"--model", name, "--root", cl.getOptionValue("root")}
                : new String[] {"--model", name};
        int rc = check(checkArgs, out, err, false);
        Project project = project(cl);
        Path log = project.work().resolve(name).resolve("tlc.log");
        if (Files.isRegularFile(log)) {
            out.println("--- TLC's log (" + project.root().relativize(log) + ") ---");
            Files.readAllLines(log).forEach(out::println);
        }
        return rc;
    }

    private static int explain(String[] args, PrintStream out, PrintStream err) throws ParseException, IOException {
        Options opts = new Options();
        opts.addOption(Option.builder().longOpt("root").hasArg().argName("DIR").desc("repository root, to check the spec version").build());
        opts.addOption(Option.builder("h").longOpt("help").desc("this help").build());
        CommandLine cl = new DefaultParser().parse(opts, args);
        if (cl.hasOption("help") || cl.getArgList().size() != 1) {
            new HelpFormatter().printHelp("mmu-check explain FILE.itf.json (or a model name)", opts);
            return cl.hasOption("help") ? OK : USAGE;
        }
        Project project = project(cl);
        String arg = cl.getArgList().get(0);
        Path file = Files.exists(Path.of(arg)) ? Path.of(arg) : project.counterexample(arg);
        ItfTrace t;
        try {
            t = Itf.read(file);
        } catch (ItfFormatException e) {
            err.println("mmu-check explain: " + e.getMessage());
            return USAGE;
        }
        String now = SpecVersion.of(project.specs());
        if (!now.equals(t.metaString("specVersion")))
            err.println("note: " + file + " is from spec version " + t.metaString("specVersion") + ", the spec is now " + now);
        Explainer.explain(t, out);
        return OK;
    }

    private static int replay(String[] args, PrintStream out, PrintStream err) throws ParseException, IOException {
        Options opts = new Options();
        opts.addOption(Option.builder().longOpt("without-mutation").desc("replay on the code as merged (expect a divergence)").build());
        opts.addOption(Option.builder().longOpt("allow-stale").desc("replay a trace from another spec version").build());
        opts.addOption(Option.builder().longOpt("all").desc("every committed counterexample, one line each, and the steps per second").build());
        opts.addOption(Option.builder().longOpt("root").hasArg().argName("DIR").desc("repository root").build());
        opts.addOption(Option.builder("h").longOpt("help").desc("this help").build());
        CommandLine cl = new DefaultParser().parse(opts, args);
        if (cl.hasOption("help") || (cl.getArgList().size() != 1 && !cl.hasOption("all"))) {
            new HelpFormatter().printHelp("mmu-check replay FILE.itf.json (or a model name, or --all)", opts);
            return cl.hasOption("help") ? OK : USAGE;
        }
        Project project = project(cl);
        if (cl.hasOption("all")) return replayAll(project, cl.hasOption("without-mutation"), out, err);
        String arg = cl.getArgList().get(0);
        Path file = Files.exists(Path.of(arg)) ? Path.of(arg) : project.counterexample(arg);
        ItfTrace t;
        try {
            t = Itf.read(file);
        } catch (ItfFormatException e) {
            err.println("mmu-check replay: " + e.getMessage());
            return USAGE;
        }
        String now = SpecVersion.of(project.specs());
        if (!now.equals(t.metaString("specVersion")) && !cl.hasOption("allow-stale")) {
            err.println("mmu-check replay: " + file + " is from spec version " + t.metaString("specVersion") + ", the spec is now "
                    + now + "; regenerate it (make export) or pass --allow-stale");
            return USAGE;
        }
        String model = t.metaString("model");
        Manifest manifest = Manifest.read(project.manifest());
        ModelEntry e = manifest.find(model).orElseThrow(() -> new IllegalArgumentException(
                file + ": #meta.model is '" + model + "', which " + project.root().relativize(project.manifest()) + " does not list"));
        String base = e.base() != null ? e.base() : e.name();
        dev.mmucheck.machine.MachineConfig c = dev.mmucheck.machine.Models.base(base).orElseThrow(() -> new IllegalArgumentException(
                "model " + base + " has no Java form yet (dev.mmucheck.machine.Models knows " + dev.mmucheck.machine.Models.names() + ")"));
        String mutation = t.metaString("mutation");
        boolean withMutation = mutation != null && !"none".equals(mutation) && !cl.hasOption("without-mutation");
        if (withMutation) {
            c = c.withKernel(c.kernel().with(dev.mmucheck.kernel.Mutation.byId(mutation).orElseThrow(() ->
                    new IllegalArgumentException(file + ": unknown mutation '" + mutation + "' in #meta.mutation"))));
        }
        out.printf("replaying %s (%d steps, %s) on the Java code%s%n", file, t.steps(), t.metaString("property"),
                withMutation ? " with " + mutation : " as merged");
        dev.mmucheck.refinement.TraceReplay.Result r;
        long t0 = System.nanoTime();
        try {
            r = dev.mmucheck.refinement.TraceReplay.replay(t, c, model, line -> out.println("  " + line));
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
        return OK;
    }

    private static int refine(String[] args, PrintStream out, PrintStream err) throws ParseException, IOException, TlcStartException {
        Options opts = new Options();
        opts.addOption(Option.builder().longOpt("behaviours").hasArg().argName("N").desc("how many (default 5)").build());
        opts.addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("TLC's first seed (default 1)").build());
        opts.addOption(Option.builder().longOpt("root").hasArg().argName("DIR").desc("repository root").build());
        opts.addOption(Option.builder("h").longOpt("help").desc("this help").build());
        CommandLine cl = new DefaultParser().parse(opts, args);
        if (cl.hasOption("help") || cl.getArgList().size() != 1) {
            new HelpFormatter().printHelp("mmu-check refine MODEL  (one of default, dynamic, release, two-blockable, trylock-rest, prepatch)", opts);
            return cl.hasOption("help") ? OK : USAGE;
        }
        String model = cl.getArgList().get(0);
        dev.mmucheck.machine.MachineConfig c = dev.mmucheck.machine.Models.base(model).orElseThrow(() -> new IllegalArgumentException(
                "model '" + model + "' has no Java form (known: " + dev.mmucheck.machine.Models.names() + ")"));
        int n;
        long seed0;
        try {
            n = Integer.parseInt(cl.getOptionValue("behaviours", "5"));
            seed0 = Long.parseLong(cl.getOptionValue("seed", "1"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--behaviours and --seed take numbers: " + e.getMessage());
        }
        dev.mmucheck.refinement.TlcBehaviours sampler = new dev.mmucheck.refinement.TlcBehaviours(project(cl), "2g");
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
            if (r.divergence().isPresent()) diverged++;
            out.printf("%s seed %d: %d steps, %s%n", model, seed, r.steps(),
                    r.divergence().map(d -> "DIVERGED at " + d).orElse("matched; Java broke " + r.violations().stream().map(v -> v.property()).distinct().toList()));
        }
        out.printf("%d behaviours, %d diverged; %,d steps replayed in %.2f s (%,.0f steps per second)%n", n, diverged, steps, secs,
                steps / Math.max(secs, 1e-9));
        return diverged == 0 ? OK : MISMATCH;
    }

    private static int replayAll(Project project, boolean withoutMutation, PrintStream out, PrintStream err) throws IOException {
        Manifest manifest = Manifest.read(project.manifest());
        long steps = 0;
        double secs = 0;
        int diverged = 0, n = 0;
        for (ModelEntry e : manifest.models()) {
            if (e.expectsPass()) continue;
            ItfTrace t;
            try {
                t = Itf.read(project.counterexample(e.name()));
            } catch (ItfFormatException ex) {
                err.println("mmu-check replay: " + ex.getMessage());
                return USAGE;
            }
            String base = e.base() != null ? e.base() : e.name();
            dev.mmucheck.machine.MachineConfig c = dev.mmucheck.machine.Models.base(base).orElseThrow();
            if (!withoutMutation && !"none".equals(e.mutation())) c = c.withKernel(c.kernel().with(dev.mmucheck.kernel.Mutation.byId(e.mutation()).orElseThrow()));
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
            out.printf("%-12s %3d steps  %s%n", e.name(), r.steps(),
                    r.divergence().map(d -> "diverged at " + d).orElse("matched; Java broke " + r.violations().stream().map(v -> v.property()).distinct().toList()));
        }
        out.printf("%d traces, %d diverged; %,d steps matched in %.2f s (%,.0f steps replayed per second, thread start-up included)%n",
                n, diverged, steps, secs, steps / Math.max(secs, 1e-9));
        return diverged == 0 || withoutMutation ? OK : MISMATCH;
    }

    private static int list(String[] args, PrintStream out, PrintStream err) throws ParseException, IOException {
        Options opts = checkOptions();
        CommandLine cl = new DefaultParser().parse(opts, args);
        Manifest m = Manifest.read(project(cl).manifest());
        for (ModelEntry e : m.models())
            out.printf("%-14s %-5s %-28s %s%n", e.name(), e.quick() ? "quick" : "all", e.expect(), e.doc());
        return OK;
    }
}
