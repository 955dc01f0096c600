package dev.mmucheck.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A record of every file and folder under a root (size, time, permissions), less some subtrees,
 * to show that a run changed nothing outside the build folder it was given.
 */
final class Untouched {
    private final Path root;
    private final List<Path> excluded;
    private final Map<String, String> before;

    private Untouched(Path root, List<Path> excluded) {
        this.root = root;
        this.excluded = excluded;
        this.before = snapshot();
    }

    /** Everything under {@code root} but the given subtrees (absolute, or relative to root). */
    static Untouched under(Path root, Path... excluded) {
        return new Untouched(root, Stream.of(excluded).map(root::resolve).toList());
    }

    /** The checkout the tests run in, less git's folder and Maven's target (surefire writes there). */
    static Untouched checkout(Path root) {
        return under(root, Path.of(".git"), Path.of("java-refinement/target"));
    }

    void assertUnchanged() {
        assertEquals(before, snapshot(), "files outside the build folder given to the runner changed under " + root);
    }

    private Map<String, String> snapshot() {
        Map<String, String> m = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (excluded.contains(d)) return FileVisitResult.SKIP_SUBTREE;
                    record(d);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    if (!excluded.contains(f)) record(f);
                    return FileVisitResult.CONTINUE;
                }

                private void record(Path p) throws IOException {
                    var a = Files.readAttributes(p, "unix:size,lastModifiedTime,mode,isDirectory", LinkOption.NOFOLLOW_LINKS);
                    m.put(root.relativize(p).toString(), a.get("isDirectory") + " " + a.get("size") + " "
                            + a.get("lastModifiedTime") + " " + Integer.toOctalString((Integer) a.get("mode")));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }
}
