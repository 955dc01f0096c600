package dev.mmucheck.tlc;

import tlc2.tool.Action;
import tlc2.tool.TLCState;
import tlc2.util.BitVector;
import tlc2.util.IStateWriter;

/**
 * What this project's in-process observers of TLC share: TLC 2.18's {@link IStateWriter} has six
 * overloads of writeState; the observers need two (an initial state; a transition, with whether its
 * target is new), so every other overload comes here to the transition one. Never a no-op, never a dot file.
 */
abstract class StateWriterBase implements IStateWriter {
    @Override
    public abstract void writeState(TLCState state);

    @Override
    public abstract void writeState(TLCState state, TLCState successor, boolean successorStateIsNew, Action action);

    @Override
    public void writeState(TLCState state, TLCState successor, boolean successorStateIsNew) {
        writeState(state, successor, successorStateIsNew, (Action) null);
    }

    @Override
    public void writeState(TLCState state, TLCState successor, boolean successorStateIsNew, Visualization v) {
        writeState(state, successor, successorStateIsNew, (Action) null);
    }

    @Override
    public void writeState(TLCState state, TLCState successor, BitVector actionChecks, int from, int length, boolean successorStateIsNew) {
        writeState(state, successor, successorStateIsNew, (Action) null);
    }

    @Override
    public void writeState(TLCState state, TLCState successor, BitVector actionChecks, int from, int length,
                           boolean successorStateIsNew, Visualization v) {
        writeState(state, successor, successorStateIsNew, (Action) null);
    }

    @Override public void close() { }
    @Override public boolean isNoop() { return false; }
    @Override public boolean isDot() { return false; }
    @Override public void snapshot() { }
}
