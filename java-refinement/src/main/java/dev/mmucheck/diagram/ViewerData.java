package dev.mmucheck.diagram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mmucheck.explain.Culprit;
import dev.mmucheck.explain.Evidence;
import dev.mmucheck.explain.Explainer;
import dev.mmucheck.explain.KernelWords;
import dev.mmucheck.explain.ModelConstants;
import dev.mmucheck.explain.TraceView;
import dev.mmucheck.tlc.TlaValue;
import dev.mmucheck.trace.ItfTrace;

/**
 * A trace as the static viewer (model-check/viewer/index.html) reads it: the lanes of its
 * {@link SequenceDiagram}; every leaf of every variable as a cell with its kernel name and the lane it belongs
 * to; the cells' values in the initial state; and each step with the process that took it, the lane it acted
 * on, its headline and kernel function (as {@code explain} words them) and the cells it changed, before and
 * after, in {@link KernelWords}' words (null: the cell is absent in that state). The breaking step (a lasso: its loop) and the culprit sentence, or for
 * a correct run its goal, close it. Values are the same strings the diagram pages and {@code explain} print.
 *
 * @param diagram the trace's diagram (its explanation and lanes)
 */
public record ViewerData(SequenceDiagram diagram) {
    /** The global the data files fill in: {@code window.MMU_TRACES[NAME] = {...}}. */
    public static final String GLOBAL = "MMU_TRACES";

    /** The id of a cell: the variable with its keys, e.g. {@code dpte[g1][1]}. */
    public static String cellId(String var, List<String> keys) {
        StringBuilder b = new StringBuilder(var);
        for (String k : keys) b.append('[').append(k).append(']');
        return b.toString();
    }

    private static List<String> plain(List<TlaValue> keys) { return keys.stream().map(ModelConstants::plain).toList(); }

    /** A leaf's value in kernel words; null (JSON null) where the leaf is absent (a key not in the domain then). */
    private static String value(String var, TlaValue v) { return v == null ? null : KernelWords.value(var, v); }

    /** The data as a JSON object. */
    public ObjectNode json() {
        Explainer ex = diagram.explainer();
        ItfTrace tr = ex.trace();
        TraceView t = new TraceView(tr);
        int last = t.last();
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        boolean run = diagram.isRun();
        o.put("name", diagram.name());
        o.put("kind", run ? "run" : "counterexample");
        o.put("model", tr.metaString("model"));
        o.put("modelDoc", ex.modelDoc().orElse(""));
        String mutation = Optional.ofNullable(tr.metaString("mutation")).orElse("none");
        o.put("variant", "none".equals(mutation) ? "no mutation (the code as merged)"
                : "mutation " + mutation + ": " + ex.catalogue().change(mutation).orElse("(not in the catalogue of specs/CONTRACT.md)"));
        ArrayNode evidence = o.putArray("evidence"), story = o.putArray("story");
        if (run) {
            o.put("title", diagram.name() + ": a correct run of " + tr.metaString("model") + " reaching " + tr.metaString("goal"));
            o.put("goal", tr.metaString("goal"));
            o.put("verdict", "reached " + tr.metaString("goal") + ": " + tr.metaString("goalDoc"));
        } else {
            Culprit c = ex.culprit();
            o.put("title", diagram.name() + ": " + tr.metaString("property") + " broken");
            o.put("property", tr.metaString("property"));
            o.put("verdict", "culprit (" + c.property() + "): " + c.summary());
            for (Evidence e : c.evidence()) evidence.add(e.words(last));
            for (String s : c.story()) story.add(s);
        }
        o.put("breaking", run ? last : diagram.breakingStep());
        if (tr.loop().isPresent()) o.put("loop", tr.loop().get());
        else o.putNull("loop");
        o.put("last", last);
        List<Lane> lanes = diagram.lanes();
        Set<String> laneIds = new LinkedHashSet<>();
        ArrayNode ls = o.putArray("lanes");
        for (Lane l : lanes) {
            laneIds.add(l.id());
            ObjectNode ln = ls.addObject();
            ln.put("id", l.id());
            ln.put("kind", l.kind().name().toLowerCase());
            ln.put("label", l.label());
        }
        // every cell of any state, in first-seen order, with its lane; the initial values
        Map<String, ObjectNode> cells = new LinkedHashMap<>();
        ArrayNode cellArray = o.putArray("cells");
        ObjectNode init = o.putObject("init");
        for (int k = 0; k <= last; k++)
            for (var e : t.leaves(k).entrySet())
                for (var leaf : e.getValue().entrySet()) {
                    List<String> keys = plain(leaf.getKey());
                    String id = cellId(e.getKey(), keys);
                    if (cells.containsKey(id)) continue;
                    ObjectNode c = cellArray.addObject();
                    c.put("id", id);
                    c.put("var", e.getKey());
                    c.put("name", KernelWords.name(e.getKey(), keys));
                    c.put("lane", diagram.laneOf(e.getKey(), keys, Lane.SUBSCRIPTIONS, laneIds));
                    cells.put(id, c);
                    if (k == 0) init.put(id, value(e.getKey(), leaf.getValue()));
                }
        Map<String, Integer> lastStepOf = new LinkedHashMap<>();
        for (int k = 1; k <= last; k++) lastStepOf.put(t.step(k, "proc"), k);
        ArrayNode steps = o.putArray("steps");
        for (int k = 1; k <= last; k++) {
            SequenceDiagram.StepDraw d = diagram.step(t, k, laneIds, lastStepOf, SequenceDiagram.Detail.FULL);
            ObjectNode s = steps.addObject();
            s.put("k", k);
            s.put("proc", d.proc());
            s.put("target", d.target());
            s.put("label", t.step(k, "label"));
            s.put("head", d.words().get(0));
            s.put("kernel", d.words().size() > 1 ? d.words().get(1) : "");
            ArrayNode ch = s.putArray("changes");
            for (var e : t.changes(k).entrySet())
                for (List<TlaValue> keys : e.getValue()) {
                    ArrayNode c = ch.addArray();
                    c.add(cellId(e.getKey(), plain(keys)));
                    c.add(value(e.getKey(), t.at(k - 1, e.getKey(), keys)));
                    c.add(value(e.getKey(), t.at(k, e.getKey(), keys)));
                }
        }
        return o;
    }

    /** The data file model-check/viewer/data/NAME.js: one statement that adds the trace to {@value #GLOBAL}. */
    public String script() {
        try {
            return "// generated by `bin/mmu-check diagram --all`: do not edit\nwindow." + GLOBAL + " = window." + GLOBAL + " || {};\nwindow."
                    + GLOBAL + "[" + new ObjectMapper().writeValueAsString(diagram.name()) + "] = "
                    + new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(json()) + ";\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the viewer data of " + diagram.name() + ": " + e.getMessage(), e);
        }
    }

    /** The index model-check/viewer/data/index.js: each trace's name, kind and title, for the viewer's list. */
    public static String index(List<ObjectNode> traces) {
        ObjectMapper m = new ObjectMapper();
        ArrayNode a = m.createArrayNode();
        for (ObjectNode t : traces) {
            ObjectNode e = a.addObject();
            e.put("name", t.get("name").asText());
            e.put("kind", t.get("kind").asText());
            e.put("title", t.get("title").asText());
        }
        try {
            return "// generated by `bin/mmu-check diagram --all`: do not edit\nwindow.MMU_INDEX = "
                    + m.writerWithDefaultPrettyPrinter().writeValueAsString(a) + ";\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the viewer's index: " + e.getMessage(), e);
        }
    }
}
