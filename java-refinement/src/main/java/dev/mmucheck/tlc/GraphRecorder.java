package dev.mmucheck.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mmucheck.trace.Itf;
import tlc2.tool.Action;
import tlc2.tool.TLCState;
import tlc2.value.IValue;
import util.UniqueString;

/**
 * TLC's whole state graph, recorded in-process: TLC calls {@link #writeState} for every initial
 * state and for every transition it explores (breadth first), so this sees every reachable state
 * once as new and every edge. States are told apart by TLC's fingerprint (with the model's VIEW, so
 * the step record is not part of a state); an edge is (source, step record, target), kept once
 * however often TLC reports it (two disjuncts of an action may both be true). The spec's
 * {@code Terminated} stuttering is not an edge: no Java process takes it.
 *
 * <p>Written as JSON: {@code vars} (without step), {@code states} (ITF-encoded, by id),
 * {@code init} (ids), {@code steps} (the distinct step records), {@code edges} ([source, target, step] ids),
 * and the counts TLC reported.
 */
public final class GraphRecorder extends StateWriterBase {
    private final Map<Long, Integer> ids = new HashMap<>();
    /** Each state's values, in the order of {@link #vars}; equal values of a variable are kept once ({@link #interned}). */
    private final List<TlaValue[]> states = new ArrayList<>();
    private final List<Map<TlaValue, TlaValue>> interned = new ArrayList<>();
    private final List<Integer> init = new ArrayList<>();
    private final Map<TlaValue, Integer> stepIds = new LinkedHashMap<>();
    /** The edges seen, as (source, target, step) packed in a long. */
    private final Set<Long> edgeSet = new HashSet<>();
    private final List<int[]> edges = new ArrayList<>();
    private List<String> vars;
    private final Set<String> modelValues = new java.util.TreeSet<>();
    private long calls, stutters;
    /** A failure while recording; kept for the result, never thrown into TLC. */
    String failure;

    private int id(TLCState s) {
        long fp = s.fingerPrint();
        Integer id = ids.get(fp);
        if (id != null) return id;
        if (vars == null) {
            vars = new ArrayList<>();
            for (var d : s.getVars()) if (!d.getName().toString().equals("step")) vars.add(d.getName().toString());
        }
        Map<UniqueString, IValue> vals = s.getVals();
        TlaValue[] state = new TlaValue[vars.size()];
        while (interned.size() < vars.size()) interned.add(new HashMap<>());
        for (int i = 0; i < state.length; i++) {
            String v = vars.get(i);
            TlaValue x = TlcValues.convert(vals.get(UniqueString.uniqueStringOf(v)), "state " + states.size() + ", variable " + v);
            TlaValue kept = interned.get(i).putIfAbsent(x, x);
            if (kept == null) Itf.collectModelValues(x, modelValues);
            state[i] = kept == null ? x : kept;
        }
        ids.put(fp, states.size());
        states.add(state);
        return states.size() - 1;
    }

    private static TlaValue step(TLCState s) {
        return TlcValues.convert(s.getVals().get(UniqueString.uniqueStringOf("step")), "the step record");
    }

    @Override
    public synchronized void writeState(TLCState state) {
        try {
            calls++;
            init.add(id(state));
        } catch (RuntimeException e) {
            if (failure == null) failure = "recording an initial state: " + e;
        }
    }

    @Override
    public synchronized void writeState(TLCState state, TLCState successor, boolean successorStateIsNew, Action action) {
        try {
            calls++;
            if (action != null && action.getName() != null && action.getName().toString().equals("Terminated")) {
                stutters++;
                return;
            }
            int src = id(state), dst = id(successor);
            TlaValue rec = step(successor);
            Itf.collectModelValues(rec, modelValues);
            int step = stepIds.computeIfAbsent(rec, k -> stepIds.size());
            if (src >= 1 << 24 || dst >= 1 << 24 || step >= 1 << 16)
                throw new IllegalStateException("the graph is too large to record: state " + Math.max(src, dst) + ", step record " + step);
            if (edgeSet.add(((long) src << 40) | ((long) dst << 16) | step)) edges.add(new int[] {src, dst, step});
        } catch (RuntimeException e) {
            if (failure == null) failure = "recording a transition: " + e;
        }
    }

    @Override public String getDumpFileName() { return "in-process state graph"; }

    public synchronized int stateCount() { return states.size(); }
    public synchronized int edgeCount() { return edges.size(); }

    /** Writes the graph as JSON (streamed: a large graph never sits in memory as text). */
    public synchronized void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        ObjectMapper mapper = new ObjectMapper();
        try (JsonGenerator g = mapper.getFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            GraphJson.writeHeader(g, mapper, vars, modelValues, init, stepIds, edges);
            g.writeNumberField("writeStateCalls", calls);
            g.writeNumberField("terminatedStutters", stutters);
            g.writeArrayFieldStart("states");
            for (TlaValue[] s : states) {
                g.writeStartObject();
                for (int i = 0; i < vars.size(); i++) {
                    g.writeFieldName(vars.get(i));
                    mapper.writeTree(g, Itf.encode(s[i]));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
