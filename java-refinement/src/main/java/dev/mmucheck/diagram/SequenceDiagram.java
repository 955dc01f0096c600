package dev.mmucheck.diagram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.mmucheck.explain.Culprit;
import dev.mmucheck.explain.Evidence;
import dev.mmucheck.explain.Explainer;
import dev.mmucheck.explain.KernelWords;
import dev.mmucheck.explain.ModelConstants;
import dev.mmucheck.explain.TraceView;
import dev.mmucheck.tlc.TlaValue;
import dev.mmucheck.trace.ItfTrace;
import dev.mmucheck.trace.Labels;

/**
 * A counterexample as a Mermaid sequence diagram in a Markdown page. One lane per process of the
 * trace (the keys of {@code pc}, and the GPUs: the keys of {@code ulock}), labelled with what
 * {@code explain} says of it (an invalidator's ranges and blockability, a reader's page, a GPU's
 * driver), and one lane for the subscriptions ({@code invalidate_seq}, {@code active_invalidate_ranges},
 * the tree, the deferred list, each notifier's {@code invalidate_seq}). Each step is a message from the
 * process that took it to the lane whose state it changed (the subscriptions, or the GPU whose lock,
 * PTEs, TLB or fences it touched), or a note over the process when it changed only its own state; the
 * variables it changed follow as notes over the lane they belong to, in {@link KernelWords}' words, so a
 * variable appears only where it changes. A process's {@code pc} is shown only after its last step (its
 * other values are the labels of its next messages). The breaking step is drawn in a red box followed by
 * the culprit sentence {@code explain} prints; a lasso's repeating steps are drawn in a Mermaid
 * {@code loop}.
 *
 * <p>A page longer than {@link #MAX_CHARS} (what code hosts render) is drawn again more compactly
 * ({@link Detail}): first without the process-local variables (the shared and GPU state stay), then
 * also without the kernel function under each label and with a process's consecutive steps to the same
 * lane grouped into one message; it is refused if still too long.
 *
 * @param name the trace's name (its file name without .itf.json)
 * @param explainer the explanation the diagram is drawn from
 */
public record SequenceDiagram(String name, Explainer explainer) {
    /** Code hosts render Mermaid blocks of at most this many characters; a page stays below it. */
    public static final int MAX_CHARS = 50_000;

    /** The background of the breaking step. */
    static final String BREAK_BOX = "rect rgb(255, 221, 221)";
    /** The background of the step that reaches a correct run's goal. */
    static final String GOAL_BOX = "rect rgb(221, 255, 221)";

    private static final Set<String> SHARED = Set.of("seq", "active", "tree", "deferred", "slock", "wq", "iseq", "warn");
    private static final Set<String> PER_GPU = Set.of("ulock", "dpte", "tlb", "fences");
    private static final Set<String> SHARED_LABELS = Set.of("read_begin", "read_begin_wait", "remove_wait", "insert", "remove",
            "inv_start_range", "inv_end", "inv_end_drain", "range_end", "range_end_drain");

    /** How much a page says of each step. */
    public enum Detail {
        /** every changed variable, the kernel function under each label */
        FULL,
        /** the process-local variables left out */
        SHARED_ONLY,
        /** also no kernel function under the labels, and a process's consecutive steps to one lane grouped */
        COMPACT
    }

    private ItfTrace trace() { return explainer.trace(); }

