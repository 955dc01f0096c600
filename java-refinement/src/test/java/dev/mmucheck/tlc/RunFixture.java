package dev.mmucheck.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import dev.mmucheck.TestProject;
import dev.mmucheck.modelcheck.Project;

/**
 * What the robustness tests share: a build folder {@code base/build} given to the runner, the
 * record of everything outside it (the checkout, and the rest of {@code base}), and ways to look
 * for TLC's child JVMs and TLC's scratch folders.
 */
final class RunFixture {
    final Project project = TestProject.get();
    final Path base;
    final Path work;
    private final Untouched checkout;
    private final Untouched rest;

    /** @param base a fresh temporary folder; {@code base/out} is left for the test's own files */
    RunFixture(Path base) throws IOException {
        this.base = base;
        this.work = Files.createDirectories(base.resolve("build"));
        Files.createDirectories(base.resolve("out"));
        this.checkout = Untouched.checkout(project.root());
        this.rest = Untouched.under(base, Path.of("build"), Path.of("out"));
    }

    /** Call after the last file outside the build folder is written by the test itself. */
    void assertNothingOutsideTheBuildFolderChanged() {
        checkout.assertUnchanged();
        rest.assertUnchanged();
    }

    Path dir(String model) { return work.resolve(model); }
    Path log(String model) { return dir(model).resolve("tlc.log"); }

    /** TLC's scratch left in a model's folder: states-*, tmp, half-written files. */
    static List<String> scratch(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("states-") || n.equals("tmp") || n.endsWith(".tmp")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** TLC worker JVMs among the descendants of a process. */
    static List<ProcessHandle> workersUnder(ProcessHandle h) {
        return h.descendants().filter(RunFixture::isWorker).toList();
    }

    static boolean isWorker(ProcessHandle h) {
        return h.isAlive() && h.info().commandLine().orElse("").contains(TlcWorker.class.getName());
    }

    /** Asserts that no TLC worker started by this JVM is alive, giving them a few seconds to go. */
    static void assertNoWorkerLeft() {
        await(5_000, () -> workersUnder(ProcessHandle.current()).isEmpty(),
                () -> "TLC worker JVMs still running: " + workersUnder(ProcessHandle.current()));
    }

    static void await(long millis, BooleanSupplier cond, java.util.function.Supplier<String> why) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) fail(why.get());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting: " + why.get());
            }
        }
    }

    static boolean logSays(Path log, String text) {
        try {
            return Files.isRegularFile(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    static void assertNoScratch(Path dir) {
        assertEquals(List.of(), scratch(dir), "TLC's scratch left in " + dir);
    }
}
