package dev.mmucheck.modelcheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.mmucheck.tlc.CfgFile;

/**
 * Holds model-check/manifest.json against the configurations and the spec: names are model names
 * and unique, each has its configuration, the expected property is one its configuration checks
 * and the spec defines, the mutation is the configuration's Mutation constant, a mutation names
 * its base, liveness matches the configuration's SPECIFICATION. Every problem is reported, each
 * with the entry it is in.
 */
public final class ManifestValidator {
    private ManifestValidator() {}

    /** The manifest of {@code project}, read and validated. */
    public static Manifest load(Project project) throws IOException {
        Manifest m = Manifest.read(project.manifest());
        List<String> problems = problems(project, m);
        if (!problems.isEmpty()) throw new ManifestException(project.root().relativize(project.manifest()), problems);
        return m;
    }

    public static List<String> problems(Project project, Manifest m) throws IOException {
        List<String> p = new ArrayList<>();
        if (!project.root().resolve(m.spec()).normalize().equals(project.spec().normalize()))
            p.add("\"spec\": expected \"" + project.root().relativize(project.spec()) + "\" (the module every model runs), found \"" + m.spec() + "\"");
        Set<String> defined = definitions(project.specs());
        Map<String, ModelEntry> byName = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (ModelEntry e : m.models()) {
            if (!seen.add(e.name())) p.add("\"" + e.name() + "\": listed twice");
            byName.putIfAbsent(e.name(), e);
        }
        for (int k = 0; k < m.models().size(); k++) {
            ModelEntry e = m.models().get(k);
            String where = "models[" + k + "] (\"" + e.name() + "\")";
            if (!ModelNames.valid(e.name())) {
                p.add(where + ": \"name\" is not a model name (letters, digits, '-', '_', '.'; no '/' and no '..')");
                continue;
            }
            if (!ModelEntry.SETS.contains(e.set())) p.add(where + ": \"set\" is \"" + e.set() + "\", expected one of " + ModelEntry.SETS);
            if (e.distinct() < 0) p.add(where + ": \"distinct\" is negative");
            if (e.steps() < 0) p.add(where + ": \"steps\" is negative");
            if (e.expectsPass() && e.steps() != 0) p.add(where + ": \"steps\" is " + e.steps() + ", expected 0 for a model that must pass");
            Path cfgPath = project.cfg(e.name());
            String cfgName = project.root().relativize(cfgPath).toString();
            if (!Files.isRegularFile(cfgPath)) {
                p.add(where + ": no configuration " + cfgName);
                continue;
            }
            CfgFile cfg;
            try {
                cfg = CfgFile.read(cfgPath);
            } catch (IOException ex) {
                p.add(where + ": " + ex.getMessage());
                continue;
            }
            List<String> checked = new ArrayList<>(cfg.invariants());
            checked.addAll(cfg.properties());
            for (String prop : checked) {
                if (!defined.contains(prop)) p.add(where + ": " + cfgName + " checks " + prop + ", which no module of specs/ defines");
            }
            if (!e.expectsPass() && !checked.contains(e.expect()) && !(e.expect().equals("Deadlock") && cfg.checkDeadlock())) {
                p.add(where + ": \"expect\" is \"" + e.expect() + "\", but " + cfgName + " does not check it (it checks "
                        + checked + (cfg.checkDeadlock() ? " and Deadlock" : "") + ")");
            }
            String mutation = cfg.constants().get("Mutation");
            String want = "\"" + e.mutation() + "\"";
            if (mutation == null) p.add(where + ": " + cfgName + " sets no Mutation constant");
            else if (!mutation.equals(want))
                p.add(where + ": \"mutation\" is \"" + e.mutation() + "\", but " + cfgName + " sets Mutation = " + mutation);
            boolean fair = "FairSpec".equals(cfg.specification());
            if (e.liveness() != fair)
                p.add(where + ": \"liveness\" is " + e.liveness() + ", but " + cfgName + " has SPECIFICATION " + cfg.specification());
            for (String w : e.witnesses()) {
                String op = w.contains("(") ? w.substring(0, w.indexOf('(')) : w;
                if (!op.startsWith("Witness_") || !defined.contains(op) || (w.contains("(") && !w.matches("\\w+\\([\\w, -]+\\)")))
                    p.add(where + ": \"witnesses\" names " + w + ", which is not a witness of specs/ (a definition Witness_..., applied to model values or numbers if it has parameters)");
            }
            if (!e.witnesses().isEmpty() && !e.expectsPass())
                p.add(where + ": \"witnesses\" are required of models that pass; this one breaks " + e.expect());
            if (!"none".equals(e.mutation()) && e.base() == null)
                p.add(where + ": a mutation model needs \"base\", the model it differs from only in Mutation");
            if (e.base() != null) {
                ModelEntry b = byName.get(e.base());
                if (b == null) p.add(where + ": \"base\" is \"" + e.base() + "\", which the manifest does not list");
                else if (!"none".equals(b.mutation())) p.add(where + ": its base " + b.name() + " is itself a mutation model");
            }
        }
        return p;
    }

    /** The witnesses without parameters that specs/ defines ({@code Witness_Name == ...}), sorted. */
    public static List<String> witnesses(Path specs) throws IOException {
        return new ArrayList<>(new java.util.TreeSet<>(defined(specs, "(?m)^(Witness_\\w+)\\s*==")));
    }

    /** The names every module of specs/ defines at the start of a line ({@code Name ==} or {@code Name(args) ==}). */
    static Set<String> definitions(Path specs) throws IOException {
        return defined(specs, "(?m)^([A-Za-z_]\\w*)\\s*(?:\\([^)]*\\))?\\s*==");
    }

    /** Group 1 of every match of {@code definition} in the modules of specs/. */
    private static Set<String> defined(Path specs, String definition) throws IOException {
        Set<String> names = new HashSet<>();
        Pattern def = Pattern.compile(definition);
        try (Stream<Path> s = Files.list(specs)) {
            for (Path f : s.filter(q -> q.toString().endsWith(".tla")).toList()) {
                Matcher mt = def.matcher(Files.readString(f));
                while (mt.find()) names.add(mt.group(1));
            }
        }
        return names;
    }
}
