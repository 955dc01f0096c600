package dev.mmucheck.tlc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A small JVM that runs one model through {@link TlcRunner}, as mmu-check does, so that a test can
 * stop it with a signal and look at what happens to TLC's child JVM.
 * Arguments: spec.tla workDir model config.cfg
 */
public final class RunnerMain {
    private RunnerMain() {}

    public static void main(String[] a) throws Exception {
        TlcRunner runner = new TlcRunner(Path.of(a[0]), Path.of(a[1]), "1g", Duration.ofSeconds(120));
        try {
            TlcResult r = runner.run(a[2], Path.of(a[3]), 1, Map.of("model", a[2]), System.out::println);
            System.out.println("outcome " + r.outcome());
        } catch (TlcStartException e) {
            System.out.println("failed: " + e.getMessage());
            System.exit(3);
        }
    }
}
