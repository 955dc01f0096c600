package dev.mmucheck.tlc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tlc2.value.IValue;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.IntervalValue;
import tlc2.value.impl.ModelValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;

/** Converts TLC's value objects to {@link TlaValue}s; anything else fails, naming where. */
public final class TlcValues {
    private TlcValues() {}

    public static TlaValue convert(IValue value, String where) {
        if (value instanceof IntValue v) return TlaValue.Int.of(v.val);
        if (value instanceof BoolValue v) return new TlaValue.Bool(v.val);
        if (value instanceof StringValue v) return new TlaValue.Str(v.getVal().toString());
        if (value instanceof ModelValue v) return new TlaValue.ModelValue(v.val.toString());
        if (value instanceof RecordValue v) {
            Map<String, TlaValue> fields = new LinkedHashMap<>();
            for (int k = 0; k < v.names.length; k++) {
                String name = v.names[k].toString();
                fields.put(name, convert(v.values[k], where + "." + name));
            }
            return new TlaValue.RecordV(fields);
        }
        if (value instanceof TupleValue v) {
            List<TlaValue> elems = new ArrayList<>();
            for (int k = 0; k < v.elems.length; k++) elems.add(convert(v.elems[k], where + "[" + (k + 1) + "]"));
            return new TlaValue.SeqV(elems);
        }
        if (value instanceof IntervalValue v) {
            List<TlaValue> elems = new ArrayList<>();
            for (int k = v.low; k <= v.high; k++) elems.add(TlaValue.Int.of(k));
            return new TlaValue.SetV(elems);
        }
        if (value instanceof SetEnumValue v) {
            SetEnumValue n = (SetEnumValue) v.normalize();
            List<TlaValue> elems = new ArrayList<>();
            for (int k = 0; k < n.elems.size(); k++) elems.add(convert(n.elems.elementAt(k), where + "{" + k + "}"));
            return new TlaValue.SetV(elems);
        }
        if (value instanceof FcnRcdValue v) return function(v, where);
        throw new IllegalArgumentException("unexpected TLC value of class " + value.getClass().getName()
                + " at " + where + ": " + value);
    }

    private static TlaValue function(FcnRcdValue f, String where) {
        f = (FcnRcdValue) f.normalize();
        Value[] dom = f.getDomainAsValues();
        Value[] vals = f.values;
        boolean isSeq = true;
        for (int k = 0; k < dom.length; k++) {
            if (!(dom[k] instanceof IntValue iv) || iv.val != k + 1) { isSeq = false; break; }
        }
        if (isSeq) {
            List<TlaValue> elems = new ArrayList<>();
            for (int k = 0; k < vals.length; k++) elems.add(convert(vals[k], where + "[" + (k + 1) + "]"));
            return new TlaValue.SeqV(elems);
        }
        boolean isRecord = dom.length > 0;
        for (Value d : dom) if (!(d instanceof StringValue)) { isRecord = false; break; }
        if (isRecord) {
            Map<String, TlaValue> fields = new LinkedHashMap<>();
            for (int k = 0; k < dom.length; k++) {
                String name = ((StringValue) dom[k]).getVal().toString();
                fields.put(name, convert(vals[k], where + "." + name));
            }
            return new TlaValue.RecordV(fields);
        }
        List<TlaValue.Pair> entries = new ArrayList<>();
        for (int k = 0; k < dom.length; k++) {
            TlaValue key = convert(dom[k], where + "<key " + k + ">");
            entries.add(new TlaValue.Pair(key, convert(vals[k], where + "[" + key + "]")));
        }
        return new TlaValue.FunctionV(entries);
    }
}