    /** The lanes: invalidators, the subscriptions, the lifecycle process, readers, GPUs. */
    public List<Lane> lanes() {
        TraceView t = new TraceView(trace());
        ModelConstants c = explainer.constants();
        List<Lane> inv = new ArrayList<>(), life = new ArrayList<>(), rd = new ArrayList<>(), other = new ArrayList<>(), gpus = new ArrayList<>();
        for (TlaValue p : t.domain("pc")) {
            String id = ModelConstants.plain(p);
            String first = ModelConstants.plain(t.at(0, "pc", p));
            if (first.startsWith("inv_")) {
                boolean rel = c.in("Releasers", id).orElse(false);
                Optional<Boolean> blk = c.in("Blockable", id).map(b -> b || rel);
                String ranges = c.apply("InvRanges", id).map(v -> v instanceof TlaValue.SetV s ? String.join(" or ",
                        s.elements().stream().map(KernelWords::plain).toList()) : KernelWords.plain(v)).orElse("?");
                inv.add(new Lane(id, Lane.Kind.INVALIDATOR, id + ": " + (rel ? "exit_mmap (mn_itree_release)" : "invalidator")
                        + "\nrange " + ranges + "\n" + blk.map(b -> b ? "blockable" : "NOT blockable (nonblock)").orElse("blockability unknown")));
            } else if (first.startsWith("read_")) {
                rd.add(new Lane(id, Lane.Kind.READER, id + ": reader\npage " + c.apply("ReaderPage", id).map(ModelConstants::plain).orElse("?")
                        + " via " + c.apply("ReaderNotifier", id).map(ModelConstants::plain).orElse("?")));
            } else if (first.equals("insert") || first.startsWith("remove")) {
                life.add(new Lane(id, Lane.Kind.LIFECYCLE, id + ": notifier insert, then remove\npages "
                        + c.apply("NotifierPages", id).map(KernelWords::plain).orElse("?")));
            } else {
                other.add(new Lane(id, Lane.Kind.OTHER, id));
            }
        }
        Set<String> gpuIds = new LinkedHashSet<>();
        for (String v : List.of("ulock", "fences", "dpte")) for (TlaValue g : t.domain(v)) gpuIds.add(ModelConstants.plain(g));
        for (String g : gpuIds)
            gpus.add(new Lane(g, Lane.Kind.GPU, g + ": GPU, driver " + c.apply("Driver", g).map(ModelConstants::plain).orElse("?")
                    + "\n" + notifiersOn(g)));
        List<Lane> all = new ArrayList<>(inv);
        all.add(new Lane(Lane.SUBSCRIPTIONS, Lane.Kind.SUBSCRIPTIONS, "subscriptions\nseq, active, tree, deferred"));
        all.addAll(life);
        all.addAll(rd);
        all.addAll(other);
        all.addAll(gpus);
        return all;
    }

    private String notifiersOn(String gpu) {
        ModelConstants c = explainer.constants();
        List<String> ns = new ArrayList<>();
        for (String n : c.members("Notifiers"))
            if (c.apply("NotifierGpu", n).map(ModelConstants::plain).orElse("").equals(gpu))
                ns.add(n + (c.members("TwoPass").contains(n) ? " (two-pass)" : ""));
        return ns.isEmpty() ? "" : "notifiers " + String.join(", ", ns);
    }

    /** The breaking step: the last step, unless the trace is a lasso (then its loop is what breaks). */
    public int breakingStep() { return trace().loop().isPresent() ? -1 : new TraceView(trace()).last(); }

    /** Whether the trace is a correct run (model-check/runs/): it reaches its #meta.goal instead of breaking a property. */
    public boolean isRun() { return trace().metaString("goal") != null; }

    /** The folder of the committed trace this page is generated from. */
    private String source() { return isRun() ? "model-check/runs/" : "model-check/counterexamples/"; }

    /** The Markdown page: a title, what the model is, the diagram, the culprit with its evidence and story. */
    public String page() {
        String page = "";
        for (Detail d : Detail.values()) {
            page = page(d);
            if (page.length() < MAX_CHARS) return page;
        }
        throw new IllegalArgumentException("the diagram of " + name + " has " + page.length() + " characters even drawn "
                + "compactly; code hosts render at most " + MAX_CHARS);
    }

