package dev.mmucheck.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.SpecVersion;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfFormatException;
import dev.mmucheck.trace.ItfTrace;

/** A trace named on the command line: a file, or the name of a committed counterexample. */
record Traces(Path file, ItfTrace trace) {

    /**
     * Read {@code arg}: a file (a path, or a name ending in .json), or a model's name, looked up among the
     * committed counterexamples, the correct runs (model-check/runs/) and then among the runs of `mmu-check tlc` under build/tlc/. Bad input (no
     * such trace, a malformed one) is an IllegalArgumentException saying which and why.
     */
    static Traces load(Project project, String arg) throws IOException {
        Path file;
        if (arg.contains("/") || arg.contains(java.io.File.separator) || arg.endsWith(".json")) {
            file = Path.of(arg);
            if (!Files.isRegularFile(file)) throw new IllegalArgumentException("unknown trace '" + arg + "': no such file");
        } else {
            String name = dev.mmucheck.modelcheck.ModelNames.require(arg, "trace");
            Path committed = project.counterexample(name);
            Path correct = project.root().resolve("model-check/runs").resolve(name + ".itf.json");
            Path run = project.work().resolve(name).resolve(name + ".itf.json");
            file = Files.isRegularFile(committed) ? committed : Files.isRegularFile(correct) ? correct : run;
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("unknown trace '" + arg + "': not a file, "
                        + project.root().relativize(project.counterexamples()) + " has no " + name + ".itf.json, and no run "
                        + "of `mmu-check tlc` left " + project.root().relativize(run));
            }
        }
        try {
            return new Traces(file, Itf.read(file));
        } catch (ItfFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The explanation of this trace ({@link dev.mmucheck.explain.Explainer#of}), with its configuration as {@link #config} finds it. */
    dev.mmucheck.explain.Explainer explainer(Project project) throws IOException {
        return dev.mmucheck.explain.Explainer.of(project, trace, config(project));
    }

    /**
     * The configuration the trace came from: the one its #meta.config names (relative to the repository, or
     * absolute), else a NAME.cfg beside the trace file NAME.itf.json (a counterexample kept with its
     * configuration), else the manifest model's of the same name.
     */
    Optional<Path> config(Project project) {
        String named = trace.metaString("config");
        if (named != null && named.endsWith(".cfg")) {
            Path p = Path.of(named);
            Path resolved = p.isAbsolute() ? p : project.root().resolve(p);
            if (Files.isRegularFile(resolved)) return Optional.of(resolved);
        }
        String base = file.getFileName().toString().replaceFirst("\\.itf\\.json$", "").replaceFirst("\\.json$", "");
        Path beside = file.toAbsolutePath().resolveSibling(base + ".cfg");
        if (Files.isRegularFile(beside)) return Optional.of(beside);
        String model = trace.metaString("model");
        if (model != null && dev.mmucheck.modelcheck.ModelNames.valid(model) && Files.isRegularFile(project.cfg(model)))
            return Optional.of(project.cfg(model));
        return Optional.empty();
    }

    /** Whether the trace came from the manifest's configuration of its model (not a configuration of one's own). */
    boolean fromManifestModel(Project project) {
        String model = trace.metaString("model");
        return model != null && dev.mmucheck.modelcheck.ModelNames.valid(model)
                && config(project).map(p -> p.toAbsolutePath().normalize().equals(project.cfg(model).toAbsolutePath().normalize())).orElse(false);
    }

    /** Why the trace may not fit the spec as it is now: it came from another spec version. */
    Optional<String> staleness(Project project) throws IOException {
        String now = SpecVersion.of(project.specs());
        String then = trace.metaString("specVersion");
        return now.equals(then) ? Optional.empty()
                : Optional.of(file + " is from spec version " + then + ", the spec is now " + now);
    }
}
