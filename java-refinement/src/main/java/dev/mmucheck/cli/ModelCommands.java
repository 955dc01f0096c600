package dev.mmucheck.cli;

import static dev.mmucheck.cli.Main.MISMATCH;
import static dev.mmucheck.cli.Main.OK;
import static dev.mmucheck.cli.Main.USAGE;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.mmucheck.modelcheck.CheckOutcome;
import dev.mmucheck.modelcheck.Checker;
import dev.mmucheck.modelcheck.Manifest;
import dev.mmucheck.modelcheck.ManifestValidator;
import dev.mmucheck.modelcheck.ModelEntry;
import dev.mmucheck.modelcheck.ModelRun;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.modelcheck.Verdict;
import dev.mmucheck.tlc.TlcOptions;
import dev.mmucheck.tlc.TlcStartException;

/**
 * The commands that run TLC: {@code check} (models against the manifest), {@code export}
 * ({@code check --accept} over every model but the scale ones) and {@code tlc} (one model or
 * configuration file, with TLC's log). Exit codes as {@link Main} says.
 */
final class ModelCommands {
    private ModelCommands() {}

    static Options checkOptions(boolean export) {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("all").desc(export ? "the scale models too (many minutes)" : "every model, not only the quick set").build());
        o.addOption(Option.builder().longOpt("model").hasArgs().argName("NAME").desc("only these models (as positional arguments)").build());
        if (!export) o.addOption(Option.builder().longOpt("accept").desc("record new state counts and counterexamples of models whose outcome is the expected one (manifest and model-check/counterexamples/)").build());
        o.addOption(Option.builder().longOpt("json").desc("print the results as JSON on standard output (the table goes to standard error)").build());
        if (!export) o.addOption(Option.builder().longOpt("report").desc("print a Markdown report for a patch's cover letter on standard output (the table goes to standard error)").build());
        commonRunOptions(o);
        return o;
    }

    static Options tlcOptions() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("log").desc("print TLC's whole log after the verdict").build());
        commonRunOptions(o);
        return o;
    }

    private static void commonRunOptions(Options o) {
        o.addOption(Option.builder().longOpt("invariant").hasArg().argName("P").desc("check property P alone (deadlock not checked unless P is Deadlock)").build());
        o.addOption(Option.builder().longOpt("expect").hasArg().argName("pass|P").desc("the outcome to expect (default: the manifest's; none for a configuration of your own)").build());
        o.addOption(Option.builder().longOpt("heap").hasArg().argName("SIZE").desc("TLC's heap (default 8g)").build());
        o.addOption(Option.builder().longOpt("root").hasArg().argName("DIR").desc("repository root (default: found from the working directory)").build());
        o.addOption(Option.builder("h").longOpt("help").desc("this help").build());
    }

    static final String RUN_FOOTER = """

            MODEL is a model of model-check/manifest.json (mmu-check list) or the path of any TLC
            configuration (.cfg) for specs/MC.tla, inside the repository or not; its results go to
            build/tlc/NAME/ (NAME: the file name without .cfg).
            TLC's own options are passed through: %s.
            Refused, with the reason: -continue, -generateSpecTE, -dump, -dfid, -config, -fp, -metadir,
            -recover, -checkpoint; several workers or a VIEW on a liveness model.
            """.formatted(TlcOptions.ACCEPTED);

    static int check(String[] args, PrintStream out, PrintStream err, boolean export)
            throws ParseException, IOException, TlcStartException {
        String cmd = export ? "export" : "check";
        List<String> rest = new ArrayList<>();
        TlcOptions tlcOpts = TlcOptions.extract(Arrays.asList(args), rest);
        Options opts = checkOptions(export);
        CommandLine cl = new DefaultParser().parse(opts, rest.toArray(new String[0]));
        if (cl.hasOption("help")) {
            Main.help(out, "mmu-check " + cmd + " [MODEL ...] [options] [TLC options]", opts,
                    (export ? "Reruns every model but the scale ones (or those named), and records the figures of each whose outcome\n"
                            + "is the expected one: state counts into model-check/manifest.json, counterexamples into\n"
                            + "model-check/counterexamples/. Only files whose bytes change are written.\n"
                            : "Runs the quick set (or --all, or the models named) and holds each against the manifest.\n")
                            + RUN_FOOTER + "exit codes: 0 every model as expected" + (export ? " and recorded" : "")
                            + "; 1 a model gave another outcome" + (export ? "" : ", or a figure changed (outdated: --accept records it)")
                            + "; 2 bad usage or input; 3 TLC failed to start or stopped without a result");
            return OK;
        }
        if (cl.hasOption("report") && cl.hasOption("json")) throw new IllegalArgumentException("--report and --json both print on standard output: give one");
        Project project = Main.project(cl);
        Manifest manifest = ManifestValidator.load(project);
        Checker checker = new Checker(project, manifest, cl.getOptionValue("heap", "8g"), err);
        List<String> names = new ArrayList<>(cl.getArgList());
        if (cl.hasOption("model")) names.addAll(List.of(cl.getOptionValues("model")));
        Optional<String> only = Optional.ofNullable(cl.getOptionValue("invariant"));
        Optional<String> expect = expectation(cl);
        List<ModelRun> runs = new ArrayList<>();
        if (names.isEmpty()) {
            if (only.isPresent() || expect.isPresent())
                throw new IllegalArgumentException("--invariant and --expect need the models they apply to");
            List<ModelEntry> set = export ? (cl.hasOption("all") ? manifest.models() : manifest.withoutScale())
                    : cl.hasOption("all") ? manifest.models() : manifest.quickSet();
            for (ModelEntry e : set) runs.add(checker.resolve(e.name(), tlcOpts, only, expect));
        } else {
            runs.addAll(checker.resolveAll(names, tlcOpts, only, expect));
        }
        boolean accept = export || cl.hasOption("accept");
        List<CheckOutcome> outcomes = new ArrayList<>();
        Manifest[] current = {manifest};
        for (int k = 0; k < runs.size(); k++) {
            CheckOutcome o = checker.check(runs.get(k), k + 1, runs.size());
            // recorded as each model finishes, so that a later failure loses nothing already run
            outcomes.add(accept ? accept(project, current, checker, o, err) : o);
        }
        PrintStream table = cl.hasOption("json") || cl.hasOption("report") ? err : out;
        Checker.printTable(outcomes, table);
        if (cl.hasOption("report")) CoverLetterReport.write(project, outcomes, Main.toolVersion(), out);
        if (cl.hasOption("json")) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            outcomes.forEach(o -> a.add(o.toJson()));
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, a);
            out.println();
        }
        return outcomes.stream().allMatch(CheckOutcome::ok) ? OK : MISMATCH;
    }

    /** Records what can be recorded of one run into the manifest {@code current[0]} (written at once); the outcome, ok if recorded. */
    private static CheckOutcome accept(Project project, Manifest[] current, Checker checker, CheckOutcome o, PrintStream err)
            throws IOException {
        List<Path> written = new ArrayList<>();
        Optional<ModelEntry> e = checker.accept(o, written);
        if (e.isEmpty()) {
            if (!o.ok()) err.println("not recorded: " + o.name() + ": " + o.verdict().text()
                    + (o.run().comparable() ? "" : " (not a manifest model run whole and exhaustively)"));
            return o;
        }
        current[0] = current[0].with(e.get());
        if (current[0].write(project.manifest())) written.add(project.manifest());
        err.println(written.isEmpty() ? "recorded " + o.name() + ": nothing changed"
                : "recorded " + o.name() + ": wrote " + String.join(", ", written.stream().map(p -> project.root().relativize(p).toString()).toList()));
        return o.ok() ? o : new CheckOutcome(o.run(), o.result(), o.wallSeconds(), new Verdict("recorded: " + o.verdict().text(), true, false));
    }

    private static Optional<String> expectation(CommandLine cl) {
        Optional<String> e = Optional.ofNullable(cl.getOptionValue("expect"));
        e.ifPresent(x -> {
            if (!x.equals("pass") && !x.matches("[A-Za-z_]\\w*"))
                throw new IllegalArgumentException("--expect: expected 'pass' or a property name, got '" + x + "'");
        });
        return e;
    }

    static int tlc(String[] args, PrintStream out, PrintStream err) throws ParseException, IOException, TlcStartException {
        List<String> rest = new ArrayList<>();
        TlcOptions tlcOpts = TlcOptions.extract(Arrays.asList(args), rest);
        Options opts = tlcOptions();
        CommandLine cl = new DefaultParser().parse(opts, rest.toArray(new String[0]));
        if (cl.hasOption("help") || cl.getArgList().size() != 1) {
            Main.help(cl.hasOption("help") ? out : err, "mmu-check tlc MODEL [options] [TLC options]", opts,
                    "Runs one model or configuration file and prints the verdict, where the counterexample went and how\n"
                            + "to read it." + RUN_FOOTER
                            + "exit codes: 0 the outcome expected (a pass, when nothing is expected); 1 another outcome, or a\n"
                            + "violation with nothing expected; 2 bad usage or input; 3 TLC failed to start or stopped without a result");
            return cl.hasOption("help") ? OK : USAGE;
        }
        Project project = Main.project(cl);
        Manifest manifest = ManifestValidator.load(project);
        Checker checker = new Checker(project, manifest, cl.getOptionValue("heap", "8g"), err);
        ModelRun run = checker.resolve(cl.getArgList().get(0), tlcOpts,
                Optional.ofNullable(cl.getOptionValue("invariant")), expectation(cl));
        CheckOutcome o = checker.check(run, 1, 1);
        Path log = project.work().resolve(run.name()).resolve("tlc.log");
        if (cl.hasOption("log") && Files.isRegularFile(log)) {
            out.println("--- TLC's log (" + show(project, log) + ") ---");
            Files.readAllLines(log).forEach(out::println);
            out.println("---");
        }
        out.printf("%s: %s [%s]; %s%.1f s of TLC time%n", run.name(), o.verdict().text(), o.verdict().status(),
                o.result().distinct() < 0 ? "" : String.format("%,d distinct states, ", o.result().distinct()), o.result().seconds());
        if (o.result().traceFile() != null) {
            String t = show(project, Path.of(o.result().traceFile()));
            out.printf("counterexample: %s (%d steps); read it with: bin/mmu-check explain %s%n", t, o.result().traceSteps(), t);
            try {
                dev.mmucheck.explain.Culprit c = Traces.load(project, o.result().traceFile()).explainer(project).culprit();
                out.println("culprit (" + c.property() + "): " + c.summary());
            } catch (IllegalArgumentException e) {
                out.println("culprit: not found (" + e.getMessage() + ")");
            }
        }
        out.println("TLC's log: " + show(project, log));
        if (run.entry().isEmpty())
            out.println("not in the manifest: to keep it as a model, see README \"Adding a model to the manifest\"");
        if (o.verdict().acceptable())
            out.println("outdated: review the change, then record it with: bin/mmu-check check " + run.name() + " --accept");
        return o.ok() ? OK : MISMATCH;
    }

    /** A path for people: relative to the working directory when under it, else as it is. */
    static String show(Project project, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
