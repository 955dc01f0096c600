package dev.mmucheck.tlc;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mmucheck.trace.Itf;

/**
 * The part of the state-graph file that {@link GraphRecorder} (a whole graph) and
 * {@link RandomWalker} (random walks over it) write alike: the variables, the model values, the
 * initial states, the step records (each once, by index) and the edges [source, step, target].
 */
final class GraphJson {
    private GraphJson() {}

    static void writeHeader(JsonGenerator g, ObjectMapper mapper, List<String> vars, Collection<String> modelValues,
            Collection<Integer> init, Map<TlaValue, Integer> stepIds, List<int[]> edges) throws IOException {
        g.writeArrayFieldStart("vars");
        for (String v : vars == null ? List.<String>of() : vars) g.writeString(v);
        g.writeEndArray();
        g.writeArrayFieldStart("modelValues");
        for (String m : modelValues) g.writeString(m);
        g.writeEndArray();
        g.writeArrayFieldStart("init");
        for (int i : init) g.writeNumber(i);
        g.writeEndArray();
        g.writeArrayFieldStart("steps");
        for (TlaValue s : stepIds.keySet()) mapper.writeTree(g, Itf.encode(s));
        g.writeEndArray();
        g.writeArrayFieldStart("edges");
        for (int[] e : edges) g.writeArray(e, 0, 3);
        g.writeEndArray();
    }
}
