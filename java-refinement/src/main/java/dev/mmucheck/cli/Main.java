package dev.mmucheck.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

import dev.mmucheck.modelcheck.Checker;
import dev.mmucheck.modelcheck.Manifest;
import dev.mmucheck.modelcheck.ManifestValidator;
import dev.mmucheck.modelcheck.ModelEntry;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.SpecVersion;
import dev.mmucheck.tlc.TlcStartException;

/**
 * mmu-check: the command line. Exit codes: 0 everything as expected; 1 a model gave another
 * outcome, a figure changed, or the Java code diverged from TLC; 2 bad usage or bad input
 * (unknown model, malformed trace, manifest or configuration); 3 TLC could not be started or
 * stopped without a result. Each command's --help says what its codes mean for it.
 */
public final class Main {
    static final int OK = 0, MISMATCH = 1, USAGE = 2, TLC_FAILED = 3;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? USAGE : OK;
        }
        String cmd = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (cmd) {
                case "--version", "version" -> version(out);
                case "check" -> ModelCommands.check(rest, out, err, false);
                case "export" -> ModelCommands.check(rest, out, err, true);
                case "tlc" -> ModelCommands.tlc(rest, out, err);
                case "explain" -> explain(rest, out, err);
                case "diagram" -> DiagramCommand.run(rest, out, err);
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
                usage: mmu-check COMMAND [options]   (mmu-check COMMAND --help for its options and exit codes)
                  check [MODEL...]   run the quick set (or --all, or the models or .cfg files named) and hold each
                                     against model-check/manifest.json; --accept records changed figures
                  export [MODEL...]  rerun every model but the scale ones and record figures and counterexamples
                  tlc MODEL          run one model or .cfg file (any path): verdict, counterexample path, --log
                  explain TRACE      a counterexample for people: the model, each step in kernel terms, the culprit
                                     (a file, a model, or a run under build/tlc)
                  diagram TRACE      the same as a Mermaid sequence diagram in a Markdown page; --all writes
                                     model-check/diagrams/ for every committed trace, --check compares them
                  list               the models of the manifest: set, expected outcome, what each is
                  replay TRACE       drive the Java code along a counterexample step by step, comparing every state
                  refine MODEL       draw random behaviours of a model with TLC and replay each on the Java code;
                                     --graph: every edge of its state graph, both ways; --graph --all: every
                                     passing quick-set model and every wrap-* model
                  stress             run the Java reference implementation on many real threads, oracle on
                  --version          this tool's, TLC's and the spec's versions
                exit codes: 0 as expected; 1 another outcome, a changed figure or a Java divergence;
                            2 bad usage or input; 3 TLC failed to start or stopped without a result""");
    }

    /** Commons CLI's help for one command, with a text after the options. */
    static void help(PrintStream out, String syntax, Options opts, String footer) {
        PrintWriter w = new PrintWriter(out, true);
        new HelpFormatter().printHelp(w, 100, syntax, null, opts, 2, 3, footer, false);
        w.flush();
    }

    static Options rootOnly() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("root").hasArg().argName("DIR").desc("repository root (default: found from the working directory)").build());
        o.addOption(Option.builder("h").longOpt("help").desc("this help").build());
        return o;
    }

    static Project project(CommandLine cl) {
        return cl.hasOption("root") ? new Project(Path.of(cl.getOptionValue("root")).toAbsolutePath().normalize())
                : Project.locate(Path.of(""));
    }

    /** "mmu-check VERSION" (the build's version, or "unknown"). */
    static String toolVersion() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/mmu-check.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // the version is then "unknown"
        }
        return "mmu-check " + p.getProperty("version", "unknown");
    }

    private static int version(PrintStream out) {
        out.println(toolVersion());
        out.println("TLC: " + Checker.TLC_NAME + ", " + tlc2.TLCGlobals.versionOfTLC);
        try {
            Project project = Project.locate(Path.of(""));
            out.println("spec: " + SpecVersion.of(project.specs()) + " (" + project.specs() + ")");
        } catch (IllegalArgumentException | IOException e) {
            out.println("spec: not in a checkout (" + e.getMessage() + ")");
        }
        out.println("java: " + System.getProperty("java.version"));
        return OK;
    }

    private static int explain(String[] args, PrintStream out, PrintStream err) throws ParseException, IOException {
        Options opts = rootOnly();
        CommandLine cl = new DefaultParser().parse(opts, args);
        if (cl.hasOption("help") || cl.getArgList().size() != 1) {
            help(cl.hasOption("help") ? out : err, "mmu-check explain TRACE", opts,
                    "\nTRACE: an ITF file, a model whose counterexample is committed (model-check/counterexamples/), or a run\n"
                            + "of `mmu-check tlc` (build/tlc/NAME/NAME.itf.json).\n"
                            + "Prints the model (variant and what it changes, drivers, invalidators' ranges and blockability, notifiers, "
                            + "readers; from the configuration #meta.config names, or NAME.cfg beside the trace), each step with the "
                            + "variables it changed in the kernel's words, and the culprit of the broken property with the steps that "
                            + "made it so. A lasso is shown as its loop.\n"
                            + "exit codes: 0 printed; 2 bad usage, an unknown or malformed trace");
            return cl.hasOption("help") ? OK : USAGE;
        }
        Project project = project(cl);
        Traces loaded = Traces.load(project, cl.getArgList().get(0));
        loaded.staleness(project).ifPresent(why -> err.println("note: " + why));
        loaded.explainer(project).print(out);
        return OK;
    }

    private static int list(String[] args, PrintStream out, PrintStream err) throws ParseException, IOException {
        Options opts = rootOnly();
        CommandLine cl = new DefaultParser().parse(opts, args);
        if (cl.hasOption("help") || !cl.getArgList().isEmpty()) {
            help(cl.hasOption("help") ? out : err, "mmu-check list", opts,
                    "\nThe models of model-check/manifest.json, one a line: name, set (quick: make check; full: make check-all;\n"
                            + "scale: make check-all and make bench), the expected outcome, the mutation, what the model is.\n"
                            + "exit codes: 0 listed; 2 bad usage or a malformed manifest");
            return cl.hasOption("help") ? OK : USAGE;
        }
        Manifest m = ManifestValidator.load(project(cl));
        for (ModelEntry e : m.models())
            out.printf("%-18s %-5s %-28s %-5s %s%n", e.name(), e.set(), e.expect(), e.mutation(), e.doc());
        return OK;
    }
}
