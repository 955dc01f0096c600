package dev.mmucheck.machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.mmucheck.driver.GpuDevice;
import dev.mmucheck.driver.GpuVm;
import dev.mmucheck.driver.Userptr;
import dev.mmucheck.kernel.Mm;
import dev.mmucheck.kernel.MmuNotifierRange;
import dev.mmucheck.kernel.ProtocolObserver;
import dev.mmucheck.machine.MachineConfig.InvalidatorSpec;
import dev.mmucheck.machine.MachineConfig.NotifierSpec;
import dev.mmucheck.machine.MachineConfig.ReaderSpec;
import dev.mmucheck.scheduling.LockstepScheduler;
import dev.mmucheck.scheduling.Sched;
import dev.mmucheck.scheduling.SpecVar;

/**
 * One model's world in Java: an mm, a GPU and a driver instance per GPU, the userptrs
 * (notifiers) of the model, and one thread per process of the spec. Each thread runs the same
 * loop as its spec process: an invalidator does MaxInv invalidations (each a range_start ...
 * PTE change ... range_end, or the OOM reaper's non-blocking form, or exit_mmap's release), a
 * reader MaxReads faults (fewer if its userptr is unbound first), a lifecycle process one insert,
 * the driver's unbind and one remove, a GPU completes TLB
 * invalidations until stopped.
 */
public final class Machine {
    /** Picks the range (a set of pages) of invalidator {@code inv}'s {@code k}-th invalidation (0-based). */
    @FunctionalInterface
    public interface RangeChooser {
        Set<Long> choose(InvalidatorSpec inv, int k);
    }

    private final MachineConfig config;
    private final Sched sched = new Sched();
    private final Mm mm;
    private final Map<String, GpuDevice> gpus = new LinkedHashMap<>();
    private final Map<String, GpuVm> vms = new LinkedHashMap<>();
    private final Map<String, Userptr> userptrs = new ConcurrentHashMap<>();
    private final Map<String, Thread> threads = new LinkedHashMap<>();
    private final Map<Thread, String> procOf = new ConcurrentHashMap<>();
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> done = new ConcurrentHashMap<>();

    public Machine(MachineConfig config, ProtocolObserver observer) {
        this.config = config;
        this.mm = new Mm(config.kernel(), sched, observer);
        for (String g : config.gpus()) {
            GpuDevice dev = new GpuDevice(g, sched, observer);
            gpus.put(g, dev);
            vms.put(g, new GpuVm("vm-" + g, mm, dev, config.driverOf(g), config.iommu()));
        }
        for (NotifierSpec n : config.notifiers()) {
            GpuVm vm = vms.get(n.gpu());
            userptrs.put(n.name(), n.dynamic() ? vm.userptrCreate(n.name(), n.firstPage(), n.lastPage(), n.twoPass())
                    : vm.userptrSetup(n.name(), n.firstPage(), n.lastPage(), n.twoPass(), true));
        }
    }

    /** Create one thread per process, registered with {@code scheduler} (installed here), and start them; GPUs complete the oldest fence first. */
    public void start(LockstepScheduler scheduler, RangeChooser chooser) {
        start(scheduler, chooser, GpuDevice.FenceChooser.OLDEST);
    }

    /** {@link #start(LockstepScheduler, RangeChooser)}, each GPU completing the fence {@code fences} picks. */
    public void start(LockstepScheduler scheduler, RangeChooser chooser, GpuDevice.FenceChooser fences) {
        start(scheduler, chooser, fences, ThreadSource.FRESH);
    }

    /** {@link #start(LockstepScheduler, RangeChooser, GpuDevice.FenceChooser)} on threads from {@code source}. */
    public void start(LockstepScheduler scheduler, RangeChooser chooser, GpuDevice.FenceChooser fences, ThreadSource source) {
        sched.install(scheduler);
        for (InvalidatorSpec i : config.invalidators()) add(i.name(), () -> invalidator(i, chooser), scheduler, source);
        for (ReaderSpec r : config.readers()) add(r.name(), () -> reader(r), scheduler, source);
        for (NotifierSpec n : config.notifiers()) if (n.dynamic()) add(n.name(), () -> lifecycle(n), scheduler, source);
        for (GpuDevice g : gpus.values()) add(g.name(), () -> g.serve(fences), scheduler, source);
        threads.values().forEach(source::start);
    }

    private void add(String name, Runnable body, LockstepScheduler scheduler, ThreadSource source) {
        Thread t = source.create(name, () -> {
            try {
                body.run();
                sched.exited();
            } catch (LockstepScheduler.Aborted a) {
                // the run is over
            } catch (Throwable e) {
                sched.died(e);
            }
        });
        scheduler.register(name, t);
        threads.put(name, t);
        procOf.put(t, name);
    }

    private void invalidator(InvalidatorSpec i, RangeChooser chooser) {
        for (int k = 0; k < i.maxInv(); k++) {
            if (i.release()) {
                mm.mmuNotifierRelease();
                completed(i.name());
                continue;
            }
            Set<Long> pages = chooser.choose(i, k);
            long first = pages.stream().min(Long::compare).orElseThrow();
            long last = pages.stream().max(Long::compare).orElseThrow();
            if (last - first + 1 != pages.size()) throw new IllegalArgumentException("range " + pages + " of " + i.name() + " is not contiguous");
            mm.changePtes(MmuNotifierRange.ofPages(first, last, i.blockable()));
            completed(i.name());
        }
    }

    private void reader(ReaderSpec r) {
        Userptr u = userptrs.get(r.notifier());
        for (int k = 0; k < r.maxReads(); k++) {
            if (u.vm().faultIfBound(u, r.page(), r.exclusive()).isEmpty()) return;   // the userptr was unbound: the reader stops
            completed(r.name());
        }
    }

    private void lifecycle(NotifierSpec n) {
        Userptr u = userptrs.get(n.name());      // made in the constructor, not inserted yet
        u.vm().userptrInsert(u);
        u.vm().userptrRemove(u);                 // the driver's unbind, then mmu_interval_notifier_remove
        removed.add(n.name());
    }

    private void completed(String proc) {
        done.computeIfAbsent(proc, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        sched.changes().touch(SpecVar.NINV.bit() | SpecVar.NREADS.bit());
    }

    /** The machine's record of the spec variables its code may have changed since the refinement last took it. */
    public dev.mmucheck.scheduling.Changes changes() { return sched.changes(); }

    /** How many invalidations (or installs) process {@code proc} has completed (the spec's ninv, nreads). */
    public int completedBy(String proc) {
        java.util.concurrent.atomic.AtomicInteger n = done.get(proc);
        return n == null ? 0 : n.get();
    }

    /** Stop the GPU threads (free-running use). */
    public void stopGpus() { gpus.values().forEach(GpuDevice::stop); }

    public MachineConfig config() { return config; }
    public Mm mm() { return mm; }
    public Map<String, GpuDevice> gpus() { return gpus; }
    public Map<String, GpuVm> vms() { return vms; }
    /** The userptrs, by notifier name (a dynamic one's notifier is null until it is inserted). */
    public Map<String, Userptr> userptrs() { return userptrs; }
    public Thread thread(String proc) { return threads.get(proc); }
    /** The process a thread is, or null. */
    public String procOf(Thread t) { return t == null ? null : procOf.get(t); }
    /** Lifecycle processes whose remove has returned. */
    public Set<String> removed() { return removed; }

    public List<String> invalidatorNames() {
        List<String> out = new ArrayList<>();
        config.invalidators().forEach(i -> out.add(i.name()));
        return out;
    }
}
