package dev.mmucheck.driver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;
import dev.mmucheck.machine.MachineConfig;
import dev.mmucheck.machine.Models;
import dev.mmucheck.refinement.TraceReplay;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfTrace;

/**
 * README's inject-path finding on the Java xe driver: CONFIG_DRM_XE_USERPTR_INVAL_INJECT's
 * xe_vma_userptr_force_invalidate, with the VM's fences signalled, leaves tlb_inval_submitted
 * set; a later invalidation whose pass 1 defers then only waits for the old batch in its finish
 * and never zaps, so the GPU keeps a stale translation. TLC's trace (model xe-inject) drives it.
 */
class XeInjectPathTest {

    private static TraceReplay.Result replay(DriverKind d) throws Exception {
        ItfTrace t = Itf.read(TestProject.get().counterexample("xe-inject"));
        MachineConfig base = Models.of(TestProject.get(), "xe-inject");
        MachineConfig c = new MachineConfig(base.name(), base.kernel(), MachineConfig.all(d, "g1"), base.pages(),
                base.notifiers(), base.invalidators(), base.readers());
        return TraceReplay.replay(t, c, "xe-inject");
    }

    @Test
    void theInjectPathAsMergedLeavesAStaleTranslation() throws Exception {
        TraceReplay.Result r = replay(DriverKind.XE_INJECT);
        assertFalse(r.divergence().isPresent(), "the Java xe driver diverged from TLC: " + r.divergence());
        assertTrue(r.violated("XeAssert_DeferredInval"), "do_inval(true)'s xe_assert did not fire: " + r.violations());
        assertTrue(r.violated("NoStaleDeviceAccess"), "no stale translation: " + r.violations());
    }

    @Test
    void withTheFixTheSameScheduleKeepsTheGpuFresh() throws Exception {
        TraceReplay.Result r = replay(DriverKind.XE_INJECT_FIXED);
        // the fixed driver clears tlb_inval_submitted, so its state leaves TLC's trace, or follows it without the fault
        assertTrue(r.divergence().isPresent() || !r.violated("NoStaleDeviceAccess"),
                "the fixed inject path followed the whole trace and left a stale translation: " + r.violations());
        assertFalse(r.violated("NoStaleDeviceAccess"), "the fixed inject path left a stale translation: " + r.violations());
        assertFalse(r.violated("XeAssert_DeferredInval"), "the fixed inject path fired do_inval(true)'s assert: " + r.violations());
    }
}
