package dev.mmucheck.tlc;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * and may call System.exit, so one run per JVM (../shared/reference/tlc-2.18-probe.md section 8).
 * Counterexample states arrive whole and typed through TLC's message recorder.
 *
 * <p>Arguments: spec.tla config.cfg result.json trace.itf.json log.txt workers metaDir [meta key=value ...]
 */
public final class TlcWorker {
    private TlcWorker() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: TlcWorker spec.tla config.cfg result.json trace.itf.json log.txt workers metaDir [key=value ...]");
            System.exit(2);
        }
        Path spec = Path.of(args[0]).toAbsolutePath();
        Path cfg = Path.of(args[1]).toAbsolutePath();
        Path resultFile = Path.of(args[2]);
        Path traceFile = Path.of(args[3]);
        Path logFile = Path.of(args[4]);
        String workers = args[5];
        Path metaDir = Path.of(args[6]);
        Map<String, Object> meta = new LinkedHashMap<>();
        List<String> extra = new ArrayList<>();
        for (int k = 7; k < args.length; k++) {
            int eq = args[k].indexOf('=');
            String key = args[k].substring(0, eq), value = args[k].substring(eq + 1);
            if (key.equals("tlc.extra")) {
                if (!value.isBlank()) extra.addAll(List.of(value.trim().split("\\s+")));   // more TLC options, e.g. -simulate
            } else {
                meta.put(key, value);
            }
        }
        Recorder rec = new Recorder();
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
                        "TLC rejected its parameters for " + cfg + " (see " + logFile + ")", rec.errors));
                System.exit(3);
            }
            tlc.setResolver(new util.SimpleFilenameToStream());
            code = tlc.process();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        TlcResult result = rec.result(code, seconds, cfg, traceFile, meta);
        writeResult(resultFile, result);
        System.exit(0);   // TLC leaves non-daemon threads behind (RMI, liveness)
    }

    private static void writeResult(Path file, TlcResult r) throws java.io.IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), r);
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

        @Override
        public void record(int code, Object... objs) {
            try {
                handle(code, objs);
            } catch (RuntimeException e) {
                if (failure == null) failure = "reading TLC's message " + code + ": " + e;
            }
        }

        private void handle(int code, Object... objs) {
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
                error = "TLC stopped with code " + code + (errors.isEmpty() ? "" : ": " + String.join("; ", errors));
            }
            if (failure != null) {
                outcome = "error";
                error = failure;
            }
            String written = null;
            int steps = -1;
            if (!states.isEmpty()) {
                meta.put("property", property);
                meta.put("kind", kind);
                ItfTrace trace = new ItfTrace(meta, varOrder, states, Optional.ofNullable(backTo));
                Itf.write(trace, traceFile);
                written = traceFile.toString();
                steps = trace.steps();
            }
            return new TlcResult(outcome, property, kind, distinct, generated, seconds, code, written, steps, error, errors);
        }
    }
}
