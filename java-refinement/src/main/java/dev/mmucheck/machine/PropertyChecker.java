package dev.mmucheck.machine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mmucheck.driver.GpuDevice;
import dev.mmucheck.driver.Userptr;
import dev.mmucheck.kernel.KernelOops;
import dev.mmucheck.kernel.InvalidationView;
import dev.mmucheck.kernel.MmuIntervalNotifier;
import dev.mmucheck.kernel.MmuNotifierSubscriptions;
import dev.mmucheck.kernel.SeqArithmetic;
import dev.mmucheck.scheduling.Label;
import dev.mmucheck.scheduling.LockstepScheduler.Position;
import dev.mmucheck.scheduling.LockstepScheduler.Where;

/**
 * The properties of specs/MmuProperties.tla, evaluated on a {@link Machine} between steps (all
 * its threads parked) and, for what happens inside a step, from the events the code reports.
 * Same names as the spec. It reads the state and the events, never the mutation switches.
 */
public final class PropertyChecker extends EventChecks {
    private Machine machine;
    private Set<String> prevTree;
    private long prevSeq;

    /**
     * The safety properties this checker evaluates (between steps, or from the events inside one),
     * by the spec's names; a property not listed here is never reported by {@link #check}.
     */
    public static final Set<String> EVALUATED = Set.of("NoStaleDeviceAccess", "NoSleepInNonBlockable", "ActiveCountsRanges",
            "OddSeqHasWriter", "NotifierSeqOdd", "FinishBeforeReturn", "NoNullFinishCall", "FinishSlotIntegrity", "RemovedIsQuiet",
            "NoTranslationAfterRemove", "TreeFrozenWhileInvalidating", "FinishSlotsFreed", "FinishSlotUnderUserLock", "EagainContract");

    private static final Set<Label> OUT_OF_BRACKET = Set.of(Label.INV_START_RANGE, Label.INV_END_DRAIN, Label.RANGE_END_DRAIN);
    private static final Set<Label> SLEEP_POINTS = Set.of(Label.INV_CB_WAIT, Label.INV_FIN_LOCK, Label.INV_FIN_WAIT, Label.INV_FIN_SYNC);
    private static final Set<Label> FINISHED_BEFORE = Set.of(Label.MM_CHANGE_PTE, Label.INV_END, Label.RANGE_END,
            Label.INV_END_DRAIN, Label.RANGE_END_DRAIN);

    public void attach(Machine m) {
        this.machine = m;
        this.prevTree = treeNames();
        this.prevSeq = m.mm().subscriptions().invalidateSeq();
    }

    @Override
    protected boolean removed(MmuIntervalNotifier sub) {
        return machine != null && machine.removed().contains(sub.name());
    }

    // --- state ---

