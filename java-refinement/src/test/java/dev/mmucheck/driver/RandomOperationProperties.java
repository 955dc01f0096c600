package dev.mmucheck.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.mmucheck.kernel.Errno;
import dev.mmucheck.kernel.KernelConfig;
import dev.mmucheck.kernel.Mm;
import dev.mmucheck.kernel.MmuNotifierRange;
import dev.mmucheck.kernel.ProtocolObserver;
import dev.mmucheck.scheduling.Sched;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * jqwik over operation sequences, one thread: inserts, removes, blockable and non-blocking PTE
 * changes, faults and exit_mmap's release on two GPUs. After every operation the machine is idle,
 * so the invariants of the idle state must hold: no active range, an even seq, every notifier's seq
 * odd, the tree holding exactly the notifiers inserted and not removed, no device PTE or TLB entry
 * older than the CPU PTE, and a fault installing the current PTE.
 */
class RandomOperationProperties {
    enum Kind { INSERT, REMOVE, CHANGE, CHANGE_NONBLOCK, FAULT, RELEASE }

    record Op(Kind kind, int a, int b) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 7)).as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 400)
    void theIdleInvariantsHoldAfterEveryOperation(@ForAll("ops") List<Op> ops) {
        Sched sched = new Sched();
        Mm mm = new Mm(KernelConfig.merged().withSeqModulus(16), sched, ProtocolObserver.NONE);
        GpuDevice g1 = new GpuDevice("g1", sched, ProtocolObserver.NONE), g2 = new GpuDevice("g2", sched, ProtocolObserver.NONE);
        List<GpuVm> vms = List.of(new GpuVm("vm1", mm, g1, DriverKind.XE), new GpuVm("vm2", mm, g2, DriverKind.TRYLOCK));
        Thread gpu1 = new Thread(g1::serve), gpu2 = new Thread(g2::serve);
        gpu1.start();
        gpu2.start();
        try {
            Map<String, Userptr> live = new TreeMap<>();
            int made = 0;
            for (Op op : ops) {
                switch (op.kind()) {
                    case INSERT -> {
                        GpuVm vm = vms.get(op.a() % 2);
                        int first = Math.min(op.a(), op.b()), last = Math.max(op.a(), op.b());
                        Userptr u = vm.userptrSetup("u" + made++, first, last, op.b() % 3 != 0);
                        live.put(u.name(), u);
                    }
                    case REMOVE -> {
                        if (live.isEmpty()) continue;
                        Userptr u = new ArrayList<>(live.values()).get(op.a() % live.size());
                        u.vm().userptrRemove(u);
                        live.remove(u.name());
                    }
                    case CHANGE, CHANGE_NONBLOCK -> {
                        boolean blk = op.kind() == Kind.CHANGE;
                        long before = mm.ptes().pte(op.a());
                        int err = mm.changePtes(MmuNotifierRange.ofPages(Math.min(op.a(), op.b()), Math.max(op.a(), op.b()), blk));
                        assertTrue(err == 0 || (!blk && err == Errno.EAGAIN), "blockable changes always succeed");
                        assertEquals(err == 0 ? before + 1 : before, mm.ptes().pte(op.a()), "the PTE changed iff range_start returned 0");
                    }
                    case FAULT -> {
                        if (live.isEmpty()) continue;
                        Userptr u = new ArrayList<>(live.values()).get(op.a() % live.size());
                        long page = u.firstPage() + op.b() % (u.lastPage() - u.firstPage() + 1);
                        assertEquals(mm.ptes().pte(page), u.vm().fault(u, page), "a fault installs the current PTE");
                    }
                    case RELEASE -> mm.mmuNotifierRelease();
                }
                assertEquals(0, mm.subscriptions().activeInvalidateRanges());
                assertEquals(0, mm.subscriptions().invalidateSeq() % 2, "idle: the seq is even");
                assertTrue(mm.subscriptions().deferred().isEmpty());
                assertEquals(live.keySet(), new java.util.TreeSet<>(mm.subscriptions().treeNotifiers().stream().map(n -> n.name()).toList()));
                for (Userptr u : live.values()) {
                    assertEquals(1, u.notifier().invalidateSeq() % 2, u.name() + "'s seq is odd");
                    assertTrue(!u.finishInuse(), "no finish left in use when idle");
                }
                for (GpuDevice g : List.of(g1, g2)) {
                    for (long p = 0; p < 8; p++) {
                        long d = g.devicePte(p), pte = mm.ptes().pte(p);
                        assertTrue(d == 0 || d == pte, g.name() + " page " + p + ": device PTE " + d + ", CPU PTE " + pte);
                    }
                }
            }
        } finally {
            g1.stop();
            g2.stop();
        }
    }
}
