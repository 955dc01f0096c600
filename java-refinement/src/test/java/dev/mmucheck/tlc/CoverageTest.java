package dev.mmucheck.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;

/**
 * TLC's own coverage report (-coverage): on the default model every action of the spec's
 * processes is taken (ReadInstall exists only under mutation D3, ReadGone only for a reader of a
 * dynamic notifier, ReadExclusive only for a reader of ExclusiveReaders (model exclusive),
 * UnbindMark only under mutation D5; the lifecycle's actions, with no dynamic notifier, are not reported); on dynamic, the lifecycle's Insert, Unbind, UnbindWait, Remove
 * and RemoveWait and the reader's ReadGone are taken too. (TLC reports GpuTlbInvalDone, taken under
 * Gpu's \E over the pending fences, as Gpu.) CbSetSeq exists only under mutation D2; xe's deferred
 * flow (FinSync) and the inject path (ReadInject*) only on the xe forms with bind fences and the
 * inject Kconfig, which default and dynamic keep out (Driver = "xe"): xe-inject-fixed takes them.
 */
class CoverageTest {
    private static final Pattern LINE = Pattern.compile("^<(\\w+) line \\d+, col \\d+ to line \\d+, col \\d+ of module (\\w+)[^>]*>: (\\d+):(\\d+)");
    private static final Set<String> SPEC_MODULES = Set.of("MmuNotifierCore", "GpuDriver", "MmuIntervalNotifier");

    /** action name -> states it generated, from TLC's coverage report of model {@code name} */
    private static Map<String, Long> coverage(String name) throws IOException, InterruptedException {
        Path root = TestProject.get().root();
        Path tmp = Files.createTempDirectory("coverage-" + name);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseParallelGC", "-Xmx2g", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                "tlc2.TLC", "-workers", "1", "-fp", "1", "-coverage", "60", "-metadir", tmp.resolve("states").toString(),
                "-config", "../model-check/models/" + name + ".cfg", "MC")
                .directory(root.resolve("specs").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), () -> "TLC on " + name + " failed:\n" + out);
        Map<String, Long> gen = new TreeMap<>();
        for (String line : out.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.find() && SPEC_MODULES.contains(m.group(2)) && !m.group(1).equals("Init")) {
                gen.merge(m.group(1), Long.parseLong(m.group(4)), Long::sum);
            }
        }
        assertTrue(gen.size() > 10, () -> "no coverage report in TLC's output:\n" + out);
        return gen;
    }

    private static Set<String> notTaken(Map<String, Long> gen) {
        Set<String> s = new TreeSet<>();
        gen.forEach((a, n) -> { if (n == 0) s.add(a); });
        return s;
    }

    private static Set<String> with(String[] a, String... b) {
        Set<String> s = new TreeSet<>(List.of(a));
        s.addAll(List.of(b));
        return s;
    }

    private static final String[] XE_FLOWS = {"FinSync", "ReadInject", "ReadInjectInval", "ReadInjectSync", "ReadInjectWait"};

    @Test
    void xeInjectFixedTakesXesDeferredFlowAndTheInjectPath() throws Exception {
        Map<String, Long> gen = coverage("xe-inject-fixed");
        Set<String> missing = new TreeSet<>(List.of(XE_FLOWS));
        missing.retainAll(notTaken(gen));
        assertEquals(Set.of(), missing, "xe actions never taken: " + gen);
    }

    @Test
    void theDefaultModelTakesEveryActionButTheMutationOnlyOne() throws Exception {
        Map<String, Long> gen = coverage("default");
        assertEquals(with(XE_FLOWS, "ReadInstall", "ReadGone", "CbSetSeq", "ReadExclusive"), notTaken(gen), "actions never taken: " + gen);
        assertTrue(gen.keySet().containsAll(List.of("InvStartRange", "CbStart", "CbZap", "CbWait", "InvFinishPass", "FinLock",
                "FinWait", "InvEnd", "InvEndDrain", "MmChangePte", "ReadBegin", "ReadBeginWait", "ReadPte", "ReadLock",
                "ReadRetry", "Gpu", "Terminated")), gen.toString());
    }

    @Test
    void theDynamicModelAlsoTakesTheLifecycleAndTheUnboundReader() throws Exception {
        Map<String, Long> gen = coverage("dynamic");
        assertEquals(with(XE_FLOWS, "ReadInstall", "CbSetSeq", "ReadExclusive", "UnbindMark"), notTaken(gen), "actions never taken: " + gen);
        assertTrue(gen.keySet().containsAll(List.of("Insert", "Unbind", "UnbindWait", "Remove", "RemoveWait", "ReadGone")), gen.toString());
    }
}
