package dev.mmucheck.tlc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs TLC on one configuration in a child JVM ({@link TlcWorker}) and reads its result.
 * JVM settings follow the measurements in ../shared/reference/tlc-2.18-probe.md:
 * ParallelGC with a bounded heap was fastest on these 2-core machines.
 */
public final class TlcRunner {
    private final Path spec;
    private final Path workDir;
    private final String heap;

    public TlcRunner(Path spec, Path workDir, String heap) {
        this.spec = spec;
        this.workDir = workDir;
        this.heap = heap;
    }

    /**
     * @param name the model's name (for files and messages)
     * @param progress receives TLC's progress lines while it runs
     */
    public TlcResult run(String name, Path cfg, int workers, Map<String, String> meta, Consumer<String> progress)
            throws TlcStartException, IOException {
        if (!Files.isRegularFile(cfg)) throw new TlcStartException("model " + name + ": no configuration file " + cfg);
        Path dir = workDir.resolve(name);
        Files.createDirectories(dir);
        Path result = dir.resolve("result.json");
        Path trace = dir.resolve(name + ".itf.json");
        Path log = dir.resolve("tlc.log");
        Files.deleteIfExists(result);
        Files.deleteIfExists(trace);
        Path meta0 = Files.createTempDirectory(dir, "states-");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-XX:+UseParallelGC", "-Xmx" + heap,
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                TlcWorker.class.getName(), spec.toString(), cfg.toString(), result.toString(), trace.toString(),
                log.toString(), Integer.toString(workers), meta0.toString()));
        meta.forEach((k, v) -> cmd.add(k + "=" + v));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new TlcStartException("model " + name + ": could not start TLC (" + String.join(" ", cmd.subList(0, 3))
                    + "): " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.add(line);
                progress.accept(line);
            }
        }
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TlcStartException("model " + name + ": interrupted");
        }
        if (!Files.isRegularFile(result)) {
            throw new TlcStartException("model " + name + ": TLC exited with " + exit + " and no result; its output:\n  "
                    + String.join("\n  ", tail(out, 15)) + "\nlog: " + tail(readLines(log), 15));
        }
        TlcResult r = new ObjectMapper().readValue(result.toFile(), TlcResult.class);
        if ("error".equals(r.outcome())) {
            throw new TlcStartException("model " + name + ": " + r.error() + "\n  " + String.join("\n  ", tail(readLines(log), 20)));
        }
        deleteTree(meta0);
        return r;
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }

    private static List<String> tail(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
