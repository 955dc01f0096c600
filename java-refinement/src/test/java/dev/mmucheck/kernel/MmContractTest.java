package dev.mmucheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mmucheck.kernel.MmuIntervalNotifierOps.StartResult;

/** The API contracts of the kernel side: error codes and exceptions instead of crashes. */
class MmContractTest {
    private static final MmuIntervalNotifierOps OK = MmuIntervalNotifierOps.singlePass((s, r, q) -> { s.setSeq(q); return true; });

    @Test
    void insertOfAZeroOrOverflowingLengthReturnsEoverflow() {
        Mm mm = new Mm(KernelConfig.merged());
        MmuIntervalNotifier[] out = new MmuIntervalNotifier[1];
        assertEquals(Errno.EOVERFLOW, mm.mmuIntervalNotifierInsert("zero", 0x1000, 0, OK, out));
        assertEquals(Errno.EOVERFLOW, mm.mmuIntervalNotifierInsert("wraps", -4096L, 8192, OK, out));
        assertEquals(0, mm.mmuIntervalNotifierInsert("to-the-top", -4096L, 4096, OK, out), "[ULONG_MAX-4095, ULONG_MAX] fits");
        assertEquals(-1L, out[0].last());
        assertEquals(1, mm.subscriptions().treeNotifiers().size(), "the failed inserts left nothing behind");
    }

    @Test
    void invalidateStartWithoutInvalidateFinishIsRejectedAtInsert() {
        Mm mm = new Mm(KernelConfig.merged());
        MmuIntervalNotifierOps noFinish = new MmuIntervalNotifierOps(null, (s, r, q) -> StartResult.done(), null);
        assertEquals(Errno.EINVAL, mm.mmuIntervalNotifierInsert("half", 0x1000, 0x1000, noFinish, new MmuIntervalNotifier[1]));
        assertTrue(mm.subscriptions().treeNotifiers().isEmpty());
    }

    @Test
    void withM5TheKernelWarnsAndInsertsAnywayAndTheFinishPassOopses() {
        Mm mm = new Mm(KernelConfig.merged().with(Mutation.M5));
        MmuIntervalNotifierFinish f = new MmuIntervalNotifierFinish();
        MmuIntervalNotifierOps noFinish = new MmuIntervalNotifierOps(null, (s, r, q) -> { s.setSeq(q); return StartResult.finishLater(f); }, null);
        MmuIntervalNotifier n = mm.insert("half", 0x1000, 0x1000, noFinish);
        assertNotNull(n);
        assertTrue(mm.warnings().hasFired(Warnings.NO_FINISH));
        KernelOops oops = assertThrows(KernelOops.class, () -> mm.changePtes(MmuNotifierRange.ofPages(1, 1, true)));
        assertTrue(oops.getMessage().contains("NULL invalidate_finish"), oops.getMessage());
    }

    @Test
    void removeOfANotifierNeverInsertedIsRefused() {
        Mm mm = new Mm(KernelConfig.merged());
        Mm other = new Mm(KernelConfig.merged());
        MmuIntervalNotifier n = other.insert("elsewhere", 0x1000, 0x1000, OK);
        assertThrows(IllegalStateException.class, () -> mm.mmuIntervalNotifierRemove(n));
        other.mmuIntervalNotifierRemove(n);
        assertThrows(IllegalStateException.class, () -> other.mmuIntervalNotifierRemove(n), "a second remove");
    }

