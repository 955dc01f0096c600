package dev.mmucheck.driver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mmucheck.kernel.ProtocolObserver;
import dev.mmucheck.scheduling.Changes;
import dev.mmucheck.scheduling.Guarded;
import dev.mmucheck.scheduling.Label;
import dev.mmucheck.scheduling.Sched;
import dev.mmucheck.scheduling.SpecVar;
import dev.mmucheck.scheduling.SleepingLock;
import dev.mmucheck.scheduling.WaitQueue;

/**
 * A GPU: its page table (device PTEs, as the CPU PTE version each was made from; absent = none),
 * its TLB (what the GPU may still use), and its pending TLB invalidations: each is its own
 * {@link TlbInvalFence}, submitted by one callback (on the invalidating thread) for one
 * userptr's pages and signalled only by the GPU's own thread ({@link #serve}), which drops the
 * translations that fence covers, as xe's TLB-invalidation fences do. The GPU signals its
 * pending fences in any order (a {@link FenceChooser} picks). specs/GpuDriver.tla names a fence
 * by its notifier and the invalidation that submitted it; a second submit by the same thread for
 * the same userptr while its fence is pending joins that fence.
 */
public final class GpuDevice {
    /** One TLB invalidation (xe's userptr->inval_batch): one userptr's pages on this GPU, the thread that submitted it, whether it has signalled. */
    public static final class TlbInvalFence {
        private final String owner;
        private final Thread submitter;
        private final long firstPage;
        private final long lastPage;
        private boolean signalled;            // guarded by the GpuDevice

        TlbInvalFence(String owner, Thread submitter, long firstPage, long lastPage) {
            this.owner = owner;
            this.submitter = submitter;
            this.firstPage = firstPage;
            this.lastPage = lastPage;
        }

        /** The userptr (notifier) whose pages this fence covers. */
        public String owner() { return owner; }

        /** The thread whose callback submitted it. */
        public Thread submitter() { return submitter; }

        boolean covers(long page) {
            return Long.compareUnsigned(page, firstPage) >= 0 && Long.compareUnsigned(page, lastPage) <= 0;
        }

        @Override
        public String toString() { return owner + " by " + submitter.getName(); }
    }

    /** Which of GPU {@code gpu}'s pending fences (in submit order) its {@code k}-th completion (0-based) signals. */
    @FunctionalInterface
    public interface FenceChooser {
        TlbInvalFence choose(String gpu, int k, List<TlbInvalFence> pending);

        /** The oldest pending fence first. */
        FenceChooser OLDEST = (gpu, k, pending) -> pending.get(0);
    }

    private record Key(String owner, Thread submitter) {}

    private final String name;
    private final Sched sched;
    private final ProtocolObserver observer;
    /** the device page table: changed only under the user lock of the driver instance on this GPU ({@link #bindDriver}); also guarded by this */
    private volatile Guarded<Map<Long, Long>> dpte;
    private final Map<Long, Long> tlb = new HashMap<>();      // guarded by this
    private final Map<Long, Long> iommu = new HashMap<>();    // the IOMMU's DMA mappings (page -> CPU PTE version); guarded by this
    private final Map<Key, TlbInvalFence> pending = new LinkedHashMap<>();   // submit order; guarded by this
    private int completions;                                  // guarded by this
    private boolean stopped;                                  // guarded by this
    private final WaitQueue fence;
    /** the spec's variables read from this device (dpte, tlb, iommu, fences): each write marks its own */
    private final Changes changes;

    public GpuDevice(String name, Sched sched, ProtocolObserver observer) {
        this.name = name;
        this.sched = sched;
        this.observer = observer;
        this.fence = new WaitQueue(name + " tlb_inval fence", sched);
        this.changes = sched.changes();
    }

    public String name() { return name; }

    /** The driver instance on this GPU binds its user lock: the device PTEs are changed only under it. Once. */
    void bindDriver(SleepingLock userLock) {
        synchronized (this) {
            if (dpte != null) throw new IllegalStateException(name + ": a driver instance is already bound to this GPU");
            dpte = new Guarded<>(name + " device PTEs", userLock, new HashMap<>(), changes.mark(SpecVar.DPTE));
        }
    }

