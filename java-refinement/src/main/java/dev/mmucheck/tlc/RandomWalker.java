package dev.mmucheck.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mmucheck.trace.Itf;
import tlc2.tool.Action;
import tlc2.tool.ITool;
import tlc2.tool.StateVec;
import tlc2.tool.TLCState;
import tlc2.value.IValue;
import util.UniqueString;

/**
 * Random behaviours of a model, walked over TLC's own next-state function in this JVM: from an
 * initial state, every successor of the current state is computed by TLC ({@link ITool#getNextStates},
 * over each of the actions TLC splits {@code Next} into), one is picked at random (uniformly, from a
 * {@link Random} seeded with the seed and the walk's number), and so on until no step but the spec's
 * {@code Terminated} stuttering is left (or a step bound). At every state of every walk TLC's verdict is
 * taken: which invariants of the configuration the state breaks, and which action properties the step
 * into it breaks. Since every successor is computed, the walk also knows which processes can move at
 * each of its states, so the Java side can check both ways (a process with no step must block).
 *
 * <p>The walks are written as a state graph ({@link GraphRecorder}'s format: the states the walks
 * visited, told apart by their values without the step record; the edges they took) plus
 * {@code walks} (each a list of edge ids from an initial state), {@code movers} (per state, the
 * processes with a step out of it), {@code broken} (per state, the invariants TLC finds false there),
 * {@code edgeBroken} (per edge, the action properties TLC finds false on it) and {@code ends} (per
 * walk: {@code terminal}, {@code deadlock} or {@code bound}).
 */
public final class RandomWalker {
    private final ITool tool;
    private final int walks;
    private final long seed;
    private final int depth;
    private final Consumer<String> progress;

    private List<String> vars;
    private final Map<List<TlaValue>, Integer> ids = new HashMap<>();
    private final List<TlaValue[]> states = new ArrayList<>();
    private final List<Map<TlaValue, TlaValue>> interned = new ArrayList<>();
    private final List<Set<String>> movers = new ArrayList<>();
    private final List<List<String>> broken = new ArrayList<>();
    private final Map<TlaValue, Integer> stepIds = new LinkedHashMap<>();
    private final Map<Long, Integer> edgeIds = new HashMap<>();
    private final List<int[]> edges = new ArrayList<>();
    private final List<List<String>> edgeBroken = new ArrayList<>();
    private final List<int[]> walkEdges = new ArrayList<>();
    private final List<Integer> walkInit = new ArrayList<>();
    private final List<String> ends = new ArrayList<>();
    private final Set<String> modelValues = new TreeSet<>();
    private long successors, steps;

    public RandomWalker(ITool tool, int walks, long seed, int depth, Consumer<String> progress) {
        this.tool = tool;
        this.walks = walks;
        this.seed = seed;
        this.depth = depth;
        this.progress = progress;
    }

    /** Distinct states visited, successors TLC computed, steps taken. */
    public int stateCount() { return states.size(); }
    public long successorCount() { return successors; }
    public long stepCount() { return steps; }

    /** Walks {@code walks} behaviours. */
    public void run() {
        Action[] actions = tool.getActions();
        Action[] invariants = tool.getInvariants();
        Action[] actionProps = tool.getImpliedActions();
        StateVec inits = tool.getInitStates();
        if (inits.size() == 0) throw new IllegalStateException("the model has no initial state");
        long t0 = System.nanoTime(), last = t0;
        for (int w = 0; w < walks; w++) {
            Random rnd = new Random(seed * 1_000_003L + w);
            TLCState s = inits.elementAt(rnd.nextInt(inits.size()));
            int cur = id(s, invariants);
            walkInit.add(cur);
            List<Integer> taken = new ArrayList<>();
            String end = "bound";
            for (int k = 0; k < depth; k++) {
                List<TLCState> next = new ArrayList<>();
                boolean terminated = false;
                for (Action a : actions) {
                    boolean term = a.getName() != null && a.getName().toString().equals("Terminated");
                    StateVec v = tool.getNextStates(a, s);
                    for (int j = 0; j < v.size(); j++) {
                        TLCState t = v.elementAt(j);
                        if (!t.allAssigned()) throw new IllegalStateException("TLC left a variable unassigned in a successor by " + a.getName());
                        if (!tool.isInModel(t) || !tool.isInActions(s, t)) continue;
                        successors++;
                        if (term) terminated = true;
                        else next.add(t);
                    }
                }
                recordMovers(cur, next);
                if (next.isEmpty()) {
                    end = terminated ? "terminal" : "deadlock";
                    break;
                }
                TLCState t = next.get(rnd.nextInt(next.size()));
                int dst = id(t, invariants);
                TlaValue rec = TlcValues.convert(t.getVals().get(UniqueString.uniqueStringOf("step")), "the step record");
                int step = stepIds.computeIfAbsent(rec, x -> { Itf.collectModelValues(x, modelValues); return stepIds.size(); });
                long key = ((long) cur << 40) | ((long) dst << 16) | step;
                if (cur >= 1 << 24 || dst >= 1 << 24 || step >= 1 << 16) throw new IllegalStateException("too many states or step records to record");
                Integer e = edgeIds.get(key);
                if (e == null) {
                    e = edges.size();
                    edgeIds.put(key, e);
                    edges.add(new int[] {cur, dst, step});
                    List<String> b = new ArrayList<>();
                    for (Action p : actionProps) if (!tool.isValid(p, s, t)) b.add(name(p));
                    edgeBroken.add(b);
                }
                taken.add(e);
                steps++;
                s = t;
                cur = dst;
            }
            walkEdges.add(taken.stream().mapToInt(Integer::intValue).toArray());
            ends.add(end);
            long now = System.nanoTime();
            if (now - last > 5_000_000_000L) {
                last = now;
                progress.accept(String.format("walks: %d of %d, %,d steps, %,d distinct states, %.0f behaviours/s", w + 1, walks, steps,
                        states.size(), (w + 1) / ((now - t0) / 1e9)));
            }
        }
    }