    @Test
    void rangeEndAfterEagainIsRefusedAndChangesNothing() {
        Mm mm = new Mm(KernelConfig.merged());
        mm.insert("refuses", 0x1000, 0x1000, MmuIntervalNotifierOps.singlePass((s, r, q) -> r.isBlockable()));
        MmuNotifierRange r = MmuNotifierRange.ofPages(1, 1, false);
        assertEquals(Errno.EAGAIN, mm.mmuNotifierInvalidateRangeStart(r));
        long seq = mm.subscriptions().invalidateSeq();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> mm.mmuNotifierInvalidateRangeEnd(r));
        assertTrue(e.getMessage().contains("-EAGAIN"), e.getMessage());
        assertEquals(0, mm.subscriptions().activeInvalidateRanges());
        assertEquals(seq, mm.subscriptions().invalidateSeq());
        assertTrue(seq % 2 == 0, "the internal mn_itree_inv_end made the seq even again");
    }

    @Test
    void aBlockableCallbackReturningFalseIsWarnedAndTheWalkGoesOn() {
        Mm mm = new Mm(KernelConfig.merged());
        List<String> called = new ArrayList<>();
        mm.insert("bad", 0x1000, 0x1000, MmuIntervalNotifierOps.singlePass((s, r, q) -> { called.add("bad"); return false; }));
        mm.insert("good", 0x1000, 0x1000, MmuIntervalNotifierOps.singlePass((s, r, q) -> { called.add("good"); return true; }));
        assertEquals(0, mm.changePtes(MmuNotifierRange.ofPages(1, 1, true)));
        assertEquals(List.of("bad", "good"), called);
        assertEquals(1L, mm.warnings().fired().get(Warnings.BLOCKABLE_FALSE));
        assertEquals(2L, mm.ptes().pte(1), "the PTE changed");
    }

    @Test
    void anEmptyRangeCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> new MmuNotifierRange(0x2000, 0x2000, true, MmuNotifierRange.Event.UNMAP));
        assertThrows(IllegalArgumentException.class, () -> new MmuNotifierRange(0x2000, 0x1000, true, MmuNotifierRange.Event.UNMAP));
    }

    @Test
    void seqWrapsAtTheConfiguredModulusAndStaysOddWhileInvalidating() {
        Mm mm = new Mm(KernelConfig.merged().withSeqModulus(4));
        MmuIntervalNotifier n = mm.insert("n", 0x1000, 0x1000, OK);
        assertEquals(1, n.invalidateSeq(), "idle insert: seq - 1 = 2 - 1");
        mm.changePtes(MmuNotifierRange.ofPages(1, 1, true));   // 2 -> 3 -> 0
        assertEquals(0, mm.subscriptions().invalidateSeq());
        assertEquals(3, n.invalidateSeq());
        mm.changePtes(MmuNotifierRange.ofPages(1, 1, true));   // 0 -> 1 -> 2
        assertEquals(2, mm.subscriptions().invalidateSeq());
        assertEquals(1, n.invalidateSeq());
        assertThrows(IllegalArgumentException.class, () -> KernelConfig.merged().withSeqModulus(5));
    }

    @Test
    void finishesRunInTheOrderTheirStartsHandedThemOut() {
        Mm mm = new Mm(KernelConfig.merged());
        List<String> order = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            MmuIntervalNotifierFinish f = new MmuIntervalNotifierFinish();
            mm.insert(name, 0x1000, 0x1000, MmuIntervalNotifierOps.twoPass(null,
                    (s, r, q) -> { s.setSeq(q); order.add("start " + name); return StartResult.finishLater(f); },
                    fin -> order.add("finish " + fin.notifier().name())));
        }
        mm.changePtes(MmuNotifierRange.ofPages(1, 1, true));
        assertEquals(List.of("start a", "start b", "start c", "finish a", "finish b", "finish c"), order);
    }

    @Test
    void eagainStillRunsTheFinishesOfTheStartsThatSucceeded() {
        Mm mm = new Mm(KernelConfig.merged());
        List<String> order = new ArrayList<>();
        MmuIntervalNotifierFinish f = new MmuIntervalNotifierFinish();
        mm.insert("two-pass", 0x1000, 0x1000, MmuIntervalNotifierOps.twoPass(null,
                (s, r, q) -> { s.setSeq(q); order.add("start"); return StartResult.finishLater(f); }, fin -> order.add("finish")));
        mm.insert("refuses", 0x1000, 0x1000, MmuIntervalNotifierOps.singlePass((s, r, q) -> { order.add("refuse"); return false; }));
        mm.insert("never-called", 0x1000, 0x1000, MmuIntervalNotifierOps.singlePass((s, r, q) -> { order.add("called!"); return true; }));
        assertEquals(Errno.EAGAIN, mm.changePtes(MmuNotifierRange.ofPages(1, 1, false)));
        assertEquals(List.of("start", "refuse", "finish"), order);
        assertEquals(1L, mm.ptes().pte(1), "no PTE changed on -EAGAIN");
        assertEquals(0, mm.subscriptions().activeInvalidateRanges());
    }
}
