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
 * The committed diagram pages: model-check/diagrams/NAME.md (Mermaid in Markdown) and NAME.svg (drawn by
 * {@link SvgDiagram}) for each committed counterexample model-check/counterexamples/NAME.itf.json, written
 * by {@link #writeAll} and compared with what the traces give now by {@link #stale}. The folder's README.md
 * is not a page.
 *
 * @param project the checkout
 */
public record DiagramPages(Project project) {
    public static final String SUFFIX = ".itf.json";

    public Path folder() { return project.root().resolve("model-check/diagrams"); }

    public Path page(String name) { return folder().resolve(name + ".md"); }

    public Path svg(String name) { return folder().resolve(name + ".svg"); }

    /** The viewer's data files: model-check/viewer/data/NAME.js and index.js. */
    public Path viewerData() { return project.root().resolve("model-check/viewer/data"); }

    public Path viewerScript(String name) { return viewerData().resolve(name + ".js"); }

    public Path viewerIndex() { return viewerData().resolve("index.js"); }

    /** A trace's Markdown page, SVG and viewer data (the script and the JSON object it holds). */
    public record Drawn(String page, String svg, String viewer, com.fasterxml.jackson.databind.node.ObjectNode data) {}

    /** The committed traces by name, in name order: the counterexamples and the correct runs (model-check/runs/). */
    public TreeMap<String, Path> traces() throws IOException {
        TreeMap<String, Path> out = new TreeMap<>();
        for (Path dir : List.of(project.counterexamples(), project.root().resolve("model-check/runs"))) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
                        .forEach(p -> out.put(p.getFileName().toString().replace(SUFFIX, ""), p));
            }
        }
        return out;
    }

    /** The page of trace file {@code file}, named {@code name}. Bad input: an IllegalArgumentException naming the file. */
    public Drawn render(String name, Path file) throws IOException {
        try {
            SequenceDiagram d = new SequenceDiagram(name, Explainer.of(project, Itf.read(file)));
            ViewerData v = new ViewerData(d);
            return new Drawn(d.page(), d.svg(), v.script(), v.json());
        } catch (ItfFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot draw its diagram: " + e.getMessage(), e);
        }
    }

    /** Write every page (and remove the pages whose trace is gone); the names written. */
    public List<String> writeAll() throws IOException {
        Files.createDirectories(folder());
        Files.createDirectories(viewerData());
        List<String> written = new ArrayList<>();
        List<com.fasterxml.jackson.databind.node.ObjectNode> data = new ArrayList<>();
        TreeMap<String, Path> traces = traces();
        for (var e : traces.entrySet()) {
            Drawn d = render(e.getKey(), e.getValue());
            Files.writeString(page(e.getKey()), d.page(), StandardCharsets.UTF_8);
            Files.writeString(svg(e.getKey()), d.svg(), StandardCharsets.UTF_8);
            Files.writeString(viewerScript(e.getKey()), d.viewer(), StandardCharsets.UTF_8);
            data.add(d.data());
            written.add(e.getKey());
        }
        Files.writeString(viewerIndex(), ViewerData.index(data), StandardCharsets.UTF_8);
        for (String orphan : orphans(traces)) {
            Files.deleteIfExists(page(orphan));
            Files.deleteIfExists(svg(orphan));
            Files.deleteIfExists(viewerScript(orphan));
        }
        return written;
    }

    /** What is out of date, one line each: a page missing, differing from its trace's, or left without a trace. */
    public List<String> stale() throws IOException {
        List<String> out = new ArrayList<>();
        TreeMap<String, Path> traces = traces();
        Path rel = project.root().relativize(folder());
        List<com.fasterxml.jackson.databind.node.ObjectNode> data = new ArrayList<>();
        for (var e : traces.entrySet()) {
            Drawn d = render(e.getKey(), e.getValue());
            compare(page(e.getKey()), d.page(), e.getValue(), out);
            compare(svg(e.getKey()), d.svg(), e.getValue(), out);
            compare(viewerScript(e.getKey()), d.viewer(), e.getValue(), out);
            data.add(d.data());
        }
        compare(viewerIndex(), ViewerData.index(data), project.counterexamples(), out);
        for (String orphan : orphans(traces)) out.add(rel.resolve(orphan) + ".md/.svg/.js: no trace " + orphan + SUFFIX + " any more");
        out.addAll(staleRuns());
        return out;
    }

    /**
     * The correct runs that must be recorded again (bin/mmu-check diagram --runs): listed in runs.json without a
     * trace, from another spec version or another goal than runs.json gives, or a trace runs.json does not list.
     */
    public List<String> staleRuns() throws IOException {
        List<String> out = new ArrayList<>();
        dev.mmucheck.modelcheck.WitnessRuns runs = new dev.mmucheck.modelcheck.WitnessRuns(project);
        String now = dev.mmucheck.tlc.SpecVersion.of(project.specs());
        java.util.Set<String> listed = new java.util.TreeSet<>();
        for (dev.mmucheck.modelcheck.WitnessRuns.Run r : runs.runs()) {
            listed.add(r.name());
            Path file = runs.trace(r.name());
            Path rel = project.root().relativize(file);
            if (!Files.isRegularFile(file)) {
                out.add(rel + ": missing (runs.json lists " + r.name() + ")");
                continue;
            }
            dev.mmucheck.trace.ItfTrace t;
            try {
                t = Itf.read(file);
            } catch (ItfFormatException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            if (!now.equals(t.metaString("specVersion")))
                out.add(rel + ": recorded on spec version " + t.metaString("specVersion") + ", the spec is now " + now);
            else if (!r.goal().equals(t.metaString("goal")) || !r.model().equals(t.metaString("model")) || !r.doc().equals(t.metaString("goalDoc")))
                out.add(rel + ": its model, goal or doc differs from runs.json's");
        }
        if (Files.isDirectory(runs.folder())) {
            try (Stream<Path> s = Files.list(runs.folder())) {
                s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(SUFFIX)).map(f -> f.replace(SUFFIX, ""))
                        .filter(n -> !listed.contains(n)).sorted()
                        .forEach(n -> out.add(project.root().relativize(runs.trace(n)) + ": runs.json does not list " + n));
            }
        }
        return out;
    }

    private void compare(Path file, String want, Path trace, List<String> out) throws IOException {
        Path rel = project.root().relativize(file);
        if (!Files.isRegularFile(file)) out.add(rel + ": missing");
        else if (!Files.readString(file, StandardCharsets.UTF_8).equals(want))
            out.add(rel + ": out of date (differs from what " + project.root().relativize(trace) + " gives)");
    }

    private List<String> orphans(TreeMap<String, Path> traces) throws IOException {
        java.util.TreeSet<String> out = new java.util.TreeSet<>();
        for (Path dir : List.of(folder(), viewerData())) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString())
                        .filter(f -> (f.endsWith(".md") || f.endsWith(".svg") || f.endsWith(".js")) && !f.equals("README.md") && !f.equals("index.js"))
                        .map(f -> f.substring(0, f.lastIndexOf('.'))).filter(n -> !traces.containsKey(n)).forEach(out::add);
            }
        }
        return new ArrayList<>(out);
    }
}
