package dev.mmucheck.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.mmucheck.kernel.KernelConfig;
import dev.mmucheck.kernel.Mutation;

/**
 * Many real threads, no scheduler: the code as merged keeps every property over a million
 * operations with the watchdog quiet; with D1, D3 or M2 switched on the oracle catches the
 * named property within the time bound. Figures are printed, not asserted.
 */
class StressTest {
    static final long OPS = 1_000_000;

    @Test
    void aMillionOperationsOnElevenThreadsKeepEveryProperty() throws InterruptedException {
        StressRun.Result r = StressRun.run(StressRun.Settings.standard(KernelConfig.merged(), OPS));
        System.out.println("stress (merged): " + r.figures());
        assertNull(r.watchdog(), r.watchdog());
        assertEquals(List.of(), r.violations());
        assertFalse(r.timedOut(), "did not finish within the time limit: " + r.figures());
        assertTrue(r.ops() >= OPS, r.figures());
        assertTrue(r.threads() >= 8);
        assertTrue(r.checks() > OPS, "the oracle checked throughout: " + r.figures());
    }

    @ParameterizedTest(name = "{0} is caught as {1}")
    @CsvSource({"D1, NoStaleDeviceAccess", "D3, NoStaleDeviceAccess", "M2, FinishBeforeReturn"})
    void aMutationIsCaughtWithinTheTimeBound(String id, String property) throws InterruptedException {
        Mutation m = Mutation.byId(id).orElseThrow();
        StressRun.Settings st = StressRun.Settings.standard(KernelConfig.merged().with(m), OPS).withTimeLimit(Duration.ofSeconds(60));
        StressRun.Result r = StressRun.run(st);
        System.out.println("stress (" + id + "): " + r.figures() + "; first violation: "
                + (r.violations().isEmpty() ? "none" : r.violations().get(0)));
        assertFalse(r.violations().isEmpty(), id + " was not caught: " + r.figures());
        assertEquals(property, r.violations().get(0).property(), r.violations().toString());
    }
}