    /** The page at the given detail, whatever its length. */
    public String page(Detail detail) {
        ItfTrace tr = trace();
        TraceView t = new TraceView(tr);
        int last = t.last();
        if (isRun()) return runPage(detail, tr, t, last);
        Culprit culprit = explainer.culprit();
        String culpritLine = "culprit (" + culprit.property() + "): " + culprit.summary();
        StringBuilder md = new StringBuilder();
        String mutation = Optional.ofNullable(tr.metaString("mutation")).orElse("none");
        md.append("# ").append(name).append(": ").append(tr.metaString("property")).append(" broken\n\n");
        md.append("<!-- generated by `bin/mmu-check diagram --all` from model-check/counterexamples/").append(name)
                .append(".itf.json: do not edit -->\n\n");
        md.append("Model `").append(tr.metaString("model")).append("`: ")
                .append(explainer.modelDoc().orElse("(no description)")).append(".  \n");
        md.append("Variant: ").append("none".equals(mutation) ? "no mutation (the code as merged)"
                : "mutation " + mutation + ": " + explainer.catalogue().change(mutation).orElse("(not in the catalogue of specs/CONTRACT.md)"))
                .append(".  \n");
        md.append("Broken: `").append(tr.metaString("property")).append("` (").append(tr.metaString("kind")).append(") after ")
                .append(tr.steps()).append(" steps");
        tr.loop().ifPresent(l -> md.append("; ").append(Explainer.loopText(l, last)));
        md.append(".  \nThe same trace in text: `bin/mmu-check explain ").append(name).append("`; as a picture drawn by the project: [")
                .append(name).append(".svg](").append(name).append(".svg).");
        if (detail != Detail.FULL) md.append("  \n(A long trace, drawn compactly: each process's own variables are left out, the shared"
                + " and GPU state are shown" + (detail == Detail.COMPACT ? "; a process's consecutive steps to one lane are one message,"
                + " and the kernel function of each label is in `explain`" : "") + ".)");
        md.append("\n\n```mermaid\n").append(mermaid(detail)).append("```\n\n");
        int loop = tr.loop().orElse(-1), breaking = breakingStep();
        md.append(loop >= 0 ? "The red box is the loop that repeats for ever.\n\n"
                : "The red box is the breaking step, " + t.stepRef(breaking) + ".\n\n");
        md.append("**").append(culpritLine).append("**\n\n");
        for (Evidence e : culprit.evidence()) md.append("- ").append(e.words(last)).append('\n');
        if (!culprit.story().isEmpty()) {
            md.append("\nHow it came about:\n\n");
            for (String s : culprit.story()) md.append("- ").append(s).append('\n');
        }
        return md.toString();
    }

