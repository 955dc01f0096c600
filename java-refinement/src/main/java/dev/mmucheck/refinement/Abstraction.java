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
import dev.mmucheck.scheduling.SpecVar;
import dev.mmucheck.scheduling.LockstepScheduler.Where;
import dev.mmucheck.tlc.TlaValue;

/**
 * The abstraction function: the Java machine's state, read while every thread is parked, as the
 * values of the spec's variables (specs/CONTRACT.md, "Variables"), one at a time ({@link SpecVar}:
 * the refinement recomputes only those the machine marked changed) or all. {@code step} is not
 * included: the harness drives the Java code by it.
 */
public final class Abstraction {
    private Abstraction() {}

    private static final TlaValue NO_PROC = new TlaValue.ModelValue("NoProc");
    private static final TlaValue NO_NOTIFIER = new TlaValue.ModelValue("NoNotifier");

    /** Every variable, in the abstraction's order ({@link SpecVar}), by its spec name. */
    public static Map<String, TlaValue> of(Machine m, Map<String, Position> pos) {
        Map<String, TlaValue> s = new LinkedHashMap<>();
        for (SpecVar v : SpecVar.values()) s.put(v.specName(), of(v, m, pos));
        return s;
    }

    /** The value of one spec variable in the Java state. */
    public static TlaValue of(SpecVar v, Machine m, Map<String, Position> pos) {
        MachineConfig c = m.config();
        MmuNotifierSubscriptions subs = m.mm().subscriptions();
        return switch (v) {
            case SEQ -> num(subs.invalidateSeq());
            case ACTIVE -> num(subs.activeInvalidateRanges());
            case TREE -> set(subs.treeNotifiers().stream().map(n -> (TlaValue) mv(n.name())).toList());
            case DEFERRED -> set(subs.deferred().stream().map(n -> (TlaValue) mv(n.name())).toList());
            case SLOCK -> proc(m, subs.lockOwner());
            case WQ -> set(subs.waitQueue().sleeperThreads().stream().map(t -> proc(m, t)).toList());
            case ISEQ -> {
                SeqArithmetic seqm = new SeqArithmetic(c.kernel().seqModulus());
                long initialIseq = seqm.dec(seqm.initial());   // Init: every notifier inserted while idle
                yield fn(c.notifiers(), n -> mv(n.name()), n -> {
                    Userptr u = m.userptrs().get(n.name());
                    return num(u == null || u.notifier() == null ? initialIseq : u.notifier().invalidateSeq());
                });
            }
            case PC -> {
                List<String> procs = new ArrayList<>();
                c.invalidators().forEach(i -> procs.add(i.name()));
                c.readers().forEach(r -> procs.add(r.name()));
                c.notifiers().stream().filter(MachineConfig.NotifierSpec::dynamic).forEach(n -> procs.add(n.name()));
                yield fn(procs, p -> mv(p), p -> new TlaValue.Str(pc(c, p, pos.get(p))));
            }
            case IRANGE -> perInvalidation(m, v2 -> pages(c, v2), set(List.of()));
            case CUR -> perInvalidation(m, v2 -> num(v2.curSeq()), num(0L));
            case CURSOR -> perInvalidation(m, v2 -> v2.cursor() == null ? NO_NOTIFIER : mv(v2.cursor().name()), NO_NOTIFIER);
            case TORN -> perInvalidation(m, v2 -> new TlaValue.Bool(v2.torn()), new TlaValue.Bool(false));
            case ERR -> perInvalidation(m, v2 -> new TlaValue.Bool(v2.eagain()), new TlaValue.Bool(false));
            case FLIST -> perInvalidation(m, v2 -> new TlaValue.SeqV(v2.finishList().stream().map(n -> (TlaValue) mv(n.name())).toList()),
                    new TlaValue.SeqV(List.of()));
            case NINV -> fn(c.invalidators(), i -> mv(i.name()), i -> num(m.completedBy(i.name())));
            case PTE -> new TlaValue.SeqV(c.pages().stream().map(p -> num(m.mm().ptes().pte(p))).toList());
            case ULOCK -> fn(c.gpus(), g -> mv(g), g -> proc(m, m.vms().get(g).notifierLockOwner()));
            case RLOCK -> fn(c.gpus(), g -> mv(g), g -> set(m.vms().get(g).notifierLockReaders().stream().map(t -> proc(m, t)).toList()));
            case FINUSE -> fn(c.notifiers(), n -> mv(n.name()), n -> {
                Userptr u = m.userptrs().get(n.name());
                return new TlaValue.Bool(u != null && u.finishInuse());
            });
            case TLBSUB -> fn(c.notifiers(), n -> mv(n.name()), n -> {
                Userptr u = m.userptrs().get(n.name());
                return u == null || u.tlbInvalSubmitted() == null ? NO_PROC : proc(m, u.tlbInvalSubmitted());
            });
            case DPTE -> fn(c.gpus(), g -> mv(g), g -> row(c, m.gpus().get(g), true));
            case TLB -> fn(c.gpus(), g -> mv(g), g -> row(c, m.gpus().get(g), false));
            case IOMMU -> fn(c.gpus(), g -> mv(g), g -> new TlaValue.SeqV(c.pages().stream().map(p -> num(m.gpus().get(g).iommuEntry(p))).toList()));
            case FENCES -> fn(c.gpus(), g -> mv(g), g -> set(m.gpus().get(g).pendingFences().stream().map(f -> fence(m, f)).toList()));
            case RSEQ -> fn(c.readers(), r -> mv(r.name()), r -> num(subs.readBeginSample(m.thread(r.name())).orElse(0L)));
            case RVAL -> fn(c.readers(), r -> mv(r.name()), r -> num(readSection(m, r).map(GpuVm.ReadSection::pteRead).orElse(0L)));
            case NREADS -> fn(c.readers(), r -> mv(r.name()), r -> num(m.completedBy(r.name())));
            case RMSEQ -> fn(c.notifiers().stream().filter(MachineConfig.NotifierSpec::dynamic).toList(), n -> mv(n.name()),
                    n -> num(m.mm().removeWaitOf(m.thread(n.name())).orElse(0L)));
            case WARN -> set(m.mm().warnings().fired().keySet().stream().map(w -> (TlaValue) new TlaValue.Str(w)).toList());
        };
    }

    /** A function over the invalidators of the value {@code f} reads from each one's running call, {@code idle} if it has none. */
    private static TlaValue perInvalidation(Machine m, Function<InvalidationView, TlaValue> f, TlaValue idle) {
        return fn(m.config().invalidators(), i -> mv(i.name()), i -> m.mm().invalidationOf(m.thread(i.name())).map(f).orElse(idle));
    }

    private static Optional<GpuVm.ReadSection> readSection(Machine m, MachineConfig.ReaderSpec r) {
        return m.userptrs().get(r.notifier()).vm().readSectionOf(m.thread(r.name()));
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
