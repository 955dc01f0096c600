package dev.mmucheck.tlc;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TLA+ value as TLC produced it, independent of TLC's classes. Functions whose domain is
 * 1..n are sequences and functions with string domains are records, as TLA+ defines them
 * (and as TLC prints them); specs/CONTRACT.md fixes the encoding.
 */
public sealed interface TlaValue {

    record Int(BigInteger value) implements TlaValue {
        public static Int of(long v) { return new Int(BigInteger.valueOf(v)); }
        @Override public String toString() { return value.toString(); }
    }

    record Bool(boolean value) implements TlaValue {
        @Override public String toString() { return value ? "TRUE" : "FALSE"; }
    }

    record Str(String value) implements TlaValue {
        @Override public String toString() { return '"' + value + '"'; }
    }

    /** A model value (a constant of the model, such as a process id). */
    record ModelValue(String name) implements TlaValue {
        @Override public String toString() { return name; }
    }

    record SetV(List<TlaValue> elements) implements TlaValue {
        public SetV { elements = List.copyOf(elements); }
        @Override public String toString() { return "{" + join(elements) + "}"; }
    }

    record SeqV(List<TlaValue> elements) implements TlaValue {
        public SeqV { elements = List.copyOf(elements); }
        @Override public String toString() { return "<<" + join(elements) + ">>"; }
    }

    record RecordV(Map<String, TlaValue> fields) implements TlaValue {
        public RecordV { fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields)); }
        public TlaValue get(String field) {
            TlaValue v = fields.get(field);
            if (v == null) throw new IllegalArgumentException("record has no field '" + field + "': " + this);
            return v;
        }
        @Override public String toString() {
            List<String> parts = new ArrayList<>();
            fields.forEach((k, v) -> parts.add(k + " |-> " + v));
            return "[" + String.join(", ", parts) + "]";
        }
    }

    record Pair(TlaValue key, TlaValue value) {}

    /** A function whose domain is neither 1..n nor a set of strings. */
    record FunctionV(List<Pair> entries) implements TlaValue {
        public FunctionV { entries = List.copyOf(entries); }
        public TlaValue apply(TlaValue arg) {
            for (Pair p : entries) if (p.key().equals(arg)) return p.value();
            throw new IllegalArgumentException(arg + " is not in the domain of " + this);
        }
        @Override public String toString() {
            List<String> parts = new ArrayList<>();
            for (Pair p : entries) parts.add(p.key() + " :> " + p.value());
            return "(" + String.join(" @@ ", parts) + ")";
        }
    }

    private static String join(List<TlaValue> vs) {
        List<String> parts = new ArrayList<>();
        for (TlaValue v : vs) parts.add(v.toString());
        return String.join(", ", parts);
    }
}
