package dev.mmucheck.explain;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mmucheck.modelcheck.Manifest;
import dev.mmucheck.modelcheck.ModelNames;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.TlaValue;
import dev.mmucheck.trace.ItfTrace;
import dev.mmucheck.trace.Labels;

/**
 * Prints a counterexample for a kernel developer: the model (its variant or mutation and what it
 * changes, each invalidator's ranges and blockability, each GPU's driver, the notifiers and
 * readers), each step in the kernel's terms with the variables it changed, and at the end the
 * culprit of the broken property ({@link CulpritFinders}). A lasso is shown as its loop.
 *
 * @param trace the counterexample
 * @param constants the model's constants (from its configuration)
 * @param modelDoc what the model is (the manifest's doc, or the configuration's first comment)
 * @param catalogue the mutation catalogue of specs/CONTRACT.md
 */
public record Explainer(ItfTrace trace, ModelConstants constants, Optional<String> modelDoc, Catalogue catalogue) {

    /**
     * The explanation of {@code trace}: the constants of the configuration its #meta names (relative to the
     * repository or absolute; else the manifest model's), what the model is (the manifest's doc, or the
     * configuration's first comment) and the mutation catalogue of specs/CONTRACT.md.
     */
    public static Explainer of(Project project, ItfTrace trace) throws IOException {
        String named = trace.metaString("config"), model = trace.metaString("model");
        Optional<Path> cfg = Optional.empty();
        if (named != null && named.endsWith(".cfg")) {
            Path p = Path.of(named);
            cfg = Optional.of(p.isAbsolute() ? p : project.root().resolve(p)).filter(Files::isRegularFile);
        }
        if (cfg.isEmpty() && model != null && ModelNames.valid(model)) cfg = Optional.of(project.cfg(model)).filter(Files::isRegularFile);
        return of(project, trace, cfg);
    }

    /** As {@link #of(Project, ItfTrace)}, with the configuration given (empty: the constants are unknown). */
    public static Explainer of(Project project, ItfTrace trace, Optional<Path> config) throws IOException {
        String model = trace.metaString("model");
        String named = trace.metaString("config");
        Path cfg = config.orElse(null);
        ModelConstants constants = cfg == null
                ? ModelConstants.none("its configuration " + named + " is not found")
                : ModelConstants.read(cfg, project.spec());
        Optional<String> doc = Optional.empty();
        if (model != null && Files.isRegularFile(project.manifest())) {
            try {
                doc = Manifest.read(project.manifest()).find(model).map(e -> e.doc());
            } catch (RuntimeException | IOException e) {
                doc = Optional.empty();
            }
        }
        if (doc.isEmpty() && cfg != null) {
            String first = Files.readAllLines(cfg).stream().findFirst().orElse("");
            if (first.startsWith("\\*")) doc = Optional.of(first.substring(2).strip());
        }
        return new Explainer(trace, constants, doc,
                Catalogue.read(project.specs().resolve("CONTRACT.md")));
    }

    /** The culprit of the property the trace breaks. */
    public Culprit culprit() {
        String property = trace.metaString("property");
        if ("deadlock".equals(trace.metaString("kind"))) property = "Deadlock";
        return CulpritFinders.find(property, new TraceView(trace), constants);
    }

    public void print(PrintStream out) {
        TraceView t = new TraceView(trace);
        int last = t.last();
        String goal = trace.metaString("goal");   // a correct run of model-check/runs/: it reaches a goal, it breaks nothing
        if (goal != null) out.printf("model %s: a correct run reaching %s after %d steps%n", trace.metaString("model"), goal, trace.steps());
        else out.printf("model %s: %s broken (%s) after %d steps%s%n", trace.metaString("model"), trace.metaString("property"),
                trace.metaString("kind"), trace.steps(), trace.loop().map(l -> "; " + loopText(l, last)).orElse(""));
        modelDoc.ifPresent(d -> out.println("the model: " + d));
        String mutation = Optional.ofNullable(trace.metaString("mutation")).orElse("none");
        out.println("variant: " + ("none".equals(mutation) ? "no mutation (the code as merged)"
                : "mutation " + mutation + ": " + catalogue.change(mutation).orElse("(not in the catalogue of specs/CONTRACT.md)")));
        printConstants(out);
        out.println("steps:");
        for (int k = 0; k <= last; k++) {
            if (trace.loop().isPresent() && k == trace.loop().get() && k < last)
                out.println("  --- the loop starts here: " + loopText(k, last) + " ---");
            String who = k == 0 ? "" : t.step(k, "proc"), label = k == 0 ? "init" : t.step(k, "label"), n = t.step(k, "notifier");
            String on = k == 0 || n.equals("NoNotifier") || n.equals("?") ? "" : n;
            TlaValue pages = t.stepValue(k, "pages");
            String range = label.equals("inv_start_range") && pages != null ? " range " + KernelWords.plain(pages) : "";
            out.printf("%3d. %-4s %-18s %-4s %s%s%s%n", k, who, label, on, Labels.describe(label), range, callbackContext(who, label, on));
            for (Map.Entry<String, List<List<TlaValue>>> e : t.changes(k).entrySet())
                for (List<TlaValue> keys : e.getValue()) {
                    List<String> ks = keys.stream().map(ModelConstants::plain).toList();
                    TlaValue a = t.at(k - 1, e.getKey(), keys), b = t.at(k, e.getKey(), keys);
                    out.printf("        %s: %s -> %s%n", KernelWords.name(e.getKey(), ks),
                            a == null ? "(none)" : KernelWords.value(e.getKey(), a), b == null ? "(none)" : KernelWords.value(e.getKey(), b));
                }
        }
        if (trace.loop().isPresent()) out.println("  --- then back to state " + trace.loop().get() + ", for ever: " + loopText(trace.loop().get(), last) + " ---");
        if (goal != null) {
            out.println("reached " + goal + ": " + trace.metaString("goalDoc"));
            return;
        }
        Culprit c = culprit();
        out.println("culprit (" + c.property() + "): " + c.summary());
        for (Evidence e : c.evidence()) out.println("    " + e.words(last));
        if (!c.story().isEmpty()) {
            out.println("how it came about:");
            for (String s : c.story()) out.println("    " + s);
        }
    }

