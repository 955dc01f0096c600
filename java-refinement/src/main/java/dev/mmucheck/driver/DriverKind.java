package dev.mmucheck.driver;

/** The spec's {@code Driver} constant: how invalidate_start behaves when the range is not blockable. */
public enum DriverKind {
    /** xe_vma_userptr_invalidate_start: {@code if (!mmu_notifier_range_blockable(range)) return false;} */
    XE,
    /** test_hmm's locking: mutex_trylock when not blockable, return false if it fails */
    TRYLOCK
}