    private String runPage(Detail detail, ItfTrace tr, TraceView t, int last) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(name).append(": a correct run of `").append(tr.metaString("model")).append("`\n\n");
        md.append("<!-- generated by `bin/mmu-check diagram --all` from ").append(source()).append(name)
                .append(".itf.json: do not edit -->\n\n");
        md.append("Model `").append(tr.metaString("model")).append("`: ").append(explainer.modelDoc().orElse("(no description)"))
                .append(" (it passes every property).  \n");
        md.append("Goal: `").append(tr.metaString("goal")).append("`, reached after ").append(tr.steps())
                .append(" steps, the shortest way (TLC checked the model with the goal negated as its invariant).  \n");
        md.append("The same trace in text: `bin/mmu-check explain ").append(source()).append(name).append(".itf.json`; as a picture drawn by the project: [")
                .append(name).append(".svg](").append(name).append(".svg).");
        if (detail != Detail.FULL) md.append("  \n(A long trace, drawn compactly: each process's own variables are left out.)");
        md.append("\n\n```mermaid\n").append(mermaid(detail)).append("```\n\n");
        md.append("The green box is the step that reaches the goal, ").append(t.stepRef(last)).append(".\n\n");
        md.append("**What it shows: ").append(tr.metaString("goalDoc")).append(".**\n");
        return md.toString();
    }

    /** The diagram drawn as SVG, in full detail (an SVG has no size limit to keep). */
    public String svg() { return new SvgDiagram(lanes(), items(Detail.FULL)).svg(); }

    /** The Mermaid sequence diagram (without the fence) at the given detail. */
    public String mermaid(Detail detail) {
        StringBuilder md = new StringBuilder("sequenceDiagram\n");
        for (Lane l : lanes()) md.append("    participant ").append(l.id()).append(" as ").append(MermaidText.escape(l.label())).append('\n');
        int depth = 0;
        for (Item item : items(detail)) {
            String indent = depth > 0 ? "        " : "    ";
            if (item instanceof Item.Message m) {
                md.append(indent).append(m.from()).append("->>").append(m.to()).append(": ").append(MermaidText.lines(m.lines())).append('\n');
            } else if (item instanceof Item.Note n) {
                md.append(indent).append("Note over ").append(n.from()).append(n.to().equals(n.from()) ? "" : "," + n.to())
                        .append(": ").append(MermaidText.lines(n.lines())).append('\n');
            } else if (item instanceof Item.Open o) {
                md.append("    ").append(o.box() == Item.Box.BREAK ? BREAK_BOX : o.box() == Item.Box.GOAL ? GOAL_BOX
                        : "loop " + MermaidText.escape(o.label())).append('\n');
                depth++;
            } else {
                md.append("    end\n");
                depth--;
            }
        }
        return md.toString();
    }

    /** The diagram's statements: each step (grouped when compact), the red box and a lasso's loop, the culprit. */
    public List<Item> items(Detail detail) {
        ItfTrace tr = trace();
        TraceView t = new TraceView(tr);
        int last = t.last();
        boolean run = isRun();
        String culpritLine = run ? "✓ reached " + tr.metaString("goal") + ": " + tr.metaString("goalDoc") : null;
        if (!run) {
            Culprit culprit = explainer.culprit();
            culpritLine = "✗ culprit (" + culprit.property() + "): " + culprit.summary();
        }
        Item.Box box = run ? Item.Box.GOAL : Item.Box.BREAK;
        List<Lane> lanes = lanes();
        String first = lanes.get(0).id(), end = lanes.get(lanes.size() - 1).id();
        Set<String> laneIds = new LinkedHashSet<>();
        for (Lane l : lanes) laneIds.add(l.id());
        Map<String, Integer> lastStepOf = new LinkedHashMap<>();
        for (int k = 1; k <= last; k++) lastStepOf.put(t.step(k, "proc"), k);
        int loop = tr.loop().orElse(-1), breaking = breakingStep();
        List<Item> out = new ArrayList<>();
        List<StepDraw> pending = new ArrayList<>();
        for (int k = 1; k <= last; k++) {
            boolean opens = (k == loop + 1 && loop >= 0) || k == breaking;
            StepDraw d = step(t, k, laneIds, lastStepOf, detail);
            if (opens || pending.isEmpty() || detail != Detail.COMPACT || !pending.get(pending.size() - 1).joins(d)) {
                for (StepDraw p : pending) p.items(out);
                pending.clear();
            }
            if (k == loop + 1 && loop >= 0) {
                out.add(new Item.Open(Item.Box.BREAK, ""));
                out.add(new Item.Open(Item.Box.LOOP, "for ever: " + Explainer.loopText(loop, last)));
            }
            if (k == breaking) out.add(new Item.Open(box, ""));
            if (!pending.isEmpty()) pending.set(pending.size() - 1, pending.get(pending.size() - 1).join(d));
            else pending.add(d);
        }
        for (StepDraw p : pending) p.items(out);
        if (loop >= 0) {
            if (loop == last) {
                out.add(new Item.Open(Item.Box.BREAK, ""));
                out.add(new Item.Open(Item.Box.LOOP, "for ever: " + Explainer.loopText(loop, last)));
                out.add(new Item.Note(first, end, List.of("state " + last + " again: no process takes a step"), false));
            }
            out.add(new Item.Close());
        }
        out.add(new Item.Note(first, end, List.of(culpritLine), false));
        if (loop >= 0 || breaking > 0) out.add(new Item.Close());
        return out;
    }

    /**
     * One message or note of the diagram: a step (or, drawn compactly, a process's consecutive steps to one
     * lane), from {@code proc} to {@code target} (a note over {@code proc} when they are the same), and the
     * changed variables' lines by lane.
     */
    record StepDraw(String proc, String target, List<String> words, Map<String, List<String>> notes) {
        boolean joins(StepDraw next) { return proc.equals(next.proc) && target.equals(next.target); }

        StepDraw join(StepDraw next) {
            if (next == this) return this;
            List<String> w = new ArrayList<>(words);
            w.addAll(next.words);
            Map<String, List<String>> n = new LinkedHashMap<>();
            notes.forEach((k, v) -> n.put(k, new ArrayList<>(v)));
            next.notes.forEach((k, v) -> n.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            return new StepDraw(proc, target, w, n);
        }

        void items(List<Item> out) {
            Map<String, List<String>> rest = new LinkedHashMap<>(notes);
            if (target.equals(proc)) {
                List<String> lines = new ArrayList<>(words);
                List<String> own = rest.remove(proc);
                if (own != null) lines.addAll(own);
                out.add(new Item.Note(proc, proc, lines, false));
            } else {
                out.add(new Item.Message(proc, target, words));
            }
            for (Map.Entry<String, List<String>> e : rest.entrySet()) out.add(new Item.Note(e.getKey(), e.getKey(), e.getValue(), true));
        }
    }

    /** Step k: its message (or note), and the variables it changed by the lane they belong to. */
    StepDraw step(TraceView t, int k, Set<String> lanes, Map<String, Integer> lastStepOf, Detail detail) {
        String proc = t.step(k, "proc"), label = t.step(k, "label"), n = t.step(k, "notifier");
        String on = n.equals("NoNotifier") || n.equals("?") ? "" : n;
        TlaValue pages = t.stepValue(k, "pages");
        String range = label.equals("inv_start_range") && pages != null ? " range " + KernelWords.plain(pages) : "";
        List<String> words = new ArrayList<>();
        words.add(k + ". " + label + (on.isEmpty() ? "" : " on " + on) + range);
        if (detail != Detail.COMPACT) words.add(Labels.describe(label) + explainer.callbackContext(proc, label, on));
        Map<String, List<String>> notes = new LinkedHashMap<>();
        String target = null;
        for (Map.Entry<String, List<List<TlaValue>>> e : t.changes(k).entrySet()) {
            String var = e.getKey();
            for (List<TlaValue> keys : e.getValue()) {
                List<String> ks = keys.stream().map(ModelConstants::plain).toList();
                String lane = laneOf(var, ks, proc, lanes);
                if (lane.equals(Lane.SUBSCRIPTIONS) && target == null) target = lane;
                if (PER_GPU.contains(var) && target == null && !lane.equals(proc)) target = lane;
                boolean isLocal = !SHARED.contains(var) && !PER_GPU.contains(var);
                if (var.equals("pc") && !(lastStepOf.getOrDefault(ks.get(0), 0) == k)) continue;
                if (isLocal && detail != Detail.FULL && !var.equals("pc")) continue;
                TlaValue a = t.at(k - 1, var, keys), b = t.at(k, var, keys);
                notes.computeIfAbsent(lane, x -> new ArrayList<>()).add(KernelWords.name(var, ks) + ": "
                        + (a == null ? "(none)" : KernelWords.value(var, a)) + " → " + (b == null ? "(none)" : KernelWords.value(var, b)));
            }
        }
        if (target == null && SHARED_LABELS.contains(label)) target = Lane.SUBSCRIPTIONS;
        if (!lanes.contains(proc)) proc = Lane.SUBSCRIPTIONS;
        return new StepDraw(proc, target == null ? proc : target, words, notes);
    }

    /** The lane a variable's leaf belongs to: the subscriptions, a GPU, or a process (the one that moved if none). */
    String laneOf(String var, List<String> keys, String proc, Set<String> lanes) {
        if (SHARED.contains(var)) return Lane.SUBSCRIPTIONS;
        if (var.equals("finuse") && !keys.isEmpty()) {
            Optional<String> g = explainer.constants().apply("NotifierGpu", keys.get(0)).map(ModelConstants::plain);
            if (g.isPresent() && lanes.contains(g.get())) return g.get();
        }
        if (!keys.isEmpty() && lanes.contains(keys.get(0))) return keys.get(0);
        return lanes.contains(proc) ? proc : Lane.SUBSCRIPTIONS;
    }
}
