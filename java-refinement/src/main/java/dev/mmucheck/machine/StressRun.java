package dev.mmucheck.machine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.mmucheck.driver.DriverKind;
import dev.mmucheck.driver.GpuDevice;
import dev.mmucheck.driver.GpuVm;
import dev.mmucheck.driver.Userptr;
import dev.mmucheck.kernel.KernelConfig;
import dev.mmucheck.kernel.Mm;
import dev.mmucheck.kernel.MmuNotifierRange;
import dev.mmucheck.scheduling.JitterScheduler;
import dev.mmucheck.scheduling.Sched;

/**
 * Many real threads on one mm, free-running (no scheduler): blockable invalidators that change
 * PTEs, non-blocking ones (the OOM reaper), readers faulting through the driver, a lifecycle
 * thread inserting and removing notifiers (and now and then running exit_mmap's release), and
 * one thread per GPU completing TLB invalidations after a random delay. The {@link StressOracle}
 * checks the properties throughout; a watchdog ends the run if no operation completes for a
 * while (a deadlock or a lost wake-up) and reports where every thread is.
 */
public final class StressRun {

    public record Settings(KernelConfig kernel, long targetOps, int gpus, int invalidators, int reapers, int readers,
                           long seed, Duration timeLimit, Duration watchdog) {
        /** The default stress: 3 GPUs, 3 invalidators, 1 OOM reaper, 3 readers, 1 lifecycle thread: 11 threads. */
        public static Settings standard(KernelConfig k, long targetOps) {
            return new Settings(k, targetOps, 3, 3, 1, 3, 1, Duration.ofMinutes(5), Duration.ofSeconds(10));
        }

        public Settings withSeed(long s) {
            return new Settings(kernel, targetOps, gpus, invalidators, reapers, readers, s, timeLimit, watchdog);
        }

        public Settings withTimeLimit(Duration d) {
            return new Settings(kernel, targetOps, gpus, invalidators, reapers, readers, seed, d, watchdog);
        }
    }

    /** What a run did and found. {@code watchdog} is null if it stayed quiet. */
    public record Result(long ops, int threads, long checks, long finishesHandedOut, long finishesThatWaited,
                         long inlineFallbacks, long retries, long insertRemoves, double seconds, List<Violation> violations,
                         String watchdog, boolean timedOut) {
        public String figures() {
            return String.format("%,d operations on %d threads in %.1f s (%,.0f ops/s); %,d property checks; "
                            + "%,d finishes handed out, %,d waited on an incomplete TLB invalidation, %,d inline fallbacks; "
                            + "%,d read retries; %,d insert/remove pairs",
                    ops, threads, seconds, ops / Math.max(seconds, 1e-9), checks, finishesHandedOut, finishesThatWaited,
                    inlineFallbacks, retries, insertRemoves);
        }
    }

    private static final int PAGES = 8;

