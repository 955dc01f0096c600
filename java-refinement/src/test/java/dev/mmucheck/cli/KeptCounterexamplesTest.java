package dev.mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.mmucheck.TestProject;

/**
 * Your own counterexamples, kept as tests: every NAME.itf.json under model-check/kept/ (or the
 * folder the system property mmucheck.kept names), with the NAME.cfg it came from beside it, is
 * replayed on the Java code (`mmu-check replay FILE`) and must be followed step by step with
 * every variable equal and the same property broken. One dynamic test per trace; an empty or
 * missing folder gives none. To keep a trace of `mmu-check tlc /path/mine.cfg`, copy
 * build/tlc/mine/mine.itf.json and /path/mine.cfg into the folder (README "Your own
 * counterexample as a test"); copy this class to keep traces elsewhere.
 */
class KeptCounterexamplesTest {
    static final String FOLDER = System.getProperty("mmucheck.kept", "model-check/kept");

    @TestFactory
    Stream<DynamicTest> everyKeptCounterexampleIsFollowedByTheJavaCode() throws IOException {
        Path root = TestProject.get().root();
        return replayEach(root.resolve(FOLDER), root);
    }

    /** One test per trace under {@code dir}: `mmu-check replay FILE --root root` must exit 0. */
    static Stream<DynamicTest> replayEach(Path dir, Path root) throws IOException {
        if (!Files.isDirectory(dir)) return Stream.empty();
        List<Path> traces;
        try (Stream<Path> s = Files.list(dir)) {
            traces = s.filter(p -> p.getFileName().toString().endsWith(".itf.json")).sorted().toList();
        }
        return traces.stream().map(t -> DynamicTest.dynamicTest(t.getFileName().toString(), () -> {
            CliRun r = CliRun.of("replay", t.toString(), "--root", root.toString());
            assertEquals(0, r.code(), "the Java code does not follow " + t + ":\n" + r);
        }));
    }
}