    /** Every property broken now (events since the last call, then the state). */
    public List<Violation> check(Map<String, Position> positions) {
        List<Violation> out = drain();
        MmuNotifierSubscriptions subs = machine.mm().subscriptions();
        long seq = subs.invalidateSeq();
        long active = subs.activeInvalidateRanges();

        for (GpuDevice g : machine.gpus().values()) {
            for (long p : machine.config().pages()) {
                long pte = machine.mm().ptes().pte(p);
                long d = g.devicePte(p), t = g.tlbEntry(p);
                if ((d != 0 && d != pte) || (t != 0 && t != pte)) {
                    out.add(new Violation("NoStaleDeviceAccess", String.format(
                            "%s page %d: device PTE from version %d, TLB entry from version %d, but the CPU PTE is version %d",
                            g.name(), p, d, t, pte)));
                }
            }
        }

        for (GpuDevice g : machine.gpus().values()) {
            for (long p : machine.config().pages()) {
                long pte = machine.mm().ptes().pte(p), io = g.iommuEntry(p);
                if (io != 0 && io != pte) {
                    out.add(new Violation("NoDmaToStalePage", String.format(
                            "%s page %d: the IOMMU maps the page of CPU PTE version %d, but the CPU PTE is version %d", g.name(), p, io, pte)));
                }
            }
        }

        // xe's xe_assert()s: each XeAssert_* says its site never fired
        Map<String, Long> fired = machine.mm().warnings().fired();
        for (String[] a : new String[][] {
                {"XeAssert_DeferredInval", dev.mmucheck.kernel.Warnings.XE_DEFERRED_INVAL},
                {"XeAssert_SubmitFree", dev.mmucheck.kernel.Warnings.XE_SUBMIT_FREE}}) {
            if (fired.containsKey(a[1])) out.add(new Violation(a[0], "xe_assert fired: " + a[1]));
        }

        for (MachineConfig.InvalidatorSpec i : machine.config().invalidators()) {
            Position pos = positions.get(i.name());
            if (!i.blockable() && !i.release() && pos.where() != Where.EXITED && SLEEP_POINTS.contains(pos.label())) {
                out.add(new Violation("NoSleepInNonBlockable", i.name() + " (non-blockable) is at " + pos.label() + ", which may sleep"));
            }
        }

        long inBracket = 0;
        for (String i : machine.invalidatorNames()) {
            Position pos = positions.get(i);
            boolean in = pos.where() == Where.EXITED ? pos.failure() != null : !OUT_OF_BRACKET.contains(pos.label());
            if (in) inBracket++;
        }
        if (active != inBracket) {
            out.add(new Violation("ActiveCountsRanges", "active_invalidate_ranges = " + active + " but " + inBracket
                    + " invalidations are between start and end"));
        }
        if (SeqArithmetic.odd(seq) && active <= 0) {
            out.add(new Violation("OddSeqHasWriter", "invalidate_seq = " + seq + " is odd with active_invalidate_ranges = " + active));
        }
        for (Userptr u : machine.userptrs().values()) {
            if (u.notifier() == null) continue;      // not inserted yet: the spec's Init value, odd
            if (!SeqArithmetic.odd(u.notifier().invalidateSeq())) {
                out.add(new Violation("NotifierSeqOdd", u.name() + "->invalidate_seq = " + u.notifier().invalidateSeq() + " is even"));
            }
        }

        Map<String, List<String>> holders = new java.util.HashMap<>();
        for (String i : machine.invalidatorNames()) {
            List<MmuIntervalNotifier> fl = machine.mm().invalidationOf(machine.thread(i)).map(v -> v.finishList()).orElse(List.of());
            for (MmuIntervalNotifier n : new HashSet<>(fl)) holders.computeIfAbsent(n.name(), k -> new ArrayList<>()).add(i);
            Position pos = positions.get(i);
            if (pos.where() != Where.EXITED && FINISHED_BEFORE.contains(pos.label()) && !fl.isEmpty()) {
                out.add(new Violation("FinishBeforeReturn", i + " reached " + pos.label() + " with finishes still queued for " + names(fl)));
            }
            if (pos.where() == Where.EXITED && pos.failure() instanceof KernelOops) {
                out.add(new Violation("NoNullFinishCall", i + " died: " + pos.failure().getMessage()));
            }
        }
        holders.forEach((n, hs) -> {
            Userptr u = machine.userptrs().get(n);
            if (hs.size() > 1) out.add(new Violation("FinishSlotIntegrity", "the finish of " + n + " is queued by " + hs + " at once"));
            else if (u != null && !u.finishInuse()) {
                out.add(new Violation("FinishSlotIntegrity", "the finish of " + n + " is queued by " + hs + " but finish_inuse is false"));
            }
        });

        Set<String> tree = treeNames();
        Set<String> deferred = new HashSet<>(names(subs.deferred()));
        Map<String, String> walkedBy = new java.util.HashMap<>();   // notifier -> the invalidation whose walk has it in hand
        for (String i : machine.invalidatorNames()) {
            machine.mm().invalidationOf(machine.thread(i)).map(InvalidationView::cursor).ifPresent(n -> walkedBy.putIfAbsent(n.name(), i));
        }
        for (String d : machine.removed()) {
            if (tree.contains(d) || deferred.contains(d) || holders.containsKey(d) || walkedBy.containsKey(d)) {
                out.add(new Violation("RemovedIsQuiet", "remove of " + d + " returned but it is still "
                        + (tree.contains(d) ? "in the interval tree" : deferred.contains(d) ? "on the deferred list"
                        : holders.containsKey(d) ? "on a finish list" : "in the hand of " + walkedBy.get(d) + "'s walk")));
            }
        }
        for (String d : machine.removed()) {
            MachineConfig.NotifierSpec n = machine.config().notifier(d);
            GpuDevice g = machine.gpus().get(n.gpu());
            for (long p = n.firstPage(); p <= n.lastPage(); p++) {
                if (!onlyMapper(n, p)) continue;
                if (g.devicePte(p) != 0 || g.tlbEntry(p) != 0) {
                    out.add(new Violation("NoTranslationAfterRemove", String.format(
                            "remove of %s returned but %s still holds page %d: device PTE from version %d, TLB entry from version %d",
                            d, g.name(), p, g.devicePte(p), g.tlbEntry(p))));
                }
            }
        }
        if (!tree.equals(prevTree) && SeqArithmetic.odd(prevSeq)) {
            out.add(new Violation("TreeFrozenWhileInvalidating", "the interval tree changed from " + prevTree + " to " + tree
                    + " while invalidate_seq was odd (" + prevSeq + ")"));
        }
        prevTree = tree;
        prevSeq = seq;

        if (everyProcessReturned(positions)) {
            for (Userptr u : machine.userptrs().values()) {
                if (u.finishInuse()) out.add(new Violation("FinishSlotsFreed", "every process has returned, but "
                        + u.name() + "'s finish_inuse is still set: nobody holds its finish, the slot is lost"));
            }
        }
        return out;
    }

