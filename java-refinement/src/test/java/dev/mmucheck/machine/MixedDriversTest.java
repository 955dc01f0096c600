package dev.mmucheck.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.mmucheck.driver.DriverKind;
import dev.mmucheck.kernel.KernelConfig;
import dev.mmucheck.machine.MachineConfig.InvalidatorSpec;
import dev.mmucheck.machine.MachineConfig.NotifierSpec;
import dev.mmucheck.scheduling.LockstepScheduler;
import dev.mmucheck.scheduling.LockstepScheduler.Position;

/**
 * The driver is chosen per GPU (the spec's Driver is a function of the GPU): a model may mix
 * test_hmm's trylock driver on one GPU with xe on another. A non-blockable invalidation then
 * gets a finish from the trylock GPU and -EAGAIN from the xe GPU, and the finish pass runs (and
 * would sleep) in the non-blockable context: the trylock finding, reached through a mixed model.
 */
class MixedDriversTest {

    @Test
    void aTrylockFinishAndAnXeRefusalInOneNonBlockableWalk() throws InterruptedException {
        Map<String, DriverKind> drivers = new LinkedHashMap<>();
        drivers.put("g1", DriverKind.TRYLOCK);
        drivers.put("g2", DriverKind.XE);
        MachineConfig c = new MachineConfig("mixed", KernelConfig.merged(), drivers, List.of(1L),
                List.of(new NotifierSpec("n1", "g1", 1, 1, true, false), new NotifierSpec("n2", "g2", 1, 1, true, false)),
                List.of(new InvalidatorSpec("oom", false, false, List.of(Set.of(1L)), 1)), List.of());
        assertEquals(DriverKind.TRYLOCK, c.driverOf("g1"));
        assertEquals(DriverKind.XE, c.driverOf("g2"));
        try (LockstepRun run = LockstepRun.start(c, (inv, k) -> inv.ranges().get(0))) {
            LockstepScheduler s = run.scheduler();
            assertEquals("inv_cb_start", label(s.step("oom")));     // hits n1 (g1) first
            assertEquals("inv_cb_zap", label(s.step("oom")));       // trylock: mutex_trylock succeeds
            assertEquals("inv_cb_start", label(s.step("oom")));     // n1's finish handed out; on to n2 (g2)
            assertEquals("inv_finish_pass", label(s.step("oom")));  // xe: !blockable -> false; -EAGAIN with n1's finish queued
            assertTrue(run.machine().mm().invalidationOf(run.machine().thread("oom")).orElseThrow().eagain());
            assertEquals("inv_fin_lock", label(s.step("oom")));     // the finish pass calls n1's finish, non-blockable
            assertTrue(run.checker().check(s.positions()).stream().anyMatch(v -> v.property().equals("NoSleepInNonBlockable")),
                    "the non-blockable invalidation is at a point that may sleep");
        }
    }

    private static String label(Position p) {
        return p.label() == null ? String.valueOf(p.where()) : p.label().contractName();
    }
}
