package dev.mmucheck.refinement;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mmucheck.tlc.TlaValue;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfFormatException;

/**
 * TLC's state graph of one model (written by {@code tlc.GraphRecorder}): every reachable state
 * (by id, without the step record), the initial states, and every distinct edge with the step
 * record of the transition (process, label, notifier, pages).
 */
public record StateGraph(List<String> vars, List<Map<String, TlaValue>> states, int[] init, List<Edge> edges,
                         List<List<Edge>> out, long writeStateCalls) {

    /** One transition: from state {@code src} to {@code dst}, the step {@code step} taken by {@code proc}. */
    public record Edge(int id, int src, int dst, TlaValue.RecordV step, String proc, String label) {
        @Override
        public String toString() { return src + " -[" + proc + ": " + label + "]-> " + dst; }
    }

    public static StateGraph read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        String name = file.toString();
        Set<String> mv = new HashSet<>();
        root.path("modelValues").forEach(n -> mv.add(n.asText()));
        List<String> vars = new ArrayList<>();
        root.path("vars").forEach(n -> vars.add(n.asText()));
        try {
            List<TlaValue.RecordV> steps = new ArrayList<>();
            JsonNode sn = root.path("steps");
            for (int k = 0; k < sn.size(); k++) steps.add((TlaValue.RecordV) Itf.decode(sn.get(k), mv, name, "steps[" + k + "]"));
            List<Map<String, TlaValue>> states = new ArrayList<>();
            JsonNode st = root.path("states");
            // one object per distinct value of a variable: most states share most of their values,
            // and a graph of a few hundred thousand states would not fit in the heap otherwise
            Map<TlaValue, TlaValue> shared = new HashMap<>();
            for (int k = 0; k < st.size(); k++) {
                Map<String, TlaValue> s = new LinkedHashMap<>();
                for (String v : vars) {
                    TlaValue x = Itf.decode(st.get(k).get(v), mv, name, "states[" + k + "]." + v);
                    s.put(v, shared.computeIfAbsent(x, y -> y));
                }
                states.add(s);
            }
            int[] init = new int[root.path("init").size()];
            for (int k = 0; k < init.length; k++) init[k] = root.path("init").get(k).asInt();
            List<Edge> edges = new ArrayList<>();
            List<List<Edge>> out = new ArrayList<>();
            for (int k = 0; k < states.size(); k++) out.add(new ArrayList<>());
            JsonNode en = root.path("edges");
            for (int k = 0; k < en.size(); k++) {
                JsonNode e = en.get(k);
                TlaValue.RecordV step = steps.get(e.get(2).asInt());
                String proc = step.get("proc") instanceof TlaValue.ModelValue m ? m.name() : String.valueOf(step.get("proc"));
                String label = ((TlaValue.Str) step.get("label")).value();
                Edge edge = new Edge(k, e.get(0).asInt(), e.get(1).asInt(), step, proc, label);
                edges.add(edge);
                out.get(edge.src()).add(edge);
            }
            return new StateGraph(vars, states, init, edges, out, root.path("writeStateCalls").asLong());
        } catch (ItfFormatException | ClassCastException e) {
            throw new IOException(name + ": not a state graph of this project: " + e.getMessage(), e);
        }
    }
}
