package dev.mmucheck.driver;

import dev.mmucheck.kernel.MmuIntervalNotifier;
import dev.mmucheck.kernel.MmuIntervalNotifierFinish;

/**
 * struct xe_userptr: a range of user memory the GPU maps, with its interval notifier, the
 * embedded finish (one per notifier) and {@code finish_inuse}, which says the embedded finish
 * is handed out; a second concurrent invalidation then falls back to waiting inline.
 */
public final class Userptr {
    private final GpuVm vm;
    private final String name;
    private final long firstPage;
    private final long lastPage;
    private final boolean twoPass;
    final Finish finish = new Finish();
    private boolean finishInuse;          // under vm's notifier lock
    private volatile boolean gone;        // set under vm's notifier lock
    volatile MmuIntervalNotifier notifier;   // null until mmu_interval_notifier_insert returned

    /** The embedded struct mmu_interval_notifier_finish; container_of gives the userptr. */
    public final class Finish extends MmuIntervalNotifierFinish {
        public Userptr userptr() { return Userptr.this; }
    }

    Userptr(GpuVm vm, String name, long firstPage, long lastPage, boolean twoPass) {
        this.vm = vm;
        this.name = name;
        this.firstPage = firstPage;
        this.lastPage = lastPage;
        this.twoPass = twoPass;
    }

    public String name() { return name; }
    public GpuVm vm() { return vm; }
    public long firstPage() { return firstPage; }
    public long lastPage() { return lastPage; }
    public boolean twoPass() { return twoPass; }
    public MmuIntervalNotifier notifier() { return notifier; }

    /** userptr->finish_inuse */
    public boolean finishInuse() { return finishInuse; }

    /** Set finish_inuse; xe does it under the notifier lock (lockdep_assert_held_write). */
    void setFinishInuse(boolean v, String where) {
        vm.assertNotifierLockHeld(where);
        finishInuse = v;
    }

    void markGone() { gone = true; }

    public boolean isGone() { return gone; }

    /** Inserted and not unbound yet: the driver faults through it (the spec's Bound). */
    public boolean isBound() { return notifier != null && !gone; }

    boolean finishFree(boolean noFinishInuse) { return twoPass && (!finishInuse || noFinishInuse); }

    @Override
    public String toString() { return name; }
}
