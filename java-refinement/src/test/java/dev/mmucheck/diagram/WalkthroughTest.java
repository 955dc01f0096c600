package dev.mmucheck.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;
import dev.mmucheck.explain.Explainer;
import dev.mmucheck.explain.TraceView;
import dev.mmucheck.modelcheck.Manifest;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.modelcheck.WitnessRuns;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfTrace;

/**
 * model-check/WALKTHROUGH.md against the repository: every property of specs/MmuProperties.tla (each name with a
 * {@code Witness_} beside it) has a row with a committed trace that breaks it under the mutation the row names;
 * every {@code explain NAME} block is lines of {@code mmu-check explain NAME}, each value line under the step it
 * is quoted under; every block marked with a file is consecutive lines of that file; every link
 * {@code [NAME, step K (...)]} names the step trace NAME has at K; every relative link resolves; every
 * {@code bin/mmu-check} command names a model, trace or run that exists. The checks run on the text given, so
 * {@link #aWrongQuoteOfEachKindIsFound} shows each failing on a planted fault.
 */
class WalkthroughTest {
    private static final Project PROJECT = TestProject.get();
    private static final Pattern BLOCK = Pattern.compile("(?ms)^```([^\\n`]*)\\n(.*?)^```\\s*$");
    private static final Pattern STEP_LINK = Pattern.compile("\\[([\\w-]+), (step \\d+ \\([^)]*\\))\\]\\(diagrams/([\\w-]+)\\.md\\)");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)\\)");
    private static final Pattern HEADER = Pattern.compile("^\\s*(\\d+)\\. ");
    private static final Pattern COMMAND = Pattern.compile("bin/mmu-check (tlc|explain|diagram|check|replay)((?: [^`\\n]+)?)");

    static String walkthrough() throws Exception {
        return Files.readString(PROJECT.root().resolve("model-check/WALKTHROUGH.md"), StandardCharsets.UTF_8);
    }

    /** The properties: each definition of specs/MmuProperties.tla with a Witness_ of the same name beside it. */
    static Set<String> properties() throws Exception {
        String props = Files.readString(PROJECT.specs().resolve("MmuProperties.tla"));
        Set<String> defined = new TreeSet<>(), out = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(\\w+)\\s*(?:\\([^)]*\\))?\\s*==").matcher(props);
        while (m.find()) defined.add(m.group(1));
        for (String d : defined) if (d.startsWith("Witness_") && defined.contains(d.substring(8))) out.add(d.substring(8));
        return out;
    }

    static String explain(String name) throws Exception {
        Path file = new DiagramPages(PROJECT).traces().get(name);
        if (file == null) throw new AssertionError("the walk-through quotes a trace '" + name + "' that is not committed");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Explainer.of(PROJECT, Itf.read(file)).print(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Problems with the text's quotes of explain's output (empty: every quote is there). */
    static List<String> explainProblems(String text) throws Exception {
        List<String> out = new ArrayList<>();
        Matcher b = BLOCK.matcher(text);
        while (b.find()) {
            String info = b.group(1).strip();
            if (!info.startsWith("explain ")) continue;
            String name = info.substring(8).strip();
            // explain's output by step: the header line and the lines under it; -1: the lines before the steps and after them
            Map<Integer, List<String>> steps = new LinkedHashMap<>();
            Map<Integer, String> headers = new LinkedHashMap<>();
            int cur = -1;
            for (String line : explain(name).split("\n")) {
                Matcher h = HEADER.matcher(line);
                if (h.find() && !line.startsWith("        ")) {
                    cur = Integer.parseInt(h.group(1));
                    headers.put(cur, line.stripTrailing());
                } else if (!line.startsWith("        ")) {
                    steps.computeIfAbsent(-1, k -> new ArrayList<>()).add(line.stripTrailing());
                } else {
                    steps.computeIfAbsent(cur, k -> new ArrayList<>()).add(line.stripTrailing());
                }
            }
            int under = -1;
            for (String q : b.group(2).split("\n")) {
                if (q.isBlank()) continue;
                String line = q.stripTrailing();
                Matcher h = HEADER.matcher(line);
                if (h.find() && !line.startsWith("        ")) {
                    under = Integer.parseInt(h.group(1));
                    if (!line.equals(headers.get(under))) out.add(name + ": step " + under + " is '" + headers.get(under) + "', quoted as '" + line + "'");
                } else if (line.startsWith("        ")) {
                    if (!steps.getOrDefault(under, List.of()).contains(line)) out.add(name + ": step " + under + " has no line '" + line.strip() + "'");
                } else if (!steps.getOrDefault(-1, List.of()).contains(line)) {
                    out.add(name + ": explain prints no line '" + line + "'");
                }
            }
        }
        return out;
    }

    /** Problems with the text's quotes of files: a block marked with a path is consecutive lines of that file. */
    static List<String> fileProblems(String text) throws Exception {
        List<String> out = new ArrayList<>();
        Matcher b = BLOCK.matcher(text);
        while (b.find()) {
            String[] info = b.group(1).strip().split("\\s+");
            if (info.length != 2 || info[0].equals("explain")) continue;
            Path file = PROJECT.root().resolve(info[1]);
            if (!Files.isRegularFile(file)) {
                out.add(info[1] + ": no such file in the repository");
                continue;
            }
            List<String> lines = Files.readAllLines(file).stream().map(String::stripTrailing).toList();
            List<String> quote = b.group(2).lines().map(String::stripTrailing).toList();
            boolean found = false;
            for (int i = 0; i + quote.size() <= lines.size() && !found; i++) found = lines.subList(i, i + quote.size()).equals(quote);
            if (!found) out.add(info[1] + ": no lines in a row read:\n" + String.join("\n", quote));
        }
        return out;
    }

    /** Problems with the links [NAME, step K (proc label on n)](diagrams/NAME.md). */
    static List<String> stepLinkProblems(String text) throws Exception {
        List<String> out = new ArrayList<>();
        Matcher m = STEP_LINK.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals(m.group(3))) out.add(m.group() + ": names " + m.group(1) + " but links " + m.group(3));
            Path file = new DiagramPages(PROJECT).traces().get(m.group(1));
            if (file == null) {
                out.add(m.group() + ": no committed trace " + m.group(1));
                continue;
            }
            TraceView t = new TraceView(Itf.read(file));
            int k = Integer.parseInt(m.group(2).replaceAll("^step (\\d+).*", "$1"));
            String want = k > t.last() ? "(no step " + k + ": the trace has " + t.last() + ")" : t.stepRef(k);
            if (!want.equals(m.group(2))) out.add(m.group(1) + ": quoted '" + m.group(2) + "', the trace has '" + want + "'");
        }
        return out;
    }

    /** Problems with the property table: every property has a row; each row's trace breaks it under the row's mutation. */
    static List<String> tableProblems(String text) throws Exception {
        List<String> out = new ArrayList<>();
        Set<String> rows = new TreeSet<>();
        Pattern row = Pattern.compile("(?m)^\\| `(\\w+)` \\|(.*)\\| `([\\w-]+)` \\| \\[([\\w-]+)\\]\\(diagrams/([\\w-]+)\\.md\\) \\|$");
        Matcher m = row.matcher(text);
        while (m.find()) {
            String p = m.group(1), mutation = m.group(3), name = m.group(4);
            rows.add(p);
            if (!name.equals(m.group(5))) out.add(p + ": the row names " + name + " but links " + m.group(5));
            Path file = new DiagramPages(PROJECT).traces().get(name);
            if (file == null) {
                out.add(p + ": no committed trace " + name);
                continue;
            }
            ItfTrace t = Itf.read(file);
            if (!p.equals(t.metaString("property"))) out.add(p + ": trace " + name + " breaks " + t.metaString("property"));
            if (!mutation.equals(t.metaString("mutation"))) out.add(p + ": trace " + name + " is of mutation " + t.metaString("mutation") + ", not " + mutation);
        }
        Set<String> missing = new TreeSet<>(properties());
        missing.removeAll(rows);
        if (!missing.isEmpty()) out.add("properties without a row and trace: " + missing);
        Set<String> unknown = new TreeSet<>(rows);
        unknown.removeAll(properties());
        if (!unknown.isEmpty()) out.add("rows of no property of specs/MmuProperties.tla: " + unknown);
        return out;
    }

    @Test
    void everyPropertyHasATraceThatBreaksItUnderTheMutationNamed() throws Exception {
        assertFalse(properties().isEmpty());
        assertEquals(List.of(), tableProblems(walkthrough()));
    }

    @Test
    void everyExplainQuoteIsWhatExplainPrintsUnderThatStep() throws Exception {
        String text = walkthrough();
        assertTrue(text.contains("```explain "), "the walk-through quotes no trace");
        assertEquals(List.of(), explainProblems(text));
    }

    @Test
    void everyQuotedSpecLineIsInItsFileInARow() throws Exception {
        String text = walkthrough();
        assertTrue(text.contains("```tla specs/"), "the walk-through quotes no spec");
        assertEquals(List.of(), fileProblems(text));
    }

    @Test
    void everyStepNamedIsTheTracesStep() throws Exception {
        String text = walkthrough();
        assertTrue(STEP_LINK.matcher(text).find(), "the walk-through names no step");
        assertEquals(List.of(), stepLinkProblems(text));
    }

    @Test
    void everyLinkAndCommandNamesSomethingThatExists() throws Exception {
        String text = walkthrough();
        Path dir = PROJECT.root().resolve("model-check");
        List<String> problems = new ArrayList<>();
        Matcher l = LINK.matcher(text);
        while (l.find()) if (!l.group(1).contains("://") && !Files.exists(dir.resolve(l.group(1)))) problems.add("link " + l.group(1) + ": no such file");
        Manifest manifest = Manifest.read(PROJECT.manifest());
        Set<String> runs = new TreeSet<>();
        for (WitnessRuns.Run r : new WitnessRuns(PROJECT).runs()) runs.add(r.name());
        Matcher c = COMMAND.matcher(text);
        int commands = 0;
        while (c.find()) {
            commands++;
            for (String arg : c.group(2).strip().split("\\s+")) {
                if (arg.isEmpty() || arg.startsWith("-") || arg.endsWith(".json") && !arg.contains("/")) continue;
                if (arg.startsWith("build/")) continue;   // a run's own output
                boolean ok = arg.contains("/") ? Files.exists(PROJECT.root().resolve(arg))
                        : manifest.find(arg).isPresent() || runs.contains(arg);
                if (!ok) problems.add(c.group() + ": no model, run or file '" + arg + "'");
            }
        }
        assertTrue(commands > 0, "the walk-through gives no command to run");
        assertEquals(List.of(), problems);
    }

    /** Each check finds the fault it is for, planted in a copy of the text. */
    @Test
    void aWrongQuoteOfEachKindIsFound() throws Exception {
        String text = walkthrough();
        assertFalse(explainProblems(text.replace("        n1's invalidate_seq: 1 -> 2\n", "        n1's invalidate_seq: 1 -> 4\n")).isEmpty(),
                "a changed value");
        assertFalse(explainProblems(text.replace("        i2's err == -EAGAIN: false -> true\n        i2's next step: inv_cb_start -> inv_end",
                "        i2's next step: inv_cb_start -> inv_end\n        g1's user lock held by: nobody -> i2")).isEmpty(), "a value of another step");
        assertFalse(fileProblems(text.replace("SeqSetOdd(x) == IF Odd(x) THEN x ELSE x + 1", "SeqSetOdd(x) == x + 1")).isEmpty(), "a changed spec line");
        assertFalse(stepLinkProblems(text.replace("[M11, step 6 (d1 remove on d1)]", "[M11, step 5 (d1 remove on d1)]")).isEmpty(), "a wrong step number");
        assertFalse(tableProblems(text.replace("| `RemoveReturns` |", "| `RemoveReturnz` |")).isEmpty(), "a property left out");
        assertFalse(tableProblems(text.replace("| `M16` | [M16](diagrams/M16.md) |", "| `M16` | [M6](diagrams/M6.md) |")).isEmpty(), "a trace of another property");
    }
}
