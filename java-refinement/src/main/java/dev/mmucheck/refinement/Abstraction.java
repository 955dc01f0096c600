package dev.mmucheck.refinement;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.mmucheck.driver.GpuDevice;
import dev.mmucheck.driver.GpuVm;
import dev.mmucheck.driver.Userptr;
import dev.mmucheck.kernel.InvalidationView;
import dev.mmucheck.kernel.KernelOops;
import dev.mmucheck.kernel.MmuNotifierSubscriptions;
import dev.mmucheck.kernel.SeqArithmetic;
import dev.mmucheck.machine.Machine;
import dev.mmucheck.machine.MachineConfig;
import dev.mmucheck.scheduling.LockstepScheduler.Position;
import dev.mmucheck.scheduling.LockstepScheduler.Where;
import dev.mmucheck.tlc.TlaValue;

/**
 * The abstraction function: the Java machine's state, read while every thread is parked, as the
 * values of the spec's variables (specs/CONTRACT.md, "Variables"). {@code step} is not included:
 * the harness drives the Java code by it.
 */
public final class Abstraction {
    private Abstraction() {}

    private static final TlaValue NO_PROC = new TlaValue.ModelValue("NoProc");
    private static final TlaValue NO_NOTIFIER = new TlaValue.ModelValue("NoNotifier");

    public static Map<String, TlaValue> of(Machine m, Map<String, Position> pos) {
        MachineConfig c = m.config();
        MmuNotifierSubscriptions subs = m.mm().subscriptions();
        Map<String, TlaValue> s = new LinkedHashMap<>();
        s.put("seq", num(subs.invalidateSeq()));
        s.put("active", num(subs.activeInvalidateRanges()));
        s.put("tree", set(subs.treeNotifiers().stream().map(n -> (TlaValue) mv(n.name())).toList()));
        s.put("deferred", set(subs.deferred().stream().map(n -> (TlaValue) mv(n.name())).toList()));
        s.put("slock", proc(m, subs.lockOwner()));
        s.put("wq", set(subs.waitQueue().sleeperThreads().stream().map(t -> proc(m, t)).toList()));
        SeqArithmetic seqm = new SeqArithmetic(c.kernel().seqModulus());
        long initialIseq = seqm.dec(seqm.initial());   // Init: every notifier inserted while idle
        s.put("iseq", fn(c.notifiers(), n -> mv(n.name()), n -> {
            Userptr u = m.userptrs().get(n.name());
            return num(u == null || u.notifier() == null ? initialIseq : u.notifier().invalidateSeq());
        }));
        List<String> procs = new ArrayList<>();
        c.invalidators().forEach(i -> procs.add(i.name()));
        c.readers().forEach(r -> procs.add(r.name()));
        c.notifiers().stream().filter(MachineConfig.NotifierSpec::dynamic).forEach(n -> procs.add(n.name()));
        s.put("pc", fn(procs, p -> mv(p), p -> new TlaValue.Str(pc(c, p, pos.get(p)))));

        Map<MachineConfig.InvalidatorSpec, Optional<InvalidationView>> views = new java.util.HashMap<>();
        for (MachineConfig.InvalidatorSpec i : c.invalidators()) views.put(i, m.mm().invalidationOf(m.thread(i.name())));
        Function<MachineConfig.InvalidatorSpec, Optional<InvalidationView>> inv = views::get;
        s.put("irange", fn(c.invalidators(), i -> mv(i.name()), i -> inv.apply(i).map(v -> pages(c, v)).orElse(set(List.of()))));
        s.put("cur", fn(c.invalidators(), i -> mv(i.name()), i -> num(inv.apply(i).map(InvalidationView::curSeq).orElse(0L))));
        s.put("cursor", fn(c.invalidators(), i -> mv(i.name()), i -> inv.apply(i).map(InvalidationView::cursor)
                .map(n -> (TlaValue) mv(n.name())).orElse(NO_NOTIFIER)));
        s.put("torn", fn(c.invalidators(), i -> mv(i.name()), i -> new TlaValue.Bool(inv.apply(i).map(InvalidationView::torn).orElse(false))));
        s.put("err", fn(c.invalidators(), i -> mv(i.name()), i -> new TlaValue.Bool(inv.apply(i).map(InvalidationView::eagain).orElse(false))));
        s.put("flist", fn(c.invalidators(), i -> mv(i.name()), i -> new TlaValue.SeqV(inv.apply(i).map(InvalidationView::finishList)
                .orElse(List.of()).stream().map(n -> (TlaValue) mv(n.name())).toList())));
        s.put("ninv", fn(c.invalidators(), i -> mv(i.name()), i -> num(m.completedBy(i.name()))));
        s.put("pte", new TlaValue.SeqV(c.pages().stream().map(p -> num(m.mm().ptes().pte(p))).toList()));
        s.put("ulock", fn(c.gpus(), g -> mv(g), g -> proc(m, m.vms().get(g).notifierLockOwner())));
        s.put("rlock", fn(c.gpus(), g -> mv(g), g -> set(m.vms().get(g).notifierLockReaders().stream().map(t -> proc(m, t)).toList())));
        s.put("finuse", fn(c.notifiers(), n -> mv(n.name()), n -> {
            Userptr u = m.userptrs().get(n.name());
            return new TlaValue.Bool(u != null && u.finishInuse());
        }));
        s.put("tlbsub", fn(c.notifiers(), n -> mv(n.name()), n -> {
            Userptr u = m.userptrs().get(n.name());
            return u == null || u.tlbInvalSubmitted() == null ? NO_PROC : proc(m, u.tlbInvalSubmitted());
        }));
        s.put("dpte", fn(c.gpus(), g -> mv(g), g -> row(c, m.gpus().get(g), true)));
        s.put("tlb", fn(c.gpus(), g -> mv(g), g -> row(c, m.gpus().get(g), false)));
        s.put("iommu", fn(c.gpus(), g -> mv(g), g -> new TlaValue.SeqV(c.pages().stream().map(p -> num(m.gpus().get(g).iommuEntry(p))).toList())));
        s.put("fences", fn(c.gpus(), g -> mv(g), g -> set(m.gpus().get(g).pendingFences().stream().map(f -> fence(m, f)).toList())));
        Function<MachineConfig.ReaderSpec, Optional<GpuVm.ReadSection>> rs = r -> {
            Userptr u = m.userptrs().get(r.notifier());
            return u.vm().readSectionOf(m.thread(r.name()));
        };
        s.put("rseq", fn(c.readers(), r -> mv(r.name()), r -> num(subs.readBeginSample(m.thread(r.name())).orElse(0L))));
        s.put("rval", fn(c.readers(), r -> mv(r.name()), r -> num(rs.apply(r).map(GpuVm.ReadSection::pteRead).orElse(0L))));
        s.put("nreads", fn(c.readers(), r -> mv(r.name()), r -> num(m.completedBy(r.name()))));
        s.put("rmseq", fn(c.notifiers().stream().filter(MachineConfig.NotifierSpec::dynamic).toList(), n -> mv(n.name()),
                n -> num(m.mm().removeWaitOf(m.thread(n.name())).orElse(0L))));
        s.put("warn", set(m.mm().warnings().fired().keySet().stream().map(w -> (TlaValue) new TlaValue.Str(w)).toList()));
        return s;
    }

