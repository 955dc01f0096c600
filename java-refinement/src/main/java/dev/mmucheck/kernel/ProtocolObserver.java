package dev.mmucheck.kernel;

/**
 * Events a test oracle or the stress test watches. Every method has an empty default; the
 * reference implementation calls them at the point the event happens, from the thread that
 * makes it happen. Observers see what the code does, never which mutation is switched on.
 */
public interface ProtocolObserver {
    /** The mm changed the CPU PTE of {@code page} to {@code version} (after invalidate_range_start returned 0). */
    default void pteChanged(long page, long version) {}

    /** A device programmed its PTE (and TLB) for {@code page} from CPU PTE {@code version}. */
    default void deviceInstalled(String device, long page, long version) {}

    /** The core queued a finish on an invalidation's finish list. */
    default void finishQueued(MmuIntervalNotifier sub, MmuIntervalNotifierFinish f) {}

    /** The finish pass calls invalidate_finish on {@code f}. */
    default void finishCalled(MmuIntervalNotifierFinish f) {}

    /** A non-blockable invalidation reached a call that may sleep ({@code where}). */
    default void sleptInNonBlockable(String where) {}

    /** A callback ran for {@code sub}. */
    default void callbackRan(MmuIntervalNotifier sub) {}

    /** __mmu_notifier_invalidate_range_start returned {@code err} (0 or -EAGAIN) for {@code range}. */
    default void rangeStartReturned(MmuNotifierRange range, int err) {}

    /** __mmu_notifier_invalidate_range_end was called for {@code range}. */
    default void rangeEndCalled(MmuNotifierRange range) {}

    /** lockdep_assert_held failed: {@code where} ran without {@code lock}. */
    default void lockNotHeld(String lock, String where) {}

    /** mn_itree_inv_end starts (from mn_itree_invalidate/_release or range_end), on the invalidating thread. */
    default void invEnd() {}

    /** A WARN_ON fired. */
    default void warned(String site) {}

    ProtocolObserver NONE = new ProtocolObserver() {};
}
