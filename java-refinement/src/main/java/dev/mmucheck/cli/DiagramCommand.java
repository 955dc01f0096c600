package dev.mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

import dev.mmucheck.diagram.DiagramPages;
import dev.mmucheck.diagram.SequenceDiagram;
import dev.mmucheck.modelcheck.Project;

/** {@code mmu-check diagram}: a counterexample as a Mermaid sequence diagram in a Markdown page. */
final class DiagramCommand {
    private DiagramCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) throws ParseException, IOException, dev.mmucheck.tlc.TlcStartException {
        Options opts = Main.rootOnly();
        opts.addOption(Option.builder().longOpt("all").desc("write model-check/diagrams/NAME.md and NAME.svg for every committed trace "
                + "(and delete those whose trace is gone)").build());
        opts.addOption(Option.builder().longOpt("check").desc("regenerate every page in memory and compare with the committed ones").build());
        opts.addOption(Option.builder().longOpt("runs").desc("ask TLC again for the traces of the correct runs model-check/runs/runs.json lists "
                + "(all, or the RUN names given), write them to model-check/runs/, then write every page as --all does").build());
        opts.addOption(Option.builder().longOpt("heap").hasArg().argName("SIZE").desc("TLC's heap for --runs (default 2g)").build());
        opts.addOption(Option.builder().longOpt("json").desc("print (or write) the trace as the viewer reads it (model-check/viewer/index.html: "
                + "'open a trace file')").build());
        opts.addOption(Option.builder().longOpt("svg").desc("print (or write) the SVG the project draws instead of the Markdown page").build());
        opts.addOption(Option.builder("o").longOpt("out").hasArg().argName("FILE").desc("write the page of TRACE to FILE instead of printing it").build());
        CommandLine cl = new DefaultParser().parse(opts, args);
        boolean all = cl.hasOption("all"), check = cl.hasOption("check"), runs = cl.hasOption("runs");
        boolean ok = runs ? !all && !check && !cl.hasOption("out") && !cl.hasOption("svg")
                : all || check ? cl.getArgList().isEmpty() && !(all && check) && !cl.hasOption("out") : cl.getArgList().size() == 1;
        if (cl.hasOption("help") || !ok) {
            Main.help(cl.hasOption("help") ? out : err, "mmu-check diagram TRACE | --all | --check | --runs [RUN...]", opts,
                    "\nTRACE: an ITF file, a model whose counterexample is committed (model-check/counterexamples/), or a run "
                            + "of `mmu-check tlc` (build/tlc/NAME/NAME.itf.json).\n"
                            + "Prints the trace as a Markdown page holding a Mermaid sequence diagram (--svg: as SVG drawn by the project): a lane per process (invalidators "
                            + "with their ranges and blockability, the insert/remove process, readers, GPUs) and one for the "
                            + "subscriptions; each step in kernel words with the variables it changed; the breaking step (or a "
                            + "lasso's loop) in a red box with the culprit sentence of `mmu-check explain`. Each page stays under "
                            + SequenceDiagram.MAX_CHARS + " characters.\n"
                            + "Correct runs: model-check/runs/runs.json names for each run a passing model and a goal (a witness "
                            + "of specs/ or any state predicate); --runs asks TLC for the shortest behaviour reaching each goal (the model "
                            + "checked with the goal negated as its one invariant), writes it to model-check/runs/NAME.itf.json and draws it "
                            + "like a counterexample, the state that reaches the goal in a green box. Rerun it after the spec changes.\n"
                            + "--all regenerates model-check/diagrams/ (NAME.md and NAME.svg) and the viewer's data (model-check/viewer/data/NAME.js; run it after re-recording traces); --check, run by `make check`, "
                            + "names each page that is missing, out of date or left without its trace, and each correct run recorded on another spec version.\n"
                            + "exit codes: 0 printed, written, or every page up to date; 1 (--check) a page is out of date; "
                            + "2 bad usage, an unknown or malformed trace, an unknown run or a run whose model never reaches its goal; "
                            + "3 (--runs) TLC failed");
            return cl.hasOption("help") ? Main.OK : Main.USAGE;
        }
        Project project = Main.project(cl);
        DiagramPages pages = new DiagramPages(project);
        if (runs) {
            List<String> recorded = new dev.mmucheck.modelcheck.WitnessRuns(project).record(cl.getArgList(), cl.getOptionValue("heap", "2g"), err);
            out.println("recorded " + recorded.size() + " correct runs in model-check/runs");
            all = true;
        }
        if (all) {
            List<String> written = pages.writeAll();
            out.println("wrote " + written.size() + " pages and their SVGs in " + project.root().relativize(pages.folder()));
            return Main.OK;
        }
        if (check) {
            List<String> stale = pages.stale();
            for (String s : stale) err.println("stale diagram: " + s);
            if (!stale.isEmpty()) {
                err.println("regenerate them with: bin/mmu-check diagram --all (after a spec change: bin/mmu-check diagram --runs, "
                        + "which records the correct runs of model-check/runs/ again, then does --all)");
                return Main.MISMATCH;
            }
            out.println("diagrams: " + pages.traces().size() + " pages and their SVGs up to date in " + project.root().relativize(pages.folder()));
            return Main.OK;
        }
        Traces loaded = Traces.load(project, cl.getArgList().get(0));
        loaded.staleness(project).ifPresent(why -> err.println("note: " + why));
        String name = loaded.file().getFileName().toString().replaceFirst("\\.itf\\.json$", "").replaceFirst("\\.json$", "");
        String page;
        try {
            SequenceDiagram d = new SequenceDiagram(name, loaded.explainer(project));
            page = cl.hasOption("svg") ? d.svg() : cl.hasOption("json")
                    ? new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(new dev.mmucheck.diagram.ViewerData(d).json()) + "\n"
                    : d.page();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(loaded.file() + ": cannot draw its diagram: " + e.getMessage(), e);
        }
        if (cl.hasOption("out")) Files.writeString(Path.of(cl.getOptionValue("out")), page, StandardCharsets.UTF_8);
        else out.print(page);
        return Main.OK;
    }
}