    /** For a driver callback's first step: whose driver runs it, and whether the invalidation may sleep. */
    public String callbackContext(String proc, String label, String notifier) {
        if (!label.equals("inv_cb_start") || notifier.isEmpty()) return "";
        Optional<String> gpu = constants.apply("NotifierGpu", notifier).map(ModelConstants::plain);
        Optional<String> driver = gpu.flatMap(g -> constants.apply("Driver", g)).map(ModelConstants::plain);
        Optional<Boolean> blk = constants.in("Blockable", proc).map(b -> b || constants.in("Releasers", proc).orElse(false));
        if (driver.isEmpty() || blk.isEmpty()) return "";
        boolean twoPass = constants.members("TwoPass").contains(notifier) && "merged".equals(constants.get("Kernel").map(ModelConstants::plain).orElse(""));
        return " [" + gpu.get() + "'s driver " + driver.get() + ", " + (twoPass ? "invalidate_start" : "invalidate") + ", "
                + (blk.get() ? "blockable" : "NOT blockable") + "]";
    }

    /** A lasso's loop in words: states loop..last, stepping back from last to loop. */
    public static String loopText(int loop, int last) {
        return loop == last ? "state " + last + " repeats forever (nothing moves any more)"
                : "steps " + (loop + 1) + ".." + last + " repeat forever (state " + last + " steps back to state " + loop + ")";
    }

    private void printConstants(PrintStream out) {
        ModelConstants c = constants;
        if (c.values().isEmpty()) {
            out.println("constants: unknown (" + c.source() + ")");
            return;
        }
        String kernel = c.get("Kernel").map(ModelConstants::plain).orElse("?");
        out.println("kernel: " + kernel + ("merged".equals(kernel) ? " (two-pass series applied)" : "prepatch".equals(kernel)
                ? " (before the two-pass series: single pass only)" : "") + c.get("SeqMod").map(m -> "; invalidate_seq modulo " + m).orElse(""));
        List<String> gpus = new ArrayList<>();
        for (String g : c.members("Gpus")) gpus.add(g + " " + c.apply("Driver", g).map(ModelConstants::plain).orElse("?"));
        out.println("GPUs and their drivers: " + String.join(", ", gpus));
        for (String i : c.members("Invalidators")) {
            boolean rel = c.in("Releasers", i).orElse(false), blk = c.in("Blockable", i).orElse(false);
            out.printf("invalidator %s: %s; ranges %s; %s invalidation(s)%n", i,
                    rel ? "mn_itree_release (exit_mmap), blockable" : blk ? "blockable (mmu_notifier_invalidate_range_start)"
                            : "NOT blockable (the OOM reaper: mmu_notifier_invalidate_range_start_nonblock)",
                    c.apply("InvRanges", i).map(v -> v instanceof TlaValue.SetV s ? String.join(" or ",
                            s.elements().stream().map(KernelWords::plain).toList()) : KernelWords.plain(v)).orElse("?"),
                    c.apply("MaxInv", i).map(ModelConstants::plain).orElse("?"));
        }
        List<String> tree = c.members("InitialTree"), dyn = c.members("Dynamic"), two = c.members("TwoPass");
        for (String n : c.members("Notifiers")) {
            out.printf("notifier %s: pages %s on %s, %s%s%n", n, c.apply("NotifierPages", n).map(KernelWords::plain).orElse("?"),
                    c.apply("NotifierGpu", n).map(ModelConstants::plain).orElse("?"),
                    two.contains(n) ? "two-pass (invalidate_start + invalidate_finish)" : "single-pass (invalidate)",
                    dyn.contains(n) ? ", inserted and removed by its own process" : tree.contains(n) ? "" : ", not in the tree at first");
        }
        for (String r : c.members("Readers"))
            out.printf("reader %s: faults page %s through %s, %s install(s)%n", r, c.apply("ReaderPage", r).map(ModelConstants::plain).orElse("?"),
                    c.apply("ReaderNotifier", r).map(ModelConstants::plain).orElse("?"), c.get("MaxReads").map(ModelConstants::plain).orElse("?"));
        if (!c.unknown().isEmpty()) out.println("constants not evaluated: " + String.join("; ", c.unknown().values()));
    }
}