    private Guarded<Map<Long, Long>> ptes() {
        Guarded<Map<Long, Long>> d = dpte;
        if (d == null) throw new IllegalStateException(name + ": no driver instance bound to this GPU (GpuVm binds its user lock)");
        return d;
    }

    /**
     * xe_vma_rebind / xe_pt_update_ops: program the device PTE of {@code page} from CPU PTE
     * {@code version}, under the driver's user lock; the GPU caches it at once.
     */
    void install(long page, long version) {
        installInto(ptes().get(), page, version);
    }

    /** D3 only: the install made after the user lock is dropped, on purpose (the spec's D3 does the same). */
    void installUnlocked(long page, long version) {
        installInto(ptes().underMutationUnlocked(), page, version);
    }

    private void installInto(Map<Long, Long> d, long page, long version) {
        synchronized (this) {
            d.put(page, version);
            tlb.put(page, version);
        }
        changes.touch(SpecVar.TLB);
        observer.deviceInstalled(name, page, version);
    }

    /**
     * drm_gpusvm_get_pages' dma_map_page: map {@code page}, as CPU PTE {@code version} has it, in
     * this device's IOMMU (only models with the IOMMU mapping: GpuVm calls it).
     */
    synchronized void dmaMap(long page, long version) {
        iommu.put(page, version);
        changes.touch(SpecVar.IOMMU);
    }

    /** drm_gpusvm_unmap_pages: remove the IOMMU mappings of [first, last]. */
    synchronized void dmaUnmap(long firstPage, long lastPage) {
        iommu.keySet().removeIf(p -> Long.compareUnsigned(p, firstPage) >= 0 && Long.compareUnsigned(p, lastPage) <= 0);
        changes.touch(SpecVar.IOMMU);
    }

    /**
     * xe_vm_invalidate_vma: zap the device PTEs of [first, last], under the driver's user lock
     * (the TLB keeps its entries until the invalidation completes).
     */
    void zap(long firstPage, long lastPage) {
        Map<Long, Long> d = ptes().get();
        synchronized (this) {
            d.keySet().removeIf(p -> Long.compareUnsigned(p, firstPage) >= 0 && Long.compareUnsigned(p, lastPage) <= 0);
        }
    }

    /**
     * xe_vm_invalidate_vma_submit: submit a TLB invalidation of userptr {@code owner}'s pages
     * [first, last] from the calling thread; it completes on the GPU thread. Returns its fence.
     */
    TlbInvalFence submitTlbInvalidation(String owner, long firstPage, long lastPage) {
        Thread me = Thread.currentThread();
        TlbInvalFence f;
        synchronized (this) {
            f = pending.computeIfAbsent(new Key(owner, me), k -> new TlbInvalFence(owner, me, firstPage, lastPage));
        }
        changes.touch(SpecVar.FENCES);
        fence.wakeUpAll();
        return f;
    }

    /** The owner of a bind job's fence: the spec's NoNotifier (a fence that covers no pages). */
    public static final String BIND_JOB = "NoNotifier";

    /**
     * xe_vma_rebind's page-table update job: its fence joins the VM's dma-resv (BOOKKEEP) until
     * the GPU signals it; it covers no TLB entries.
     */
    void submitBindJob() {
        Thread me = Thread.currentThread();
        synchronized (this) {
            pending.computeIfAbsent(new Key(BIND_JOB, me), k -> new TlbInvalFence(BIND_JOB, me, 1, 0));
        }
        changes.touch(SpecVar.FENCES);
        fence.wakeUpAll();
    }

    /** Some fence of the VM's dma-resv (a bind job's) is not signalled (the spec's VmBusy). */
    public synchronized boolean vmBusy() {
        return pending.keySet().stream().anyMatch(k -> k.owner().equals(BIND_JOB));
    }

    /** Sleep until {@code cond} holds; it is re-checked at every submission and completion of a fence. */
    void waitUntil(java.util.function.BooleanSupplier cond) { fence.waitEvent(cond); }