    private static String pc(MachineConfig c, String p, Position pos) {
        if (pos.where() == Where.EXITED) {
            if (pos.failure() instanceof KernelOops) return "oops";
            if (pos.failure() != null) return "died: " + pos.failure();
            boolean dynamic = c.notifiers().stream().anyMatch(n -> n.dynamic() && n.name().equals(p));
            return dynamic ? "removed" : "done";
        }
        return pos.label() == null ? String.valueOf(pos.where()) : pos.label().contractName();
    }

    private static TlaValue pages(MachineConfig c, InvalidationView v) {
        long first = v.range().firstPage(), last = v.range().lastPage();
        return set(c.pages().stream().filter(p -> Long.compareUnsigned(p, first) >= 0 && Long.compareUnsigned(p, last) <= 0)
                .map(p -> (TlaValue) num(p)).toList());
    }

    private static TlaValue row(MachineConfig c, GpuDevice g, boolean pte) {
        return new TlaValue.SeqV(c.pages().stream().map(p -> num(pte ? g.devicePte(p) : g.tlbEntry(p))).toList());
    }

    /** a pending TLB invalidation as the spec's record [n |-> notifier, by |-> invalidator] */
    private static TlaValue fence(Machine m, GpuDevice.TlbInvalFence f) {
        Map<String, TlaValue> r = new LinkedHashMap<>();
        r.put("n", mv(f.owner()));
        r.put("by", proc(m, f.submitter()));
        return new TlaValue.RecordV(r);
    }

    private static TlaValue proc(Machine m, Thread t) {
        String p = m.procOf(t);
        return p == null ? NO_PROC : mv(p);
    }

    private static <T> TlaValue fn(List<T> dom, Function<T, TlaValue> key, Function<T, TlaValue> val) {
        List<TlaValue.Pair> e = new ArrayList<>();
        for (T x : dom) e.add(new TlaValue.Pair(key.apply(x), val.apply(x)));
        return new TlaValue.FunctionV(e);
    }

    private static TlaValue set(List<TlaValue> e) { return new TlaValue.SetV(e); }

    private static TlaValue.ModelValue mv(String n) { return new TlaValue.ModelValue(n); }

    private static TlaValue num(long v) { return new TlaValue.Int(BigInteger.valueOf(v)); }

}
