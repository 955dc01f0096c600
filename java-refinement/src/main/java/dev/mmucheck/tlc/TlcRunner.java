package dev.mmucheck.tlc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs TLC on one configuration in a child JVM ({@link TlcWorker}) and reads its result.
 * JVM settings follow measurements on these 2-core machines: ParallelGC with a bounded heap was
 * about a quarter faster than G1.
 *
 * <p>A run owns {@code workDir/NAME} (a lock file keeps a second run of the same model out) and
 * leaves there only {@code tlc.log}, {@code result.json} and the counterexample: TLC's states
 * folder ({@code states-*}) and its temporary folder ({@code tmp}) are removed however the run
 * ends, and leftovers of a run that was killed are removed when the next run of the model starts.
 * The files of the previous run are deleted before the child starts, so a failure shows this
 * run's output only.
 *
 * <p>The child never outlives the run: a watchdog stops it (and anything it started) when it makes
 * no progress, i.e. prints no new line and its log does not grow, for {@link #noProgressTimeout()};
 * a shutdown hook stops it when this JVM is stopped (SIGTERM, SIGINT); and the child stops by
 * itself when this JVM dies otherwise (SIGKILL), because the pipe to its standard input closes.
 */
public final class TlcRunner {
    /** How long a run may go without progress by default; TLC reports progress every minute. */
    public static final Duration DEFAULT_NO_PROGRESS = Duration.ofSeconds(120);
    /** System property that overrides {@link #DEFAULT_NO_PROGRESS}, in seconds. */
    public static final String NO_PROGRESS_PROPERTY = "mmucheck.tlc.noProgressSeconds";
    /** Environment variable that overrides {@link #DEFAULT_NO_PROGRESS}, in seconds (the property wins). */
    public static final String NO_PROGRESS_ENV = "MMU_CHECK_NO_PROGRESS_SECONDS";

    private static final int OUTPUT_LINES_KEPT = 2000;

    private final Path spec;
    private final Path workDir;
    private final String heap;
    private final Duration noProgress;

    public TlcRunner(Path spec, Path workDir, String heap) {
        this(spec, workDir, heap, configuredNoProgress());
    }

    /** @param noProgress how long TLC may make no progress before it is stopped */
    public TlcRunner(Path spec, Path workDir, String heap, Duration noProgress) {
        if (noProgress.isNegative() || noProgress.isZero())
            throw new IllegalArgumentException("the no-progress time must be positive, not " + noProgress);
        this.spec = spec;
        this.workDir = workDir;
        this.heap = heap;
        this.noProgress = noProgress;
    }

    public Duration noProgressTimeout() { return noProgress; }

    /**
     * The no-progress time from {@value #NO_PROGRESS_PROPERTY} or {@value #NO_PROGRESS_ENV}, else
     * {@link #DEFAULT_NO_PROGRESS}.
     */
    public static Duration configuredNoProgress() {
        String v = System.getProperty(NO_PROGRESS_PROPERTY);
        String from = NO_PROGRESS_PROPERTY;
        if (v == null || v.isBlank()) {
            v = System.getenv(NO_PROGRESS_ENV);
            from = NO_PROGRESS_ENV;
        }
        if (v == null || v.isBlank()) return DEFAULT_NO_PROGRESS;
        try {
            double s = Double.parseDouble(v.trim());
            if (s > 0 && s < 1e9) return Duration.ofMillis(Math.round(s * 1000));
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(from + " must be a positive number of seconds, not '" + v + "'");
    }

    /**
     * @param name the model's name (for files and messages)
     * @param progress receives TLC's progress lines while it runs
     * @throws TlcStartException TLC could not start, failed, made no progress, or gave no readable result;
     *     the message names the model, says what happened and gives the log's path
     */
    public TlcResult run(String name, Path cfg, int workers, Map<String, String> meta, Consumer<String> progress)
            throws TlcStartException, IOException {
        if (!Files.isRegularFile(cfg)) throw new TlcStartException("model " + name + ": no configuration file " + cfg);
        Path dir = workDir.resolve(name);
        FileChannel lockFile;
        try {
            Files.createDirectories(dir);
            lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw cannotPrepare(name, dir, e);
        }
        try (lockFile; FileLock lock = lock(lockFile, name, dir)) {
            return runLocked(name, dir, cfg, workers, meta, progress);
        }
    }

    private static TlcStartException cannotPrepare(String name, Path dir, IOException e) {
        return new TlcStartException("model " + name + ": cannot prepare TLC's folder " + dir + " (" + e
                + "); is the disk full or the folder not writable? TLC was not started, so there is no log");
    }

    private static FileLock lock(FileChannel ch, String name, Path dir) throws TlcStartException, IOException {
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            throw new TlcStartException("model " + name + ": another run of this model is using " + dir
                    + " (it holds " + dir.resolve(".lock") + "); wait for it to end or stop it");
        }
        return l;
    }

    private TlcResult runLocked(String name, Path dir, Path cfg, int workers, Map<String, String> meta,
                                Consumer<String> progress) throws TlcStartException, IOException {
        Path result = dir.resolve("result.json");
        Path trace = dir.resolve(name + ".itf.json");
        Path log = dir.resolve("tlc.log");
        Path states;
        Path tmp;
        try {
            // this run's files only: a run that fails to start must not show the last run's log or result
            for (Path f : List.of(result, trace, log)) Files.deleteIfExists(f);
            removeScratch(dir);   // left by a run that was killed
            states = Files.createTempDirectory(dir, "states-");
            tmp = Files.createDirectories(dir.resolve("tmp"));
        } catch (IOException e) {
            removeScratch(dir);
            throw cannotPrepare(name, dir, e);
        }
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-XX:+UseParallelGC", "-Xmx" + heap,
                "-Djava.io.tmpdir=" + tmp, "-D" + TlcWorker.PARENT_PROPERTY + "=stdin",
                "-D" + TlcWorker.SCRATCH_PROPERTY + "=" + tmp, "-cp", System.getProperty("java.class.path"),
                TlcWorker.class.getName(), spec.toString(), cfg.toString(), result.toString(), trace.toString(),
                log.toString(), Integer.toString(workers), states.toString()));
        meta.forEach((k, v) -> cmd.add(k + "=" + v));
        Process p = null;
        Thread hook = null;
        try {
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new TlcStartException("model " + name + ": could not start TLC (" + String.join(" ", cmd.subList(0, 3))
                        + "): " + e.getMessage() + "\nno log: TLC did not get as far as writing " + log);
            }
            Process child = p;
            hook = new Thread(() -> {
                stopTree(child);
                removeScratch(dir);
            }, "stop TLC for " + name);
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException e) {
                hook = null;
                throw new TlcStartException("model " + name + ": this JVM is shutting down; TLC was stopped");
            }
            Deque<String> out = watch(name, p, log, progress);
            return readResult(name, p.exitValue(), out, result, log);
        } finally {
            if (p != null) {
                stopTree(p);
                closeQuietly(p.getOutputStream());
            }
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook stops TLC and cleans up
                }
            }
            removeScratch(dir);
        }
    }

    /**
     * Passes the child's output on until it ends and the child has exited; stops the child when it
     * makes no progress for {@link #noProgress} or this thread is interrupted. Returns the last lines.
     * The pipe to the child's standard input stays open meanwhile: the child watches it (see
     * {@link TlcWorker}).
     */
    private Deque<String> watch(String name, Process p, Path log, Consumer<String> progress) throws TlcStartException {
        BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) lines.add(Optional.of(line));
            } catch (IOException e) {
                // the child is gone; its exit code and files say the rest
            } finally {
                lines.add(Optional.empty());
            }
        }, "TLC output of " + name);
        reader.setDaemon(true);
        reader.start();
        Deque<String> out = new ArrayDeque<>();
        long tick = Math.max(20, Math.min(1000, noProgress.toMillis() / 4));
        long lastProgress = System.nanoTime();
        long logSize = -1;
        String lastLine = null;
        boolean ended = false;
        try {
            while (true) {
                if (!ended) {
                    Optional<String> l = lines.poll(tick, TimeUnit.MILLISECONDS);
                    if (l != null && l.isEmpty()) {
                        ended = true;
                    } else if (l != null) {
                        String line = l.get();
                        out.addLast(line);
                        if (out.size() > OUTPUT_LINES_KEPT) out.removeFirst();
                        // a line that repeats the last one (the same progress figures) is no progress
                        if (!line.equals(lastLine)) lastProgress = System.nanoTime();
                        lastLine = line;
                        progress.accept(line);
                    }
                } else if (p.waitFor(tick, TimeUnit.MILLISECONDS)) {
                    return out;
                }
                long size = sizeOf(log);
                if (size != logSize) {
                    logSize = size;
                    lastProgress = System.nanoTime();
                }
                if (System.nanoTime() - lastProgress > noProgress.toNanos()) {
                    stopTree(p);
                    throw new TlcStartException("model " + name + ": TLC made no progress for " + seconds(noProgress)
                            + " s (no output, and its log did not grow), so it was stopped; is the disk under "
                            + workDir + " full? Set " + NO_PROGRESS_PROPERTY + " or " + NO_PROGRESS_ENV
                            + " to wait longer. log: " + log);
                }
            }
        } catch (InterruptedException e) {
            stopTree(p);
            Thread.currentThread().interrupt();
            throw new TlcStartException("model " + name + ": interrupted, so TLC was stopped. log: " + log);
        }
    }

    static TlcResult readResult(String name, int exit, Deque<String> out, Path result, Path log)
            throws TlcStartException {
        if (!Files.exists(result)) {
            throw new TlcStartException("model " + name + ": TLC exited with code " + exit + " and wrote no result"
                    + workerExit(exit) + "\n" + output(out) + afterTheCheck(log));
        }
        String json;
        try {
            json = Files.readString(result);
        } catch (IOException e) {
            throw new TlcStartException("model " + name + ": TLC's result " + result + " cannot be read (" + e
                    + "; TLC exited with code " + exit + ")" + "\n" + output(out) + afterTheCheck(log));
        }
        if (json.isBlank()) {
            throw new TlcStartException("model " + name + ": TLC's result " + result + " is empty (TLC exited with code "
                    + exit + "; is the disk under " + result.getParent() + " full?)\n" + output(out) + afterTheCheck(log));
        }
        TlcResult r;
        try {
            r = new ObjectMapper().readValue(json, TlcResult.class);
        } catch (JsonProcessingException e) {
            throw new TlcStartException("model " + name + ": TLC's result " + result + " is not readable ("
                    + e.getOriginalMessage() + "; TLC exited with code " + exit + ")\n" + output(out) + afterTheCheck(log));
        }
        if ("error".equals(r.outcome())) {
            throw new TlcStartException("model " + name + ": " + r.error() + logPart(log, r.error()));
        }
        return r;
    }

    private static String workerExit(int exit) {
        return switch (exit) {
            case TlcWorker.EXIT_FAILED -> " (the worker failed: see its output)";
            case TlcWorker.EXIT_PARENT_GONE -> " (the worker lost its parent)";
            default -> "";
        };
    }

    /** The child's own lines (its errors, not the progress figures), indented. */
    private static String output(Deque<String> out) {
        List<String> own = out.stream().filter(l -> !l.startsWith("progress:")).toList();
        if (own.isEmpty()) return "its output: (none)";
        return "its output:\n  " + String.join("\n  ", tail(own, 30));
    }

    /**
     * For a run without a readable result: if TLC's log has a verdict, the failure came after TLC's
     * check, and the log's path is enough; otherwise what the log says went wrong.
     */
    private static String afterTheCheck(Path log) {
        if (Files.isRegularFile(log) && readLines(log).stream().anyMatch(TlcRunner::isVerdict)) {
            return "\nTLC finished its check (its verdict is in the log); what failed came after it.\nlog: " + log;
        }
        return logPart(log, null);
    }

    private static boolean isVerdict(String line) {
        return line.startsWith("Model checking completed.") || line.startsWith("Error: The behavior up to this point is:")
                || line.startsWith("Error: Deadlock reached.") || line.startsWith("Error: Temporal properties were violated.")
                || line.matches("Error: (Invariant|Action property) .* is violated.*");
    }

    /**
     * TLC's error report from the log, whole (unless {@code known} already says all of it), then the
     * log's path; or that this run wrote no log.
     */
    private static String logPart(Path log, String known) {
        if (!Files.isRegularFile(log)) return "\nno log: TLC did not get as far as writing " + log;
        List<String> lines = readLines(log);
        List<String> block = errorBlock(lines);
        String shown;
        if (block.isEmpty()) {
            shown = known != null ? "" : "\nthe end of its log:\n  " + String.join("\n  ", tail(lines, 20));
        } else if (known != null && flat(known).contains(flat(String.join(" ", block).replace("Error:", "")))) {
            shown = "";
        } else {
            shown = "\nTLC says:\n  " + String.join("\n  ", block);
        }
        return shown + "\nlog: " + log;
    }

    private static String flat(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    private static final int ERROR_LINES_SHOWN = 80;

    /**
     * The error report in TLC's log: from the first line that begins an error (the parser's
     * {@code ***Parse Error***}, SANY's {@code Semantic errors:}, TLC's {@code Error:} ...) to the end,
     * without TLC's chatter, blank lines and repeats of the same semantic error (SANY reports it
     * again for every module above the broken one).
     */
    static List<String> errorBlock(List<String> lines) {
        int from = -1;
        for (int i = 0; i < lines.size() && from < 0; i++) if (beginsError(lines.get(i))) from = i;
        if (from < 0) return List.of();
        Set<String> groups = new LinkedHashSet<>();
        List<String> group = new ArrayList<>();
        for (String line : lines.subList(from, lines.size())) {
            if (line.isBlank() || line.startsWith("Semantic processing of module ") || line.startsWith("Parsing file ")
                    || line.startsWith("Starting... (") || line.startsWith("Finished in ")) continue;
            if ((line.startsWith("Semantic errors:") || line.startsWith("Error:")) && !group.isEmpty()) {
                groups.add(String.join("\n", group));
                group = new ArrayList<>();
            }
            group.add(line);
        }
        if (!group.isEmpty()) groups.add(String.join("\n", group));
        List<String> block = new ArrayList<>();
        for (String g : groups) block.addAll(List.of(g.split("\n")));
        if (block.size() > ERROR_LINES_SHOWN) {
            int more = block.size() - ERROR_LINES_SHOWN;
            block = new ArrayList<>(block.subList(0, ERROR_LINES_SHOWN));
            block.add("... (" + more + " more lines in the log)");
        }
        return block;
    }

    private static boolean beginsError(String line) {
        return line.startsWith("***Parse Error***") || line.startsWith("Semantic errors:") || line.startsWith("Lexical error")
                || line.startsWith("Fatal errors") || line.startsWith("*** Errors:") || line.startsWith("Error:")
                || line.startsWith("Unknown operator") || line.startsWith("Could not ");
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Stops the child and everything it started, and waits a little for it to be gone. */
    static void stopTree(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes TLC's states folders ({@code states-*}), its temporary folder and half-written files. */
    static void removeScratch(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                String n = f.getFileName().toString();
                if (n.startsWith("states-") || n.equals("tmp") || n.endsWith(".json.tmp")) TlcWorker.deleteQuietly(f);
            }
        } catch (IOException e) {
            // best effort: the next run of this model tries again
        }
    }

    private static void closeQuietly(OutputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // the child is gone
        }
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            return List.of("(the log cannot be read: " + e.getMessage() + ")");
        }
    }

    private static List<String> tail(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
