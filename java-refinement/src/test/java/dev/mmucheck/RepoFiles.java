package dev.mmucheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.mmucheck.modelcheck.Project;

/** Copies of the repository for tests that change it, and snapshots that show what a command wrote. */
public final class RepoFiles {
    private RepoFiles() {}

    /** A copy of specs/ and model-check/ (all that the TLC commands read) under {@code dir}. */
    public static Project copy(Project from, Path dir) throws IOException {
        for (String sub : List.of("specs", "model-check")) {
            Path src = from.root().resolve(sub);
            try (Stream<Path> s = Files.walk(src)) {
                for (Path p : s.toList()) {
                    Path to = dir.resolve(sub).resolve(src.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(to);
                    else Files.copy(p, to);
                }
            }
        }
        return new Project(dir);
    }

    /** Every file under {@code root} but build/, target/ and .git/, with a hash of its bytes. */
    public static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (rel.startsWith("build/") || rel.startsWith(".git/") || rel.contains("/target/") || rel.startsWith("target/")) continue;
                files.put(rel, sha(Files.readAllBytes(p)));
            }
        }
        return files;
    }

    /** The files whose bytes differ between two snapshots, or that only one has. */
    public static java.util.Set<String> changed(Map<String, String> before, Map<String, String> after) {
        java.util.Set<String> c = new java.util.TreeSet<>();
        before.forEach((k, v) -> { if (!v.equals(after.get(k))) c.add(k); });
        after.keySet().forEach(k -> { if (!before.containsKey(k)) c.add(k); });
        return c;
    }

    private static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
