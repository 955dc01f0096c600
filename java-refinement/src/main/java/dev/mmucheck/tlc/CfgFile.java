package dev.mmucheck.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a TLC configuration this project reads: constant assignments (in order),
 * INVARIANTS and PROPERTIES, SPECIFICATION, whether there is a VIEW and whether deadlock is checked. Liveness properties are the PROPERTIES of a FairSpec model.
 */
public record CfgFile(Path path, Map<String, String> constants, List<String> invariants,
                      List<String> properties, String specification, boolean hasView,
                      boolean checkDeadlock) {

    public static CfgFile read(Path path) throws IOException {
        Map<String, String> constants = new LinkedHashMap<>();
        List<String> invariants = new ArrayList<>();
        List<String> properties = new ArrayList<>();
        String section = "";
        String specification = null;
        boolean view = false;
        boolean deadlock = true;
        for (String raw : Files.readAllLines(path)) {
            String line = raw.replaceAll("\\\\\\*.*$", "").strip();
            if (line.isEmpty()) continue;
            String[] words = line.split("\\s+");
            switch (words[0]) {
                case "CONSTANT", "CONSTANTS", "INVARIANT", "INVARIANTS", "PROPERTY", "PROPERTIES" -> {
                    section = words[0].startsWith("CONSTANT") ? "C" : words[0].startsWith("INVARIANT") ? "I" : "P";
                    continue;
                }
                case "SPECIFICATION" -> { specification = words[1]; section = ""; continue; }
                case "VIEW" -> { view = true; section = ""; continue; }
                case "CHECK_DEADLOCK" -> {
                    deadlock = words.length < 2 || !words[1].equals("FALSE");
                    section = "";
                    continue;
                }
                case "SYMMETRY", "INIT", "NEXT", "CONSTRAINT", "ACTION_CONSTRAINT" -> { section = ""; continue; }
                default -> { }
            }
            switch (section) {
                case "C" -> {
                    // several "a = a" pairs may share a line (model values)
                    java.util.regex.Matcher m = java.util.regex.Pattern
                            .compile("(\\w+)\\s*(<-|=)\\s*((?:\\{[^}]*\\}|<<[^>]*>>|\"[^\"]*\"|\\S+))").matcher(line);
                    while (m.find()) constants.put(m.group(1), m.group(2).equals("<-") ? "<- " + m.group(3) : m.group(3));
                }
                case "I" -> { for (String w : words) invariants.add(w); }
                case "P" -> { for (String w : words) properties.add(w); }
                default -> throw new IOException(path + ": line '" + raw + "' is outside any section this project reads");
            }
        }
        return new CfgFile(path, constants, invariants, properties, specification, view, deadlock);
    }

    /** PROPERTIES of a fair specification are temporal; of Spec they are action properties. */
    public List<String> temporalProperties() {
        return "FairSpec".equals(specification) ? properties : List.of();
    }

    /**
     * The text of the configuration at {@code path} checking {@code property} alone: its
     * INVARIANT and PROPERTY sections replaced by that one property (a state invariant, or a
     * temporal/action property when {@code temporal}), and deadlock not checked unless
     * {@code property} is "Deadlock"; with {@code property} null, nothing is checked. Constants,
     * SPECIFICATION, VIEW and SYMMETRY are kept.
     */
    public static String restrictedTo(Path path, String property, boolean temporal) throws IOException {
        StringBuilder out = new StringBuilder("\\* " + path.getFileName() + (property == null ? ", checking nothing (the whole state graph)\n"
                : ", checking " + property + " alone (mmu-check --invariant)\n"));
        boolean skipping = false;
        for (String raw : Files.readAllLines(path)) {
            String first = raw.replaceAll("\\\\\\*.*$", "").strip().split("\\s+")[0];
            switch (first) {
                case "INVARIANT", "INVARIANTS", "PROPERTY", "PROPERTIES", "CHECK_DEADLOCK" -> { skipping = !first.equals("CHECK_DEADLOCK"); continue; }
                case "CONSTANT", "CONSTANTS", "SPECIFICATION", "VIEW", "SYMMETRY", "INIT", "NEXT", "CONSTRAINT", "ACTION_CONSTRAINT" -> skipping = false;
                default -> { }
            }
            if (!skipping) out.append(raw).append('\n');
        }
        if (property == null) {
            out.append("CHECK_DEADLOCK FALSE\n");
        } else if (property.equals("Deadlock")) {
            out.append("CHECK_DEADLOCK TRUE\n");
        } else {
            out.append(temporal ? "PROPERTY " : "INVARIANT ").append(property).append('\n');
            out.append("CHECK_DEADLOCK FALSE\n");
        }
        return out.toString();
    }
}
