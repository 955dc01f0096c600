package dev.mmucheck.tlc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** The version of the spec a trace came from: SHA-256 over specs/*.tla (names and contents, sorted). */
public final class SpecVersion {
    private SpecVersion() {}

    public static String of(Path specsDir) throws IOException {
        try (Stream<Path> files = Files.list(specsDir)) {
            List<Path> tla = files.filter(p -> p.toString().endsWith(".tla")).sorted().toList();
            if (tla.isEmpty()) throw new IOException(specsDir + ": no .tla files");
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path p : tla) {
                md.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                // line endings do not change the spec
                md.update(Files.readString(p).replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
