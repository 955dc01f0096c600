package dev.mmucheck.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mmucheck.driver.DriverKind;
import dev.mmucheck.kernel.KernelConfig;
import dev.mmucheck.machine.MachineConfig.InvalidatorSpec;
import dev.mmucheck.machine.MachineConfig.NotifierSpec;
import dev.mmucheck.machine.MachineConfig.ReaderSpec;
import dev.mmucheck.scheduling.Label;
import dev.mmucheck.scheduling.LockstepScheduler;
import dev.mmucheck.scheduling.LockstepScheduler.Position;
import dev.mmucheck.scheduling.LockstepScheduler.Where;

/**
 * Races forced through the scheduling points, step by step, each written as the trace it is:
 * which process takes which labelled step, and where each one is afterwards.
 */
class ForcedRaceTest {
    private LockstepRun run;
    private LockstepScheduler s;
    private Machine m;
    private PropertyChecker checker;

    private void start(MachineConfig c) throws InterruptedException {
        run = LockstepRun.start(c, (inv, k) -> inv.ranges().get(0));
        s = run.scheduler();
        m = run.machine();
        checker = run.checker();
    }

    @AfterEach
    void stop() {
        if (run != null) run.close();
    }

    /** {@code proc} takes one step and ends at {@code next} (a label, "blocked" or "exited"). */
    private void step(String proc, String next) throws InterruptedException {
        Position p = s.step(proc);
        String got = switch (p.where()) {
            case AT_LABEL -> p.label().contractName();
            case BLOCKED -> "blocked";
            case EXITED -> p.failure() == null ? "exited" : "died: " + p.failure();
            default -> p.where().toString();
        };
        assertEquals(next, got, proc + " after its step");
        assertEquals(List.of(), checker.check(s.positions()), "properties after " + proc + "'s step");
    }

    private boolean at(String proc, String label) {
        Position p = s.position(proc);
        return p.where() == Where.AT_LABEL && p.label().contractName().equals(label);
    }

    private static MachineConfig oneNotifier(KernelConfig k, boolean reader, boolean dynamic, List<InvalidatorSpec> invs) {
        List<NotifierSpec> ns = dynamic
                ? List.of(new NotifierSpec("n1", "g1", 1, 1, true, false), new NotifierSpec("d1", "g1", 1, 1, true, true))
                : List.of(new NotifierSpec("n1", "g1", 1, 1, true, false));
        return new MachineConfig("race", k, MachineConfig.all(DriverKind.XE, "g1"), List.of(1L), ns, invs,
                reader ? List.of(new ReaderSpec("r1", "n1", 1, 1)) : List.of());
    }

    private static InvalidatorSpec blockable(String name) {
        return new InvalidatorSpec(name, true, false, List.of(Set.of(1L)), 1);
    }

    @Test
    void aReadSectionThatAnInvalidationOverlapsRetriesAndInstallsTheNewPte() throws InterruptedException {
        start(oneNotifier(KernelConfig.merged(), true, false, List.of(blockable("i1"))));
        step("r1", "read_pte");            // read_begin: n1 not being invalidated, seq sampled
        step("r1", "read_lock");           // hmm_range_fault reads PTE version 1
        assertEquals(new dev.mmucheck.driver.GpuVm.ReadSection(1, 1), m.vms().get("g1").readSectionOf(m.thread("r1")).orElseThrow(),
                "read_begin returned n1's seq 1 (idle insert: 2 - 1), the PTE read is version 1");
        step("i1", "inv_cb_start");        // mn_itree_inv_start_range: seq |= 1
        var inv = m.mm().invalidationOf(m.thread("i1")).orElseThrow();
        assertEquals(3, inv.curSeq(), "cur_seq = 2 | 1");
        assertEquals("n1", inv.cursor().name());
        step("i1", "inv_cb_zap");          // invalidate_start takes the user lock
        step("r1", "blocked");             // the reader cannot take the user lock
        step("i1", "inv_finish_pass");     // set_seq, zap, TLB invalidation submitted, finish handed out, unlock
        step("r1", "read_retry");
        step("r1", "read_begin");          // mmu_interval_read_retry: collided, start over
        assertEquals(1, m.vms().get("g1").stats().retries());
        step("r1", "read_begin_wait");     // n1's seq equals the subscriptions' seq: invalidation in progress, asleep on subscriptions->wq
        assertEquals(List.of(m.thread("r1")), m.mm().subscriptions().waitQueue().sleeperThreads());
        step("r1", "blocked");             // asleep: nobody has woken it
        step("i1", "inv_fin_lock");
        step("i1", "inv_fin_wait");
        step("i1", "blocked");             // the GPU has not completed the TLB invalidation
        step("g1", "gpu_tlb_inval_done");
        step("i1", "mm_change_pte");
        step("i1", "range_end");           // the CPU PTE is now version 2
        step("i1", "range_end_drain");     // last range out: seq even, the lock is kept for the drain
        step("r1", "blocked");             // the seq moved on, but r1 sleeps until the drain's wake_up_all
        step("i1", "exited");              // drained, unlocked, wake_up_all
        assertEquals(List.of(), m.mm().subscriptions().waitQueue().sleeperThreads());
        step("r1", "read_pte");            // woken: seq moved on
        step("r1", "read_lock");
        step("r1", "read_retry");
        step("r1", "exited");              // no collision since read_begin: install
        assertEquals(2, m.mm().ptes().pte(1));
        assertEquals(2, m.gpus().get("g1").devicePte(1), "the device maps the new PTE, never the old one");
    }

