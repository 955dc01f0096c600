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

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

    /**
     * Reads a graph file, streaming: each state is read on its own, and equal values of a variable
     * are kept once (a graph of many states holds few distinct values per variable).
     */
    public static StateGraph read(Path file) throws IOException {
        String name = file.toString();
        ObjectMapper mapper = new ObjectMapper();
        Set<String> mv = new HashSet<>();
        List<String> vars = new ArrayList<>();
        List<TlaValue.RecordV> steps = new ArrayList<>();
        List<Map<String, TlaValue>> states = new ArrayList<>();
        List<int[]> rawEdges = new ArrayList<>();
        int[] init = new int[0];
        long calls = 0;
        List<Map<TlaValue, TlaValue>> interned = new ArrayList<>();
        try (JsonParser p = mapper.getFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException(name + ": not a state graph of this project: no JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                p.nextToken();
                switch (field) {
                    case "vars" -> { for (JsonNode n : (JsonNode) mapper.readTree(p)) vars.add(n.asText()); }
                    case "modelValues" -> { for (JsonNode n : (JsonNode) mapper.readTree(p)) mv.add(n.asText()); }
                    case "init" -> {
                        JsonNode n = mapper.readTree(p);
                        init = new int[n.size()];
                        for (int k = 0; k < init.length; k++) init[k] = n.get(k).asInt();
                    }
                    case "steps" -> {
                        JsonNode sn = mapper.readTree(p);
                        for (int k = 0; k < sn.size(); k++) steps.add((TlaValue.RecordV) Itf.decode(sn.get(k), mv, name, "steps[" + k + "]"));
                    }
                    case "edges" -> {
                        if (p.currentToken() != JsonToken.START_ARRAY) throw new IOException(name + ": edges is not an array");
                        while (p.nextToken() == JsonToken.START_ARRAY) {
                            int[] e = new int[3];
                            for (int k = 0; k < 3; k++) {
                                p.nextToken();
                                e[k] = p.getIntValue();
                            }
                            if (p.nextToken() != JsonToken.END_ARRAY) throw new IOException(name + ": edge " + rawEdges.size() + " is not [source, target, step]");
                            rawEdges.add(e);
                        }
                    }
                    case "writeStateCalls" -> calls = p.getLongValue();
                    case "states" -> {
                        if (vars.isEmpty() && p.currentToken() == JsonToken.START_ARRAY) { /* an empty graph */ }
                        for (int i = 0; i < vars.size(); i++) interned.add(new HashMap<>());
                        if (p.currentToken() != JsonToken.START_ARRAY) throw new IOException(name + ": states is not an array");
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            JsonNode st = mapper.readTree(p);
                            int k = states.size();
                            Map<String, TlaValue> s = new LinkedHashMap<>();
                            for (int i = 0; i < vars.size(); i++) {
                                String v = vars.get(i);
                                TlaValue x = Itf.decode(st.get(v), mv, name, "states[" + k + "]." + v);
                                s.put(v, interned.get(i).computeIfAbsent(x, y -> y));
                            }
                            states.add(s);
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (ItfFormatException | ClassCastException | NullPointerException e) {
            throw new IOException(name + ": not a state graph of this project: " + e.getMessage(), e);
        }
        List<Edge> edges = new ArrayList<>();
        List<List<Edge>> out = new ArrayList<>();
        for (int k = 0; k < states.size(); k++) out.add(new ArrayList<>());
        for (int[] e : rawEdges) {
            if (e[2] < 0 || e[2] >= steps.size() || e[0] < 0 || e[0] >= states.size() || e[1] < 0 || e[1] >= states.size())
                throw new IOException(name + ": edge " + edges.size() + " names a state or step the file does not have");
            TlaValue.RecordV step = steps.get(e[2]);
            String proc = step.get("proc") instanceof TlaValue.ModelValue m ? m.name() : String.valueOf(step.get("proc"));
            String label = ((TlaValue.Str) step.get("label")).value();
            Edge edge = new Edge(edges.size(), e[0], e[1], step, proc, label);
            edges.add(edge);
            out.get(edge.src()).add(edge);
        }
        return new StateGraph(vars, states, init, edges, out, calls);
    }
}