    /** The fence userptr {@code owner}'s pages got from thread {@code submitter} is signalled (true if none is pending). */
    synchronized boolean signalled(String owner, Thread submitter) { return !pending.containsKey(new Key(owner, submitter)); }

    /** dma_fence_is_signaled on the fence userptr {@code owner}'s callback submitted from this thread (true if there is none pending). */
    public synchronized boolean signalled(String owner) { return !pending.containsKey(new Key(owner, Thread.currentThread())); }

    /** The pending fences, in submit order. */
    public synchronized List<TlbInvalFence> pendingFences() { return new ArrayList<>(pending.values()); }

    /**
     * xe_tlb_inval_batch_wait / the wait in xe_vm_invalidate_vma (dma_fence_wait): sleeps until
     * the GPU signals the fence userptr {@code owner}'s callback submitted from this thread.
     */
    void waitTlbInvalidation(String owner) {
        Key k = new Key(owner, Thread.currentThread());
        fence.waitEvent(() -> isSignalled(k));
    }

    private synchronized boolean isSignalled(Key k) { return !pending.containsKey(k); }

    /** xe_tlb_inval_batch_wait on a batch thread {@code submitter} submitted (userptr->inval_batch). */
    void waitTlbInvalidation(String owner, Thread submitter) {
        Key k = new Key(owner, submitter);
        fence.waitEvent(() -> isSignalled(k));
    }

    /**
     * xe_guc_tlb_inval_done_handler: the GPU completes the pending TLB invalidation {@code f};
     * the translations it covers are dropped from the TLB, and it signals.
     */
    public void tlbInvalidationDone(TlbInvalFence f) {
        synchronized (this) {
            if (pending.remove(new Key(f.owner, f.submitter)) != f) {
                throw new IllegalStateException(name + ": TLB invalidation " + f + " is not pending (pending: " + pending.values() + ")");
            }
            tlb.keySet().removeIf(f::covers);
            f.signalled = true;
            completions++;
        }
        changes.touch(SpecVar.FENCES.bit() | SpecVar.TLB.bit());
        fence.wakeUpAll();
    }

    /**
     * The GPU's thread: complete the submitted TLB invalidations, one per step, each the one
     * {@code chooser} picks, until {@link #stop}. Each completion is the step
     * {@code gpu_tlb_inval_done}; like every wait of this code, the wait for work comes after the
     * label, so the step is "wait until one is submitted, complete one".
     */
    public void serve(FenceChooser chooser) { serve(chooser, () -> {}); }

    /** {@link #serve(FenceChooser)}, oldest fence first. */
    public void serve() { serve(FenceChooser.OLDEST); }

    /** {@link #serve(FenceChooser)}, with {@code latency} run between seeing a submission and completing it (a slow GPU). */
    public void serve(FenceChooser chooser, Runnable latency) {
        for (;;) {
            sched.at(Label.GPU_TLB_INVAL_DONE);
            fence.waitEvent(() -> hasPending() || isStopped());
            if (!hasPending()) return;
            latency.run();
            int k;
            synchronized (this) {
                k = completions;
            }
            tlbInvalidationDone(chooser.choose(name, k, pendingFences()));
        }
    }

    private synchronized boolean hasPending() { return !pending.isEmpty(); }

    public void stop() {
        synchronized (this) {
            stopped = true;
        }
        fence.wakeUpAll();
    }

    private synchronized boolean isStopped() { return stopped; }

    /**
     * The device PTE of {@code page} (0: none), for the abstraction function, the oracles and
     * tests (the quiescent read path; the stress oracle reads it on a free-running thread, made
     * safe by this object's monitor).
     */
    public synchronized long devicePte(long page) { return ptes().quiescent().getOrDefault(page, 0L); }

    /** The TLB entry of {@code page} (0: none). */
    public synchronized long tlbEntry(long page) { return tlb.getOrDefault(page, 0L); }

    /** The IOMMU mapping of {@code page}: the CPU PTE version whose page it maps (0: none). */
    public synchronized long iommuEntry(long page) { return iommu.getOrDefault(page, 0L); }
}