    /**
     * The fault path of a userptr unbound while its read_begin step waits for subscriptions->lock
     * stops, as the spec's ReadGone: it does not go on to read the PTE of a notifier being removed.
     * (Before the read_begin step waited once for "gone, or inserted and the lock free", a reader
     * that had checked "gone" and then blocked on the lock went on to read_pte after the unbind:
     * refine dynamic --graph found it at path 66.)
     */
    @Test
    void aFaultPathBlockedOnTheSubscriptionsLockStopsWhenItsUserptrIsUnboundMeanwhile() throws InterruptedException {
        Map<String, DriverKind> gpus = MachineConfig.all(DriverKind.XE, "g1", "g2");
        MachineConfig c = new MachineConfig("gone-while-blocked", KernelConfig.merged(), gpus, List.of(1L, 2L),
                List.of(new NotifierSpec("n1", "g2", 2, 2, true, false), new NotifierSpec("d1", "g1", 1, 1, true, true)),
                List.of(new InvalidatorSpec("i1", true, false, List.of(Set.of(2L)), 1)),   // page 2: n1 on g2, not d1
                List.of(new ReaderSpec("r1", "d1", 1, 1)));
        start(c);
        step("d1", "unbind");              // idle insert: d1 in the tree, its userptr bound
        // i1 invalidates n1 (callbacks, g2's TLB invalidation) up to the drain of mn_itree_inv_end,
        // which keeps subscriptions->lock across the step
        for (int k = 0; k < 40 && !at("i1", "range_end_drain"); k++) {
            if (s.step("i1").where() == Where.BLOCKED) s.step("g2");
        }
        assertTrue(at("i1", "range_end_drain"), "i1 reached the drain: " + s.position("i1"));
        assertEquals(List.of(), checker.check(s.positions()));
        step("r1", "blocked");             // read_begin: the userptr is bound, but the lock is held
        step("d1", "unbind_wait");         // the driver's unbind: the userptr is gone (under its notifier lock)
        step("i1", "exited");              // the drain unlocks subscriptions->lock
        step("r1", "exited");              // the fault path sees its userptr gone and stops: no read_pte
        assertTrue(m.vms().get("g1").readSectionOf(m.thread("r1")).isEmpty(), "r1 never began a read section");
    }

    @Test
    void anInsertAndARemoveDuringAnInvalidationAreDeferredToTheLastEnd() throws InterruptedException {
        start(oneNotifier(KernelConfig.merged(), false, true, List.of(blockable("i1"))));
        step("i1", "inv_cb_start");        // seq odd: the tree is frozen
        step("d1", "unbind");              // insert: deferred, not in the tree yet
        assertEquals(List.of("d1"), names(m.mm().subscriptions().deferred()));
        assertEquals(List.of("n1"), names(m.mm().subscriptions().treeNotifiers()));
        step("d1", "unbind_wait");         // the driver's unbind: under the user lock, zap and submit the TLB invalidation
        step("d1", "blocked");             // it waits for that fence with the lock held
        step("g1", "gpu_tlb_inval_done");
        step("d1", "remove");              // signalled: unlock
        step("d1", "exited");              // remove of a pending add: off the deferred list, no wait
        assertTrue(m.mm().subscriptions().deferred().isEmpty());
        step("i1", "inv_cb_zap");
        step("i1", "inv_finish_pass");
        step("i1", "inv_fin_lock");
        step("i1", "inv_fin_wait");
        step("g1", "gpu_tlb_inval_done");
        step("i1", "mm_change_pte");
        step("i1", "range_end");
        step("i1", "range_end_drain");
        step("i1", "exited");
        assertEquals(List.of("n1"), names(m.mm().subscriptions().treeNotifiers()));
    }