    /** The spec's Finished: every process but the GPUs has returned (an oops is not a return). */
    private boolean everyProcessReturned(Map<String, Position> positions) {
        for (Position p : positions.values()) {
            if (machine.gpus().containsKey(p.proc())) continue;
            if (p.where() != Where.EXITED || p.failure() != null) return false;
        }
        return true;
    }

    /**
     * Liveness, for a run in which no process can move any more: every invalidation returns,
     * every reader installs, every remove returns.
     */
    public List<Violation> checkStuck(Map<String, Position> positions) {
        List<Violation> out = new ArrayList<>();
        MachineConfig c = machine.config();
        for (MachineConfig.InvalidatorSpec i : c.invalidators()) {
            Position p = positions.get(i.name());
            if (p.where() != Where.EXITED || p.failure() != null) out.add(new Violation("InvalidationsReturn", "stuck: " + p));
        }
        for (MachineConfig.ReaderSpec r : c.readers()) {
            Position p = positions.get(r.name());
            if (p.where() != Where.EXITED || p.failure() != null) out.add(new Violation("ReadersInstall", "stuck: " + p));
        }
        for (MachineConfig.NotifierSpec n : c.notifiers()) {
            if (!n.dynamic()) continue;
            Position p = positions.get(n.name());
            if (p.where() != Where.EXITED || p.failure() != null) out.add(new Violation("RemoveReturns", "stuck: " + p));
        }
        return out;
    }

    /** The spec's OnlyMapper: no other notifier of n's GPU covers page p. */
    private boolean onlyMapper(MachineConfig.NotifierSpec n, long p) {
        return machine.config().notifiers().stream().noneMatch(o -> !o.name().equals(n.name()) && o.gpu().equals(n.gpu())
                && p >= o.firstPage() && p <= o.lastPage());
    }

    private Set<String> treeNames() { return new HashSet<>(names(machine.mm().subscriptions().treeNotifiers())); }

    private static List<String> names(List<MmuIntervalNotifier> ns) {
        List<String> out = new ArrayList<>();
        ns.forEach(n -> out.add(n.name()));
        return out;
    }
}
