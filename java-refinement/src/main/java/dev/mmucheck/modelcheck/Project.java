package dev.mmucheck.modelcheck;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where things are in a checkout: the repository root and the folders under it. */
public record Project(Path root) {
    public Path specs() { return root.resolve("specs"); }
    public Path spec() { return specs().resolve("MC.tla"); }
    public Path models() { return root.resolve("model-check/models"); }
    public Path manifest() { return root.resolve("model-check/manifest.json"); }
    public Path counterexamples() { return root.resolve("model-check/counterexamples"); }
    public Path work() { return root.resolve("build/tlc"); }
    public Path cfg(String model) { return models().resolve(model + ".cfg"); }
    public Path counterexample(String model) { return counterexamples().resolve(model + ".itf.json"); }

    /** The root: the given directory, or the nearest ancestor of the working directory with specs/MC.tla. */
    public static Project locate(Path start) {
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("specs/MC.tla"))) return new Project(p);
        }
        throw new IllegalArgumentException("no specs/MC.tla in " + start.toAbsolutePath() + " or above it: run from the repository");
    }
}