    @Test
    void aRemoveOfANotifierInTheFrozenTreeWaitsForTheDrain() throws InterruptedException {
        start(oneNotifier(KernelConfig.merged(), false, true, List.of(blockable("i1"))));
        step("d1", "unbind");              // idle insert: straight into the tree
        step("i1", "inv_cb_start");        // seq odd: the tree is frozen
        step("d1", "unbind_wait");         // the driver's unbind, under the user lock
        step("g1", "gpu_tlb_inval_done");  // the unbind's TLB invalidation
        step("d1", "remove");              // unlock
        step("d1", "remove_wait");         // remove defers and must wait for the seq to move
        assertEquals(List.of("d1"), names(m.mm().subscriptions().deferred()));
        step("d1", "remove_wait");         // not moved: asleep on subscriptions->wq
        assertEquals(List.of(m.thread("d1")), m.mm().subscriptions().waitQueue().sleeperThreads());
        step("d1", "blocked");             // asleep: nobody has woken it
        step("i1", "inv_cb_zap");
        step("i1", "inv_cb_start");        // n1's start handed out its finish; the walk goes on to d1, still in the tree
        step("i1", "inv_cb_zap");
        step("i1", "inv_finish_pass");     // both starts done: now the finishes, in the order they were handed out
        step("i1", "inv_fin_lock");        // n1's finish
        step("i1", "inv_fin_wait");
        step("i1", "blocked");             // the TLB invalidation is still running
        step("g1", "gpu_tlb_inval_done");
        step("i1", "inv_fin_lock");        // d1's finish
        step("i1", "inv_fin_wait");
        step("i1", "blocked");             // d1's own TLB invalidation is still pending: n1's did not cover it
        step("g1", "gpu_tlb_inval_done");
        step("i1", "mm_change_pte");
        step("i1", "range_end");
        step("i1", "range_end_drain");     // seq even, lock held across the drain
        step("d1", "blocked");             // still asleep: the wake-up comes after the drain's unlock
        step("i1", "exited");              // drained: d1 leaves the tree; wake_up_all
        step("d1", "exited");
        assertEquals(List.of("n1"), names(m.mm().subscriptions().treeNotifiers()));
    }

    @Test
    void aSecondInvalidationOfTheSameNotifierFallsBackToWaitingInlineWhileTheFinishIsInUse() throws InterruptedException {
        start(oneNotifier(KernelConfig.merged(), false, false, List.of(blockable("i1"), blockable("i2"))));
        step("i1", "inv_cb_start");
        step("i1", "inv_cb_zap");
        step("i1", "inv_finish_pass");     // the embedded finish is i1's now (finish_inuse)
        step("i2", "inv_cb_start");
        step("i2", "inv_cb_zap");
        step("i2", "inv_cb_wait");         // finish in use: wait inline
        assertEquals(1, m.vms().get("g1").stats().finishFallbacks());
        step("i2", "blocked");
        step("g1", "gpu_tlb_inval_done");  // the GPU completes the oldest fence, i1's
        step("i2", "blocked");             // i2 waits for its own fence, not i1's
        step("g1", "gpu_tlb_inval_done");
        step("i2", "mm_change_pte");       // i2 waited inline, unlocked, no finish
        step("i1", "inv_fin_lock");
        step("i1", "inv_fin_wait");
        step("i1", "mm_change_pte");
        step("i2", "range_end");
        step("i2", "exited");              // not the last range: no seq bump
        step("i1", "range_end");
        step("i1", "range_end_drain");
        step("i1", "exited");
        assertTrue(!m.userptrs().get("n1").finishInuse());
    }

    @Test
    void aNonBlockingInvalidationOfTheXeDriverIsRefusedWithEagainAndChangesNothing() throws InterruptedException {
        InvalidatorSpec reaper = new InvalidatorSpec("oom", false, false, List.of(Set.of(1L)), 1);
        start(oneNotifier(KernelConfig.merged(), false, false, List.of(reaper)));
        step("oom", "inv_cb_start");
        step("oom", "inv_end");            // xe: !blockable -> return false; -EAGAIN; empty finish pass
        assertTrue(m.mm().invalidationOf(m.thread("oom")).orElseThrow().eagain());
        step("oom", "inv_end_drain");      // the internal mn_itree_inv_end
        step("oom", "exited");             // the caller changes no PTE and does not call range_end
        assertEquals(1, m.mm().ptes().pte(1));
        assertEquals(0, m.mm().subscriptions().activeInvalidateRanges());
    }

    private static List<String> names(List<dev.mmucheck.kernel.MmuIntervalNotifier> ns) {
        return ns.stream().map(dev.mmucheck.kernel.MmuIntervalNotifier::name).toList();
    }
}
