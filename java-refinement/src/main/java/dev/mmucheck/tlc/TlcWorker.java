package dev.mmucheck.tlc;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfTrace;
import tlc2.TLC;
import tlc2.output.EC;
import tlc2.output.MP;
import tlc2.output.MPRecorder;
import tlc2.tool.TLCStateInfo;
import tlc2.value.IValue;
import util.ToolIO;
import util.UniqueString;

/**
 * Runs TLC once, in this JVM, and writes a {@link TlcResult} (and the counterexample as ITF).
 * It is started as a child JVM by {@link TlcRunner}: TLC 2.18 keeps static state between runs
 * and may call System.exit, so one run per JVM (README, "How the TLC bridge works, and why").
 * Counterexample states arrive whole and typed through TLC's message recorder.
 *
 * <p>Arguments: spec.tla config.cfg result.json trace.itf.json log.txt workers metaDir [meta key=value ...]
 *
 * <p>The worker never outlives its run: whatever goes wrong (a result or trace that cannot be
 * written, say on a full disk, or an error in TLC's set-up) is printed to standard error and the
 * JVM halts at once, without waiting for the threads TLC leaves behind. Exit codes:
 * {@value #EXIT_OK} the result is written; {@value #EXIT_REJECTED} TLC rejected its parameters (the
 * result says so); {@value #EXIT_FAILED} the worker failed (standard error says why; there may be no
 * result); {@value #EXIT_PARENT_GONE} the process that started it is gone.
 *
 * <p>With {@code -D}{@value #PARENT_PROPERTY}{@code =stdin} (as {@link TlcRunner} starts it) the worker
 * reads standard input until end of file, which comes when the parent closes the pipe or dies, even by
 * SIGKILL; it then removes its scratch folders (the metaDir and {@code -D}{@value #SCRATCH_PROPERTY})
 * and halts.
 *
 * <p>Meta keys the worker takes for itself (they do not go into the trace's meta): {@code tlc.extra}
 * (more TLC options, space separated), {@value #GRAPH_KEY} (a file to record the state graph into),
 * {@value #WITNESSES_KEY} (witness predicates to evaluate on every new state) and the test hook {@value #TEST_WRITES_KEY}, which makes the
 * writes of the result or the trace fail ({@code fail-result}, {@code fail-trace}), hang after
 * creating an empty file ({@code hang-result}, {@code hang-trace}), or leave an empty result and
 * exit 0 ({@code empty-result}), as a full disk would.
 */
public final class TlcWorker {
    private TlcWorker() {}

    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 2;
    static final int EXIT_REJECTED = 3;
    static final int EXIT_FAILED = 4;
    static final int EXIT_PARENT_GONE = 5;
    /** System property: "stdin" makes the worker stop when its standard input ends (the parent is gone). */
    static final String PARENT_PROPERTY = "mmucheck.tlc.parent";
    /** System property: a scratch folder (TLC's java.io.tmpdir) to remove when the parent is gone. */
    static final String SCRATCH_PROPERTY = "mmucheck.tlc.scratch";
    /** Meta key of the test hook that simulates failing writes (see the class comment). */
    static final String TEST_WRITES_KEY = "tlc.test.writes";
    /** Meta key: record TLC's whole state graph ({@link GraphRecorder}) into this file. */
    public static final String GRAPH_KEY = "tlc.graph";
    /** Meta key: the adequacy witnesses to evaluate on every new state ({@link WitnessRecorder}), comma separated. */
    public static final String WITNESSES_KEY = "tlc.witnesses";
    /**
     * Meta key: instead of model checking, walk random behaviours over TLC's next-state function
     * ({@link RandomWalker}): "N,SEED,DEPTH"; they are written to the file {@value #GRAPH_KEY} names.
     */
    public static final String WALKS_KEY = "tlc.walks";

