package dev.mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mmucheck.explain.Catalogue;
import dev.mmucheck.explain.Culprit;
import dev.mmucheck.explain.Explainer;
import dev.mmucheck.modelcheck.CheckOutcome;
import dev.mmucheck.modelcheck.Checker;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.CfgFile;
import dev.mmucheck.tlc.SpecVersion;
import dev.mmucheck.trace.Itf;

/**
 * {@code mmu-check check --report}: the runs as Markdown for a patch's cover letter. Every figure
 * is the run's own: the TLC version, the spec version, the variants (mutations) run and what the
 * catalogue of specs/CONTRACT.md says they change, each model with its verdict and state count,
 * the properties checked (with the comment that states each in specs/MmuProperties.tla), the
 * adequacy witnesses each run reached and missed, the findings (each violation with its culprit,
 * computed from its trace) and what the model abstracts away (README's list).
 */
final class CoverLetterReport {
    private CoverLetterReport() {}

    static void write(Project project, List<CheckOutcome> outcomes, String toolVersion, PrintStream out) throws IOException {
        Catalogue catalogue = Catalogue.read(project.specs().resolve("CONTRACT.md"));
        out.println("### Model checking with mmu-check");
        out.println();
        out.println("- Checker: " + toolVersion + ", " + Checker.TLC_NAME + "; spec version " + SpecVersion.of(project.specs())
                + " (specs/*.tla of the tree checked)");
        Set<String> mutations = new LinkedHashSet<>();
        for (CheckOutcome o : outcomes) mutations.add(o.run().mutation());
        for (String m : mutations)
            out.println("- Variant `" + m + "`: " + ("none".equals(m) ? "the code as merged (no mutation)"
                    : catalogue.change(m).orElse("(not described in specs/CONTRACT.md's catalogue)")));
        out.println();
        out.println("| model | mutation | expected | verdict | distinct states | TLC seconds | witnesses reached |");
        out.println("|---|---|---|---|---|---|---|");
        for (CheckOutcome o : outcomes) {
            Map<String, Integer> w = o.result().witnesses();
            long reached = w.values().stream().filter(d -> d >= 0).count();
            out.printf("| `%s` | %s | %s | %s | %,d | %.1f | %d of %d |%n", o.name(), o.run().mutation(), o.run().expect().orElse("-"),
                    o.verdict().text().replace("|", "\\|"), o.result().distinct(), o.result().seconds(), reached, w.size());
        }
        out.println();
        out.println("**Properties checked** (`specs/MmuProperties.tla`):");
        out.println();
        String props = Files.readString(project.specs().resolve("MmuProperties.tla"));
        Map<String, List<String>> checkedIn = new LinkedHashMap<>();
        for (CheckOutcome o : outcomes) {
            List<String> ps = new ArrayList<>();
            if (o.run().only().isPresent()) ps.add(o.run().only().get());
            else {
                CfgFile c = CfgFile.read(o.run().cfg());
                ps.addAll(c.invariants());
                ps.addAll(c.properties());
            }
            for (String p : ps) checkedIn.computeIfAbsent(p, k -> new ArrayList<>()).add(o.name());
        }
        checkedIn.forEach((p, models) -> out.println("- `" + p + "`" + statement(props, p).map(s -> ": " + s).orElse("")
                + " (" + (models.size() == outcomes.size() ? "every model" : String.join(", ", models)) + ")"));
        out.println();
        out.println("**Adequacy witnesses** (a state in which a property could fail; a pass proves that property only where its witness is reached):");
        out.println();
        for (CheckOutcome o : outcomes) {
            List<String> missed = new ArrayList<>();
            o.result().witnesses().forEach((w, d) -> { if (d < 0) missed.add(w); });
            out.println("- `" + o.name() + "`: " + (o.result().violated() ? "(the search stopped at the violation) " : "")
                    + (o.result().witnesses().isEmpty() ? "not evaluated"
                    : (o.result().witnesses().size() - missed.size()) + " of " + o.result().witnesses().size() + " reached"
                    + (missed.isEmpty() ? "" : "; never reached: " + String.join(", ", missed.stream().map(x -> "`" + x + "`").toList()))));
        }
        out.println();
        out.println("**Findings:**");
        out.println();
        boolean any = false;
        for (CheckOutcome o : outcomes) {
            if (!o.result().violated()) continue;
            any = true;
            String line = "- `" + o.name() + "` breaks `" + o.result().property() + "` in " + o.result().traceSteps() + " steps";
            if (o.result().traceFile() != null && Files.isRegularFile(Path.of(o.result().traceFile()))) {
                try {
                    Culprit c = Explainer.of(project, Itf.read(Path.of(o.result().traceFile()))).culprit();
                    line += ": " + c.summary();
                } catch (dev.mmucheck.trace.ItfFormatException e) {
                    line += " (its trace cannot be read: " + e.getMessage() + ")";
                }
            }
            out.println(line + (o.ok() ? " (as expected)" : " (NOT expected: " + o.verdict().text() + ")"));
        }
        if (!any) out.println("- no property broken in the models run");
        out.println();
        out.println("**What the model abstracts away:**");
        out.println();
        out.println(abstractions(project));
    }

    /** The comment right above {@code P ==} in MmuProperties.tla, on one line. */
    static java.util.Optional<String> statement(String props, String p) {
        List<String> lines = props.lines().toList();
        for (int k = 0; k < lines.size(); k++) {
            if (!lines.get(k).matches("^" + java.util.regex.Pattern.quote(p) + "\\s*==.*")) continue;
            List<String> text = new ArrayList<>();
            for (int j = k - 1; j >= 0 && (lines.get(j).startsWith("(*") || lines.get(j).startsWith("\\*")); j--)
                text.add(0, lines.get(j).replaceAll("^\\(\\*|\\*\\)\\s*$|^\\\\\\*", "").strip());
            String s = String.join(" ", text).replaceAll("\\s+", " ").strip();
            return s.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(s);
        }
        return java.util.Optional.empty();
    }

    /** README's list under "What is abstracted away", as it stands. */
    static String abstractions(Project project) throws IOException {
        Path readme = project.root().resolve("README.md");
        if (!Files.isRegularFile(readme)) return "(README.md not found)";
        String s = Files.readString(readme);
        int a = s.indexOf("**What is abstracted away:**");
        if (a < 0) return "(README.md has no \"What is abstracted away\" list)";
        int b = s.indexOf("\n## ", a);
        return s.substring(a + "**What is abstracted away:**".length(), b < 0 ? s.length() : b).strip();
    }
}
