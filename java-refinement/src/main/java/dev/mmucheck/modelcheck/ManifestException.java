package dev.mmucheck.modelcheck;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The manifest is malformed or disagrees with the configurations or the spec: every problem, each with its place. */
public final class ManifestException extends IOException {
    private final List<String> problems;

    public ManifestException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    public ManifestException(Path file, List<String> problems) {
        super(file + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n  - "
                + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() { return problems; }
}
