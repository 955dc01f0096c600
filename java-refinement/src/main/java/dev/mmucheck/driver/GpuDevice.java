package dev.mmucheck.driver;

import java.util.HashMap;
import java.util.Map;

import dev.mmucheck.kernel.ProtocolObserver;
import dev.mmucheck.scheduling.Label;
import dev.mmucheck.scheduling.Sched;
import dev.mmucheck.scheduling.WaitQueue;

/**
 * A GPU: its page table (device PTEs, as the CPU PTE version each was made from; absent = none),
 * its TLB (what the GPU may still use), and one TLB invalidation at a time that the driver submits
 * and only the GPU's own thread completes ({@link #serve}), dropping every cached translation,
 * as xe's TLB-invalidation fence signals.
 */
public final class GpuDevice {
    private final String name;
    private final Sched sched;
    private final ProtocolObserver observer;
    private final Map<Long, Long> dpte = new HashMap<>();     // guarded by this
    private final Map<Long, Long> tlb = new HashMap<>();      // guarded by this
    private boolean flushPending;                             // guarded by this
    private boolean stopped;                                  // guarded by this
    private final WaitQueue fence;

    public GpuDevice(String name, Sched sched, ProtocolObserver observer) {
        this.name = name;
        this.sched = sched;
        this.observer = observer;
        this.fence = new WaitQueue(name + " tlb_inval fence", sched);
    }

    public String name() { return name; }

    /** xe_vma_rebind / xe_pt_update_ops: program the device PTE of {@code page} from CPU PTE {@code version}; the GPU caches it at once. */
    void install(long page, long version) {
        synchronized (this) {
            dpte.put(page, version);
            tlb.put(page, version);
        }
        observer.deviceInstalled(name, page, version);
    }

    /** xe_vm_invalidate_vma: zap the device PTEs of [first, last] (the TLB keeps its entries until the invalidation completes). */
    synchronized void zap(long firstPage, long lastPage) {
        dpte.keySet().removeIf(p -> Long.compareUnsigned(p, firstPage) >= 0 && Long.compareUnsigned(p, lastPage) <= 0);
    }

    /** Submit a TLB invalidation (xe_vm_invalidate_vma's tlb_inval); it completes on the GPU thread. */
    void submitTlbInvalidation() {
        synchronized (this) {
            flushPending = true;
        }
        fence.wakeUpAll();
    }

    /** dma_fence_is_signaled, negated: a submitted TLB invalidation has not completed. */
    public synchronized boolean tlbInvalidationPending() { return flushPending; }

    /** xe_tlb_inval_fence_wait (dma_fence_wait): sleeps until the GPU completes the TLB invalidation. */
    void waitTlbInvalidation() {
        fence.waitEvent(() -> !tlbInvalidationPending());
    }

    /** xe_guc_tlb_inval_done_handler: the GPU completes the submitted TLB invalidation; every cached translation is dropped. */
    public void tlbInvalidationDone() {
        synchronized (this) {
            if (!flushPending) throw new IllegalStateException(name + ": no TLB invalidation to complete");
            flushPending = false;
            tlb.clear();
        }
        fence.wakeUpAll();
    }

    /**
     * The GPU's thread: complete each TLB invalidation as it is submitted, until {@link #stop}.
     * Each completion is the step {@code gpu_tlb_inval_done}; like every wait of this code, the
     * wait for work comes after the label, so the step is "wait until submitted, complete it".
     */
    public void serve() { serve(() -> {}); }

    /** {@link #serve()}, with {@code latency} run between seeing the submission and completing it (a slow GPU). */
    public void serve(Runnable latency) {
        for (;;) {
            sched.at(Label.GPU_TLB_INVAL_DONE);
            fence.waitEvent(() -> tlbInvalidationPending() || isStopped());
            if (!tlbInvalidationPending()) return;
            latency.run();
            tlbInvalidationDone();
        }
    }

    public void stop() {
        synchronized (this) {
            stopped = true;
        }
        fence.wakeUpAll();
    }

    private synchronized boolean isStopped() { return stopped; }

    /** The device PTE of {@code page} (0: none). */
    public synchronized long devicePte(long page) { return dpte.getOrDefault(page, 0L); }

    /** The TLB entry of {@code page} (0: none). */
    public synchronized long tlbEntry(long page) { return tlb.getOrDefault(page, 0L); }
}
