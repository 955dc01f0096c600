package dev.mmucheck.diagram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.mmucheck.explain.Explainer;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfFormatException;

/**
 * The committed diagram pages: model-check/diagrams/NAME.md for each committed counterexample
 * model-check/counterexamples/NAME.itf.json, written by {@link #writeAll} and compared with what the
 * traces give now by {@link #stale}. The folder's README.md is not a page.
 *
 * @param project the checkout
 */
public record DiagramPages(Project project) {
    public static final String SUFFIX = ".itf.json";

    public Path folder() { return project.root().resolve("model-check/diagrams"); }

    public Path page(String name) { return folder().resolve(name + ".md"); }

    /** The committed traces by name, in name order. */
    public TreeMap<String, Path> traces() throws IOException {
        TreeMap<String, Path> out = new TreeMap<>();
        if (!Files.isDirectory(project.counterexamples())) return out;
        try (Stream<Path> s = Files.list(project.counterexamples())) {
            s.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                    .forEach(p -> out.put(p.getFileName().toString().replace(SUFFIX, ""), p));
        }
        return out;
    }

    /** The page of trace file {@code file}, named {@code name}. Bad input: an IllegalArgumentException naming the file. */
    public String render(String name, Path file) throws IOException {
        try {
            return new SequenceDiagram(name, Explainer.of(project, Itf.read(file))).page();
        } catch (ItfFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot draw its diagram: " + e.getMessage(), e);
        }
    }

    /** Write every page (and remove the pages whose trace is gone); the names written. */
    public List<String> writeAll() throws IOException {
        Files.createDirectories(folder());
        List<String> written = new ArrayList<>();
        TreeMap<String, Path> traces = traces();
        for (var e : traces.entrySet()) {
            Files.writeString(page(e.getKey()), render(e.getKey(), e.getValue()), StandardCharsets.UTF_8);
            written.add(e.getKey());
        }
        for (String orphan : orphans(traces)) Files.delete(page(orphan));
        return written;
    }

    /** What is out of date, one line each: a page missing, differing from its trace's, or left without a trace. */
    public List<String> stale() throws IOException {
        List<String> out = new ArrayList<>();
        TreeMap<String, Path> traces = traces();
        Path rel = project.root().relativize(folder());
        for (var e : traces.entrySet()) {
            Path p = page(e.getKey());
            String want = render(e.getKey(), e.getValue());
            if (!Files.isRegularFile(p)) out.add(rel.resolve(e.getKey() + ".md") + ": missing");
            else if (!Files.readString(p, StandardCharsets.UTF_8).equals(want))
                out.add(rel.resolve(e.getKey() + ".md") + ": out of date (differs from what " + project.root().relativize(e.getValue()) + " gives)");
        }
        for (String orphan : orphans(traces)) out.add(rel.resolve(orphan + ".md") + ": no trace " + orphan + SUFFIX + " any more");
        return out;
    }

    private List<String> orphans(TreeMap<String, Path> traces) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(folder())) return out;
        try (Stream<Path> s = Files.list(folder())) {
            s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".md") && !f.equals("README.md"))
                    .map(f -> f.substring(0, f.length() - 3)).filter(n -> !traces.containsKey(n)).sorted().forEach(out::add);
        }
        return out;
    }
}
