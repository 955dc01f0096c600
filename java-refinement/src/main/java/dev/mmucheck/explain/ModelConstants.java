package dev.mmucheck.explain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mmucheck.tlc.CfgFile;
import dev.mmucheck.tlc.TlaValue;

/**
 * The constants of the model a trace came from (its configuration, with the definitions of
 * specs/MC.tla that the configuration substitutes), evaluated without TLC. A constant that cannot
 * be evaluated is left out, with the reason in {@link #unknown()}.
 *
 * @param source the configuration read, or why none was
 * @param values constant name to value
 * @param unknown constant name to why it has no value
 */
public record ModelConstants(String source, Map<String, TlaValue> values, Map<String, String> unknown) {
    private static final Pattern DEF = Pattern.compile("^(\\w+)\\s*==\\s*(.+)$");

    public ModelConstants {
        values = Map.copyOf(values);
        unknown = Map.copyOf(unknown);
    }

    /** No configuration: every constant unknown. */
    public static ModelConstants none(String why) { return new ModelConstants(why, Map.of(), Map.of()); }

    /** The constants of configuration {@code cfg}, with the definitions of {@code mcTla}. */
    public static ModelConstants read(Path cfg, Path mcTla) throws IOException {
        CfgFile c = CfgFile.read(cfg);
        Map<String, String> defs = new LinkedHashMap<>();
        if (Files.isRegularFile(mcTla)) {
            for (String line : Files.readAllLines(mcTla)) {
                Matcher m = DEF.matcher(line.replaceAll("\\\\\\*.*$", "").strip());
                if (m.matches()) defs.put(m.group(1), m.group(2));
            }
        }
        Map<String, TlaValue> values = new LinkedHashMap<>();
        Map<String, String> unknown = new LinkedHashMap<>();
        Resolver r = new Resolver(c.constants(), defs);
        for (String name : c.constants().keySet()) {
            try {
                values.put(name, r.value(name));
            } catch (IllegalArgumentException e) {
                unknown.put(name, e.getMessage());
            }
        }
        return new ModelConstants(cfg.toString(), values, unknown);
    }

    /** Resolves names: cfg constants (by value or by substitution), then MC.tla definitions, else a model value. */
    private static final class Resolver {
        private final Map<String, String> constants, defs;
        private final Map<String, TlaValue> memo = new LinkedHashMap<>();
        private final Set<String> busy = new HashSet<>();

        Resolver(Map<String, String> constants, Map<String, String> defs) {
            this.constants = constants;
            this.defs = defs;
        }

        TlaValue value(String name) {
            TlaValue v = memo.get(name);
            if (v != null) return v;
            if (!busy.add(name)) throw new IllegalArgumentException("'" + name + "' is defined in terms of itself");
            try {
                String c = constants.get(name);
                String text = c == null ? defs.get(name) : c.startsWith("<- ") ? defs.get(c.substring(3)) : c;
                if (c != null && c.startsWith("<- ") && text == null)
                    throw new IllegalArgumentException(name + " <- " + c.substring(3) + ": no one-line definition of "
                            + c.substring(3) + " in MC.tla");
                // a constant assigned its own name is a model value (n1 = n1)
                v = text == null || text.equals(name) ? new TlaValue.ModelValue(name) : ConstantExpr.eval(text, this::value);
                memo.put(name, v);
                return v;
            } finally {
                busy.remove(name);
            }
        }
    }

    public Optional<TlaValue> get(String name) { return Optional.ofNullable(values.get(name)); }

    /** The elements of set constant {@code name} (model value names or numbers as text); empty if unknown. */
    public List<String> members(String name) {
        return get(name).filter(v -> v instanceof TlaValue.SetV).map(v -> ((TlaValue.SetV) v).elements().stream()
                .map(ModelConstants::plain).toList()).orElse(List.of());
    }

    public boolean known(String name) { return values.containsKey(name); }

    /** {@code f[x]} of function constant {@code f}, when known. */
    public Optional<TlaValue> apply(String f, String x) {
        return get(f).flatMap(v -> {
            for (Map.Entry<TlaValue, TlaValue> e : ConstantExpr.entries(v).entrySet())
                if (plain(e.getKey()).equals(x)) return Optional.of(e.getValue());
            return Optional.empty();
        });
    }

    /** A value as people read it: a model value's or string's bare name, a number. */
    public static String plain(TlaValue v) {
        if (v instanceof TlaValue.ModelValue m) return m.name();
        if (v instanceof TlaValue.Str s) return s.value();
        return v.toString();
    }

    /** Whether {@code x} is in set constant {@code name}; empty when the constant is unknown. */
    public Optional<Boolean> in(String name, String x) {
        return known(name) ? Optional.of(members(name).contains(x)) : Optional.empty();
    }
}
