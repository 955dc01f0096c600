package dev.mmucheck.tlc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tla2sany.semantic.OpDefNode;
import tlc2.TLCGlobals;
import tlc2.tool.Action;
import tlc2.tool.ITool;
import tlc2.tool.TLCState;
import tlc2.util.Context;
import tlc2.util.IStateWriter;
import tlc2.value.IBoolValue;
import tlc2.value.IValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.ModelValue;

/**
 * The adequacy witnesses of a model, evaluated inside its one TLC run: TLC hands this state
 * writer every initial state and every new state it finds; each witness (a state predicate of
 * specs/, beside the property it gives a chance to fail; {@code Name(g1)} applies a witness with a
 * parameter to a model value or an integer) not reached yet is evaluated on it, and
 * the depth of the first state that satisfies it is kept. Transitions are passed on to
 * {@code next} (the state-graph recorder, when there is one).
 */
public final class WitnessRecorder extends StateWriterBase {
    private final List<String> names;
    private final IStateWriter next;
    private final Map<String, Integer> reached = new LinkedHashMap<>();
    private OpDefNode[] defs;
    private Context[] contexts;
    private ITool tool;
    private int left;
    /** A failure while evaluating; kept for the result, never thrown into TLC. */
    String failure;

    public WitnessRecorder(List<String> names, IStateWriter next) {
        this.names = List.copyOf(names);
        this.next = next;
        for (String n : names) reached.put(n, -1);
        left = names.size();
    }

    /** For each witness, the depth (0: an initial state) of the first state found that satisfies it, or -1. */
    public synchronized Map<String, Integer> reached() { return new LinkedHashMap<>(reached); }

    private void look(TLCState s) {
        if (left == 0 || failure != null) return;
        try {
            if (defs == null) {
                tool = TLCGlobals.mainChecker.tool;
                defs = new OpDefNode[names.size()];
                contexts = new Context[names.size()];
                for (int k = 0; k < defs.length; k++) {
                    String n = names.get(k);
                    int paren = n.indexOf('(');
                    String op = paren < 0 ? n : n.substring(0, paren);
                    for (OpDefNode d : tool.getRootModule().getOpDefs()) if (d.getName().toString().equals(op)) defs[k] = d;
                    if (defs[k] == null) throw new IllegalArgumentException("no module of specs/ defines the witness " + op);
                    contexts[k] = Context.Empty;
                    String[] args = paren < 0 ? new String[0] : n.substring(paren + 1, n.length() - 1).split(",");
                    if (defs[k].getArity() != args.length)
                        throw new IllegalArgumentException("the witness " + n + ": " + op + " takes " + defs[k].getArity() + " arguments");
                    for (int a = 0; a < args.length; a++) {
                        String x = args[a].strip();
                        Object value = x.matches("-?\\d+") ? IntValue.gen(Integer.parseInt(x)) : ModelValue.make(x);
                        contexts[k] = contexts[k].cons(defs[k].getParams()[a], value);
                    }
                }
            }
            for (int k = 0; k < defs.length; k++) {
                String n = names.get(k);
                if (reached.get(n) >= 0) continue;
                IValue v = tool.eval(defs[k].getBody(), contexts[k], s);
                if (!(v instanceof IBoolValue b)) throw new IllegalArgumentException("the witness " + n + " is not a predicate: it gave " + v);
                if (b.getVal()) {
                    reached.put(n, s.getLevel() - 1 < 0 ? 0 : s.getLevel() - 1);
                    left--;
                }
            }
        } catch (RuntimeException e) {
            failure = "evaluating the witnesses: " + e.getMessage();
        }
    }

    @Override
    public synchronized void writeState(TLCState state) {
        look(state);
        if (next != null) next.writeState(state);
    }

    @Override
    public synchronized void writeState(TLCState state, TLCState successor, boolean successorStateIsNew, Action action) {
        if (successorStateIsNew) look(successor);
        if (next != null) next.writeState(state, successor, successorStateIsNew, action);
    }

    @Override public void close() { if (next != null) next.close(); }
    @Override public String getDumpFileName() { return "adequacy witnesses"; }
}
