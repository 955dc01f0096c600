package dev.mmucheck.kernel;

/**
 * current->non_block_count and might_sleep(): a thread inside a non-blockable invalidation
 * (the OOM reaper's mmu_notifier_invalidate_range_start_nonblock) must not reach a call that may
 * sleep. The kernel checks this with non_block_start()/non_block_end() around the hlist callbacks;
 * the reference implementation does the same around the whole non-blockable mn_itree_invalidate,
 * finish pass included, and reports a violation to the observer instead of a splat.
 */
public final class NonBlockContext {
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
    private final ProtocolObserver observer;

    NonBlockContext(ProtocolObserver observer) { this.observer = observer; }

    /** non_block_start() */
    public void nonBlockStart() { depth.get()[0]++; }

    /** non_block_end() */
    public void nonBlockEnd() { depth.get()[0]--; }

    public boolean inNonBlock() { return depth.get()[0] > 0; }

    /** might_sleep(): report a call that may sleep inside a non-blockable section. */
    public void mightSleep(String where) {
        if (inNonBlock()) observer.sleptInNonBlockable(where);
    }
}
