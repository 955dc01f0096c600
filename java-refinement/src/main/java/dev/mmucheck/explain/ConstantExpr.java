package dev.mmucheck.explain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.mmucheck.tlc.TlaValue;

/**
 * Evaluates the constant expressions a model's configuration and specs/MC.tla use for its
 * constants: integers, strings, model values, sets, tuples, {@code a :> b}, {@code f @@ g}, {@code f[x]},
 * {@code [x \in S |-> e]} with a constant body, and names of other definitions or constants
 * (resolved by {@code names}). Anything else is an {@link IllegalArgumentException} naming the
 * text: the explanation then says the constant is unknown rather than guessing.
 */
final class ConstantExpr {
    private final String text;
    private final Function<String, TlaValue> names;
    private int pos;

    private ConstantExpr(String text, Function<String, TlaValue> names) {
        this.text = text;
        this.names = names;
    }

    /** The value of {@code text}; {@code names} gives the value of an identifier (a model value when it knows none). */
    static TlaValue eval(String text, Function<String, TlaValue> names) {
        ConstantExpr p = new ConstantExpr(text, names);
        TlaValue v = p.merge();
        p.skip();
        if (p.pos != text.length()) throw p.error("unexpected '" + text.substring(p.pos) + "'");
        return v;
    }

    /** f @@ g: f's entries, then g's for keys f lacks (TLC's @@, left-biased). */
    private TlaValue merge() {
        TlaValue v = pair();
        while (eat("@@")) {
            TlaValue w = pair();
            Map<TlaValue, TlaValue> m = new LinkedHashMap<>(entries(v));
            entries(w).forEach(m::putIfAbsent);
            v = function(m);
        }
        return v;
    }

    private TlaValue pair() {
        TlaValue k = atom();
        if (eat(":>")) return function(Map.of(k, atom()));
        return k;
    }

    private TlaValue atom() {
        skip();
        if (eat("(")) {
            TlaValue v = merge();
            expect(")");
            return v;
        }
        if (eat("{")) return new TlaValue.SetV(sortedSet(list("}")));
        if (eat("<<")) return new TlaValue.SeqV(list(">>"));
        if (eat("[")) {
            String var = ident();
            expect("\\in");
            TlaValue dom = merge();
            expect("|->");
            TlaValue body = merge();
            expect("]");
            if (!(dom instanceof TlaValue.SetV s)) throw error("the domain of [" + var + " \\in ...] is not a set");
            Map<TlaValue, TlaValue> m = new LinkedHashMap<>();
            for (TlaValue x : s.elements()) m.put(x, body);
            return function(m);
        }
        if (pos < text.length() && text.charAt(pos) == '"') {
            int end = text.indexOf('"', pos + 1);
            if (end < 0) throw error("unterminated string");
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return new TlaValue.Str(s);
        }
        if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
            return new TlaValue.Int(new BigInteger(text.substring(start, pos)));
        }
        String id = ident();
        if (id.equals("TRUE") || id.equals("FALSE")) return new TlaValue.Bool(id.equals("TRUE"));
        TlaValue v = names.apply(id);
        while (pos < text.length() && text.charAt(pos) == '[') {   // f[x]: function application
            pos++;
            TlaValue arg = merge();
            expect("]");
            TlaValue applied = entries(v).get(arg);
            if (applied == null) throw error(id + "[" + arg + "]: " + arg + " is not in the domain of " + id);
            v = applied;
        }
        return v;
    }

    private List<TlaValue> list(String close) {
        List<TlaValue> xs = new ArrayList<>();
        skip();
        if (eat(close)) return xs;
        do xs.add(merge()); while (eat(","));
        expect(close);
        return xs;
    }

    private String ident() {
        skip();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
        if (start == pos) throw error("expected a name");
        return text.substring(start, pos);
    }

    private boolean eat(String tok) {
        skip();
        if (text.startsWith(tok, pos)) {
            pos += tok.length();
            return true;
        }
        return false;
    }

    private void expect(String tok) {
        if (!eat(tok)) throw error("expected '" + tok + "'");
    }

    private void skip() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("cannot evaluate '" + text + "' at column " + (pos + 1) + ": " + what);
    }

    private static List<TlaValue> sortedSet(List<TlaValue> xs) {
        List<TlaValue> out = new ArrayList<>();
        for (TlaValue x : xs) if (!out.contains(x)) out.add(x);
        out.sort((a, b) -> a instanceof TlaValue.Int x && b instanceof TlaValue.Int y ? x.value().compareTo(y.value())
                : a.toString().compareTo(b.toString()));
        return out;
    }

    static Map<TlaValue, TlaValue> entries(TlaValue f) {
        Map<TlaValue, TlaValue> m = new LinkedHashMap<>();
        if (f instanceof TlaValue.FunctionV fn) {
            for (TlaValue.Pair p : fn.entries()) m.put(p.key(), p.value());
        } else if (f instanceof TlaValue.SeqV s) {
            for (int k = 0; k < s.elements().size(); k++) m.put(TlaValue.Int.of(k + 1), s.elements().get(k));
        } else if (f instanceof TlaValue.RecordV r) {
            r.fields().forEach((k, v) -> m.put(new TlaValue.Str(k), v));
        } else {
            throw new IllegalArgumentException("not a function: " + f);
        }
        return m;
    }

    private static TlaValue function(Map<TlaValue, TlaValue> m) {
        List<TlaValue.Pair> ps = new ArrayList<>();
        m.forEach((k, v) -> ps.add(new TlaValue.Pair(k, v)));
        return new TlaValue.FunctionV(ps);
    }
}
