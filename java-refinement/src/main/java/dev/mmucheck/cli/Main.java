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
import dev.mmucheck.tlc.TlcStartException;
import dev.mmucheck.trace.Explainer;

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
                case "stress" -> JavaCommands.stress(rest, out, err);
                case "replay" -> JavaCommands.replay(rest, out, err);
                case "refine" -> JavaCommands.refine(rest, out, err);
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

    static Project project(CommandLine cl) {
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
        Traces loaded = Traces.load(project, arg);
        loaded.staleness(project).ifPresent(why -> err.println("note: " + why));
        Explainer.explain(loaded.trace(), out);
        return OK;
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