    public static Result run(Settings st) throws InterruptedException {
        Sched sched = new Sched();
        sched.install(new JitterScheduler(10, 100_000));
        Map<String, GpuDevice> gpus = new LinkedHashMap<>();
        StressOracle oracle = new StressOracle(gpus);
        Mm mm = new Mm(st.kernel(), sched, oracle);
        oracle.attach(mm.ptes());
        List<GpuVm> vms = new ArrayList<>();
        List<Userptr> fixed = new ArrayList<>();
        for (int g = 1; g <= st.gpus(); g++) {
            GpuDevice dev = new GpuDevice("g" + g, sched, oracle);
            gpus.put(dev.name(), dev);
            GpuVm vm = new GpuVm("vm-g" + g, mm, dev, DriverKind.XE);
            vms.add(vm);
            // overlapping windows: two-pass over [g-1, g+1] and [g+2, g+4], single-pass over [0, 7]
            fixed.add(vm.userptrSetup("u" + g + "a", g - 1, g + 1, true));
            fixed.add(vm.userptrSetup("u" + g + "b", (g + 2) % (PAGES - 2), (g + 2) % (PAGES - 2) + 2, true));
            fixed.add(vm.userptrSetup("u" + g + "c", 0, PAGES - 1, false));
        }

        AtomicLong ops = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> crashes = java.util.Collections.synchronizedList(new ArrayList<>());
        SplittableRandom seeds = new SplittableRandom(st.seed());

        for (GpuDevice g : gpus.values()) {
            SplittableRandom rnd = seeds.split();
            workers.add(new Thread(() -> g.serve((gpu, k, pending) -> pending.get(rnd.nextInt(pending.size())), () -> {
                int r = rnd.nextInt(4);
                if (r == 0) LockSupport.parkNanos(20_000);
                else for (int k = 0; k < r; k++) Thread.yield();
            }), g.name()));
        }
        for (int i = 0; i < st.invalidators(); i++) workers.add(worker("inv" + i, seeds.split(), stop, ops, st, crashes,
                rnd -> {
                    mm.changePtes(randomRange(rnd, true));
                    LockSupport.parkNanos(rnd.nextInt(50_000));   // idle gaps: seq must get back to even sometimes
                }));
        for (int i = 0; i < st.reapers(); i++) workers.add(worker("oom" + i, seeds.split(), stop, ops, st, crashes,
                rnd -> {
                    mm.changePtes(randomRange(rnd, false));
                    LockSupport.parkNanos(rnd.nextInt(50_000));
                }));
        for (int i = 0; i < st.readers(); i++) workers.add(worker("reader" + i, seeds.split(), stop, ops, st, crashes, rnd -> {
            Userptr u = fixed.get(rnd.nextInt(fixed.size()));
            u.vm().fault(u, u.firstPage() + rnd.nextInt((int) (u.lastPage() - u.firstPage() + 1)));
            Thread.yield();   // a GPU fault is rarer than an instruction: let the invalidators in
        }));
        AtomicLong lifecycle = new AtomicLong();
        workers.add(worker("lifecycle", seeds.split(), stop, ops, st, crashes, rnd -> {
            GpuVm vm = vms.get(rnd.nextInt(vms.size()));
            long first = rnd.nextInt(PAGES - 1);
            Userptr u = vm.userptrSetup("dyn" + lifecycle.incrementAndGet(), first, first + 1, true);
            vm.fault(u, first);
            vm.userptrRemove(u);
            oracle.markRemoved(u.notifier());
            if (lifecycle.get() % 16 == 0) mm.mmuNotifierRelease();
        }));

        long t0 = System.nanoTime();
        workers.forEach(t -> { t.setDaemon(true); t.start(); });
        String watchdog = null;
        boolean timedOut = false;
        long lastOps = -1, lastChange = System.nanoTime();
        while (true) {
            Thread.sleep(50);
            long now = System.nanoTime(), n = ops.get();
            if (!oracle.violations().isEmpty() || !crashes.isEmpty() || n >= st.targetOps()) break;
            if (n != lastOps) {
                lastOps = n;
                lastChange = now;
            } else if (now - lastChange > st.watchdog().toNanos()) {
                watchdog = "no operation completed for " + st.watchdog().toSeconds() + " s (deadlock or lost wake-up); threads:\n"
                        + whereAre(workers) + "subscriptions->wq sleepers: " + mm.subscriptions().waitQueue().sleepers();
                break;
            }
            if (now - t0 > st.timeLimit().toNanos()) {
                timedOut = true;
                break;
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        // a clean run ends with every thread done; after a violation or the watchdog some may be stuck for good
        long joinUntil = System.nanoTime() + (oracle.violations().isEmpty() && watchdog == null ? 30_000_000_000L : 2_000_000_000L);
        // the GPUs stop only once every other worker has ended: a worker in the middle of an
        // invalidation may still submit a TLB invalidation and wait for it (a GPU stopped first
        // would leave that fence unsignalled and the worker asleep for good)
        List<Thread> gpuThreads = workers.stream().filter(t -> gpus.containsKey(t.getName())).toList();
        for (Thread t : workers) if (!gpuThreads.contains(t)) t.join(Math.max(1, (joinUntil - System.nanoTime()) / 1_000_000));
        gpus.values().forEach(GpuDevice::stop);
        for (Thread t : gpuThreads) t.join(Math.max(1, (joinUntil - System.nanoTime()) / 1_000_000));
        if (watchdog == null && oracle.violations().isEmpty() && crashes.isEmpty()) {
            for (Thread t : workers) {
                if (t.isAlive()) watchdog = "thread " + t.getName() + " did not end after the run stopped:\n" + whereAre(workers);
            }
        }

        List<Violation> v = new ArrayList<>(oracle.violations());
        crashes.forEach(c -> v.add(new Violation("crash", c.toString())));
        long handed = 0, waited = 0, fallbacks = 0, retries = 0;
        for (GpuVm vm : vms) {
            handed += vm.stats().finishesHandedOut();
            waited += vm.stats().finishesThatWaited();
            fallbacks += vm.stats().finishFallbacks();
            retries += vm.stats().retries();
        }
        return new Result(ops.get(), workers.size(), oracle.checks(), handed, waited, fallbacks, retries, lifecycle.get(), secs, v,
                watchdog, timedOut);
    }

    private interface Op { void run(SplittableRandom rnd); }

    private static Thread worker(String name, SplittableRandom rnd, AtomicBoolean stop, AtomicLong ops, Settings st,
                                 List<Throwable> crashes, Op op) {
        return new Thread(() -> {
            try {
                while (!stop.get() && ops.get() < st.targetOps()) {
                    op.run(rnd);
                    ops.incrementAndGet();
                }
            } catch (Throwable t) {
                crashes.add(t);
            }
        }, name);
    }

    private static MmuNotifierRange randomRange(SplittableRandom rnd, boolean blockable) {
        long first = rnd.nextInt(PAGES);
        long last = Math.min(PAGES - 1, first + rnd.nextInt(3));
        return MmuNotifierRange.ofPages(first, last, blockable);
    }

    private static String whereAre(List<Thread> ts) {
        StringBuilder b = new StringBuilder();
        for (Thread t : ts) {
            StackTraceElement[] st = t.getStackTrace();
            b.append("  ").append(t.getName()).append(" ").append(t.getState());
            for (int k = 0, shown = 0; k < st.length && shown < 4; k++) {
                if (st[k].getClassName().startsWith("dev.mmucheck")) {
                    b.append(shown == 0 ? " in " : " <- ").append(st[k].getClassName().replaceAll(".*\\.", "")).append('.').append(st[k].getMethodName());
                    shown++;
                }
            }
            b.append('\n');
        }
        return b.toString();
    }
}