    private static volatile String testWrites;

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (Throwable t) {   // never fall through to TLC's non-daemon threads: that hangs
            System.err.println("TlcWorker: " + describe(t));
            StackTraceElement[] at = t.getStackTrace();   // where, for the bug report: a worker failure is never the user's
            for (int k = 0; k < Math.min(4, at.length); k++) System.err.println("    at " + at[k]);
            code = EXIT_FAILED;
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);   // TLC leaves non-daemon threads behind (RMI, liveness)
    }

    private static String describe(Throwable t) {
        StringBuilder b = new StringBuilder(String.valueOf(t));
        for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
            if (!b.toString().contains(String.valueOf(c.getMessage()))) b.append("; caused by ").append(c);
        }
        return b.toString();
    }

    private static int run(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: TlcWorker spec.tla config.cfg result.json trace.itf.json log.txt workers metaDir [key=value ...]");
            return EXIT_USAGE;
        }
        Path spec = Path.of(args[0]).toAbsolutePath();
        Path cfg = Path.of(args[1]).toAbsolutePath();
        Path resultFile = Path.of(args[2]);
        Path traceFile = Path.of(args[3]);
        Path logFile = Path.of(args[4]);
        String workers = args[5];
        Path metaDir = Path.of(args[6]);
        if ("stdin".equals(System.getProperty(PARENT_PROPERTY))) watchParent(metaDir);
        Map<String, Object> meta = new LinkedHashMap<>();
        List<String> extra = new ArrayList<>();
        Path graphFile = null;
        List<String> witnessNames = new ArrayList<>();
        String walks = null;
        for (int k = 7; k < args.length; k++) {
            int eq = args[k].indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("meta argument without '=': " + args[k]);
            String key = args[k].substring(0, eq), value = args[k].substring(eq + 1);
            if (key.equals("tlc.extra")) {
                if (!value.isBlank()) extra.addAll(List.of(value.trim().split("\\s+")));   // more TLC options, e.g. -simulate
            } else if (key.equals(TEST_WRITES_KEY)) {
                testWrites = value;
            } else if (key.equals(GRAPH_KEY)) {
                graphFile = Path.of(value);
            } else if (key.equals(WALKS_KEY)) {
                walks = value;
            } else if (key.equals(WITNESSES_KEY)) {
                if (!value.isBlank()) witnessNames.addAll(List.of(value.split(",")));
            } else {
                meta.put(key, value);
            }
        }
        Recorder rec = new Recorder();
        WitnessRecorder witnesses = null;
        long start = System.nanoTime();
        int code;
        try (PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile()), true)) {
            ToolIO.out = log;
            ToolIO.err = log;
            MP.setRecorder(rec);
            TLC tlc = new TLC();
            String specNoExt = spec.toString().replaceAll("\\.tla$", "");
            List<String> params = new ArrayList<>(List.of("-workers", workers, "-fp", "1", "-config",
                    // TLC 2.18 resolves -config relative to the spec's directory
                    spec.getParent().relativize(cfg).toString(),
                    "-metadir", metaDir.toString()));
            params.addAll(extra);
            params.add(specNoExt);
            boolean ok = tlc.handleParameters(params.toArray(new String[0]));
            if (!ok) {
                writeResult(resultFile, new TlcResult("error", null, null, 0, 0, 0, -1, null, -1,
                        "TLC rejected its parameters " + String.join(" ", params), rec.errors, null));
                return EXIT_REJECTED;
            }
            tlc.setResolver(new util.SimpleFilenameToStream());
            if (walks != null) {
                if (graphFile == null) throw new IllegalArgumentException(WALKS_KEY + " needs " + GRAPH_KEY + " (the file to write the walks to)");
                RandomWalker w = walk(specNoExt, cfg, walks);
                w.write(graphFile);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.println("walks: " + w.stepCount() + " steps, " + w.stateCount() + " distinct states, " + w.successorCount()
                        + " successors computed");
                writeResult(resultFile, new TlcResult("pass", null, null, w.stateCount(), w.successorCount(), seconds, 0, null, -1, null,
                        rec.errors, null));
                return EXIT_OK;
            }
            GraphRecorder graph = graphFile == null ? null : new GraphRecorder();
            witnesses = witnessNames.isEmpty() ? null : new WitnessRecorder(witnessNames, graph);
            tlc2.util.IStateWriter writer = witnesses != null ? witnesses : graph;
            if (writer != null) {
                // TLC has no setter for its state writer: set the private field (TLC 2.18, TLC.stateWriter)
                java.lang.reflect.Field f = TLC.class.getDeclaredField("stateWriter");
                f.setAccessible(true);
                f.set(tlc, writer);
            }
            code = tlc.process();
            if (witnesses != null && witnesses.failure != null) throw new IllegalStateException(witnesses.failure);
            if (graph != null) {
                if (graph.failure != null) throw new IllegalStateException("recording the state graph: " + graph.failure);
                graph.write(graphFile);
                System.out.println("graph: " + graph.stateCount() + " states, " + graph.edgeCount() + " distinct edges");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        TlcResult result = rec.result(code, seconds, cfg, traceFile, meta);
        if (witnesses != null) result = new TlcResult(result.outcome(), result.property(), result.kind(), result.distinct(), result.generated(),
                result.seconds(), result.tlcCode(), result.traceFile(), result.traceSteps(), result.error(), result.messages(), witnesses.reached());
        writeResult(resultFile, result);
        return EXIT_OK;
    }

    /** TLC's own tool for the spec and configuration (as TLC.process builds it), walked by {@link RandomWalker}. */
    private static RandomWalker walk(String specNoExt, Path cfg, String arg) {
        String[] a = arg.split(",");
        if (a.length != 3) throw new IllegalArgumentException(WALKS_KEY + ": expected N,SEED,DEPTH, got '" + arg + "'");
        tlc2.util.FP64.Init(1);
        // as TLC.process does: the configuration relative to the spec's directory (TLC 2.18 resolves it there), without .cfg
        String cfgNoExt = Path.of(specNoExt).getParent().relativize(cfg).toString().replaceAll("\\.cfg$", "");
        tlc2.tool.impl.FastTool tool = new tlc2.tool.impl.FastTool(specNoExt, cfgNoExt, new util.SimpleFilenameToStream());
        RandomWalker w = new RandomWalker(tool, Integer.parseInt(a[0]), Long.parseLong(a[1]), Integer.parseInt(a[2]), System.out::println);
        w.run();
        return w;
    }

    /**
     * Stops this JVM when standard input ends: {@link TlcRunner} keeps the pipe open while it waits,
     * and the kernel closes it when the runner's JVM dies, however it dies.
     */
    private static void watchParent(Path metaDir) {
        String scratch = System.getProperty(SCRATCH_PROPERTY);
        Thread t = new Thread(() -> {
            byte[] buf = new byte[256];
            try {
                while (System.in.read(buf) >= 0) { /* the runner sends nothing */ }
            } catch (IOException e) {
                // a broken pipe means the same
            }
            System.err.println("TlcWorker: the process that started this run is gone; stopping TLC");
            deleteQuietly(metaDir);
            if (scratch != null) deleteQuietly(Path.of(scratch));
            Runtime.getRuntime().halt(EXIT_PARENT_GONE);
        }, "parent-watch");
        t.setDaemon(true);
        t.start();
    }

    static void deleteQuietly(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    try { Files.deleteIfExists(file); } catch (IOException e) { /* best effort */ }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) {
                    try { Files.deleteIfExists(d); } catch (IOException e) { /* best effort */ }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: the runner removes leftovers at the start of the next run
        }
    }

    /** Writes to a sibling file, then renames it, so the file is either whole or absent. */
    private static void writeResult(Path file, TlcResult r) throws IOException {
        writeWhole("result", file, f -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(f.toFile(), r));
    }

    interface Writer { void write(Path file) throws IOException; }

    static void writeWhole(String what, Path file, Writer w) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            testHook(what, file);
            w.write(part);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try { Files.deleteIfExists(part); } catch (IOException ignored) { /* reported below */ }
            throw new IOException("could not write the " + what + " file " + file + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
        }
    }

    private static void testHook(String what, Path file) throws IOException {
        String hook = testWrites;
        if (hook == null) return;
        if (hook.equals("fail-" + what)) throw new IOException("No space left on device (simulated: " + TEST_WRITES_KEY + "=" + hook + ")");
        if (hook.equals("hang-" + what)) {
            Files.write(file, new byte[0]);
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // keep hanging, as a write stuck on a full disk does
                }
            }
        }
        if (hook.equals("empty-" + what)) {
            Files.write(file, new byte[0]);
            System.out.flush();
            Runtime.getRuntime().halt(EXIT_OK);
        }
    }

    /** Collects what TLC reports through MP: the violation, the trace states, the statistics. */
    static final class Recorder extends MPRecorder {
        final List<String> errors = new ArrayList<>();
        final List<Map<String, TlaValue>> states = new ArrayList<>();
        final List<String> varOrder = new ArrayList<>();
        Integer backTo;
        String property;
        String kind;
        long distinct = -1;
        long generated = -1;

        /** Whatever goes wrong here must not be thrown into TLC: it is kept and reported with the result. */
        String failure;

        /** The parameters of the last message of each code, to word the code TLC stops with. */
        private final Map<Integer, Object[]> lastParams = new java.util.HashMap<>();

        @Override
        public void record(int code, Object... objs) {
            try {
                handle(code, objs);
            } catch (RuntimeException e) {
                if (failure == null) failure = "reading TLC's message " + code + ": " + e;
            }
        }

        private void handle(int code, Object... objs) {
            if (code != EC.TLC_STATE_PRINT2) lastParams.put(code, objs);
            switch (code) {
                case EC.TLC_INVARIANT_VIOLATED_BEHAVIOR, EC.TLC_INVARIANT_VIOLATED_INITIAL -> {
                    property = String.valueOf(objs[0]);
                    kind = "invariant";
                }
                case EC.TLC_ACTION_PROPERTY_VIOLATED_BEHAVIOR -> {
                    property = String.valueOf(objs[0]);
                    kind = "action";
                }
                case EC.TLC_DEADLOCK_REACHED -> { property = "Deadlock"; kind = "deadlock"; }
                case EC.TLC_TEMPORAL_PROPERTY_VIOLATED -> kind = "temporal";
                case EC.TLC_STATE_PRINT2 -> addState(objs);
                case EC.TLC_STATE_PRINT3 -> backTo = states.size() - 1;   // stuttering: the last state repeats
                case EC.TLC_BACK_TO_STATE -> backTo = Integer.parseInt(String.valueOf(objs[0]).trim()) - 1;
                case EC.TLC_PROGRESS_STATS -> {
                    String[] a = toStrings(objs);   // depth, generated, distinct, queue, ...
                    System.out.println(a.length >= 4 ? "progress: depth " + a[0] + ", " + a[1] + " generated, " + a[2]
                            + " distinct, " + a[3] + " on queue" : "progress: " + String.join(" ", a));
                }
                case EC.TLC_STATS -> {
                    generated = Long.parseLong(String.valueOf(objs[0]).replace(",", ""));
                    distinct = Long.parseLong(String.valueOf(objs[1]).replace(",", ""));
                }
                default -> { }
            }
            if ((code >= 1000 && code < 2000) || code >= 4000 && code < 5000 || code == EC.TLC_ASSUMPTION_FALSE) {
                errors.add("TLC message " + code + ": " + String.join(" | ", toStrings(objs)));
            }
        }

        private static String[] toStrings(Object[] objs) {
            String[] s = new String[objs.length];
            for (int k = 0; k < objs.length; k++) s[k] = String.valueOf(objs[k]);
            return s;
        }

        private void addState(Object[] objs) {
            TLCStateInfo info = (TLCStateInfo) objs[0];
            Map<UniqueString, IValue> vals = info.state.getVals();
            Map<String, TlaValue> state = new LinkedHashMap<>();
            if (varOrder.isEmpty()) {
                for (var decl : info.state.getVars()) varOrder.add(decl.getName().toString());
            }
            for (String var : varOrder) {
                IValue v = vals.get(UniqueString.uniqueStringOf(var));
                state.put(var, TlcValues.convert(v, "state " + (states.size() + 1) + ", variable " + var));
            }
            states.add(state);
        }

        /** TLC's own text for the code it stopped with, on one line, or "" if it has none. */
        String wording(int code) {
            try {
                Object[] objs = lastParams.get(code);
                String text = objs == null || objs.length == 0 ? MP.getError(code)
                        : objs.length == 1 && objs[0] instanceof Throwable t ? String.valueOf(t.getMessage())   // Assert.fail's exception
                        : MP.getError(code, toStrings(objs));
                text = text.replaceFirst("^Error:\\s*", "").replaceAll("\\s+", " ").trim();
                return text.contains("%") ? "" : text;   // a template without its parameters says nothing
            } catch (RuntimeException e) {
                return "";
            }
        }

        TlcResult result(int code, double seconds, Path cfg, Path traceFile, Map<String, Object> meta) throws Exception {
            String outcome;
            String error = null;
            if (code == 0) {
                outcome = "pass";
            } else if (kind != null) {
                outcome = "violation";
                if ("temporal".equals(kind)) {
                    List<String> props = CfgFile.read(cfg).temporalProperties();
                    property = props.size() == 1 ? props.get(0) : "one of " + props;
                }
            } else {
                outcome = "error";
                String says = wording(code);
                error = "TLC stopped with code " + code + (says.isEmpty() ? "" : ": " + says)
                        + (errors.isEmpty() ? "" : "; " + String.join("; ", errors));
            }
            if (failure != null) {
                outcome = "error";
                error = failure;
            }
            String written = null;
            int steps = -1;
            if (!states.isEmpty()) {
                // an error TLC met while evaluating (it prints the behaviour up to it) has no property or kind
                if (property != null) meta.put("property", property);
                if (kind != null) meta.put("kind", kind);
                ItfTrace trace = new ItfTrace(meta, varOrder, states, Optional.ofNullable(backTo));
                writeWhole("trace", traceFile, f -> Itf.write(trace, f));
                written = traceFile.toString();
                steps = trace.steps();
            }
            return new TlcResult(outcome, property, kind, distinct, generated, seconds, code, written, steps, error, errors, null);
        }
    }
}