    private void recordMovers(int state, List<TLCState> next) {
        Set<String> procs = new TreeSet<>();
        for (TLCState t : next) {
            TlaValue rec = TlcValues.convert(t.getVals().get(UniqueString.uniqueStringOf("step")), "the step record");
            TlaValue p = ((TlaValue.RecordV) rec).get("proc");
            procs.add(p instanceof TlaValue.ModelValue m ? m.name() : String.valueOf(p));
        }
        Set<String> was = movers.get(state);
        if (was == null) movers.set(state, procs);
        else if (!was.equals(procs))
            throw new IllegalStateException("state " + state + " has different processes with a step on two visits (" + was + ", " + procs
                    + "): its step record matters to Next, so states cannot be told apart without it");
    }

    private static String name(Action a) {
        if (a.getOpDef() != null) return a.getOpDef().getName().toString();
        return a.getName() != null ? a.getName().toString() : a.getLocation();
    }

    private int id(TLCState s, Action[] invariants) {
        if (vars == null) {
            vars = new ArrayList<>();
            for (var d : s.getVars()) if (!d.getName().toString().equals("step")) vars.add(d.getName().toString());
            while (interned.size() < vars.size()) interned.add(new HashMap<>());
        }
        Map<UniqueString, IValue> vals = s.getVals();
        TlaValue[] state = new TlaValue[vars.size()];
        for (int i = 0; i < state.length; i++) {
            String v = vars.get(i);
            TlaValue x = TlcValues.convert(vals.get(UniqueString.uniqueStringOf(v)), "state " + states.size() + ", variable " + v);
            TlaValue kept = interned.get(i).putIfAbsent(x, x);
            if (kept == null) Itf.collectModelValues(x, modelValues);
            state[i] = kept == null ? x : kept;
        }
        List<TlaValue> key = List.of(state);
        Integer id = ids.get(key);
        if (id != null) return id;
        ids.put(key, states.size());
        states.add(state);
        movers.add(null);
        List<String> b = new ArrayList<>();
        for (Action inv : invariants) if (!tool.isValid(inv, s)) b.add(name(inv));
        broken.add(b);
        return states.size() - 1;
    }

    /** Writes the walks (see the class comment), streamed. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        ObjectMapper mapper = new ObjectMapper();
        try (JsonGenerator g = mapper.getFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            GraphJson.writeHeader(g, mapper, vars, modelValues, new TreeSet<>(walkInit), stepIds, edges);
            g.writeNumberField("writeStateCalls", successors);
            g.writeArrayFieldStart("walks");
            for (int[] w : walkEdges) g.writeArray(w, 0, w.length);
            g.writeEndArray();
            g.writeArrayFieldStart("walkInit");
            for (int i : walkInit) g.writeNumber(i);
            g.writeEndArray();
            g.writeArrayFieldStart("ends");
            for (String e : ends) g.writeString(e);
            g.writeEndArray();
            g.writeArrayFieldStart("movers");
            for (Set<String> m : movers) {
                g.writeStartArray();
                for (String p : m == null ? Set.<String>of() : m) g.writeString(p);
                g.writeEndArray();
            }
            g.writeEndArray();
            writeLists(g, "broken", broken);
            writeLists(g, "edgeBroken", edgeBroken);
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

    private static void writeLists(JsonGenerator g, String field, List<List<String>> lists) throws IOException {
        g.writeArrayFieldStart(field);
        for (List<String> l : lists) {
            g.writeStartArray();
            for (String s : l) g.writeString(s);
            g.writeEndArray();
        }
        g.writeEndArray();
    }
}
