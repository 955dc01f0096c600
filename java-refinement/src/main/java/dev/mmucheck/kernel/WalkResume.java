package dev.mmucheck.kernel;

import java.util.List;

/**
 * Where an invalidation walk resumes after the interval tree changed under it (the spec's torn
 * walk, WalkNext): mn_itree_inv_next reads the tree without subscriptions->lock, and a reader
 * interleaved with interval_tree_insert/remove (or stepping on from a node just erased) can lose
 * its place: skip notifiers that stay in the tree and overlap the range, or stop. The code as
 * merged never changes the tree during a walk (it defers inserts and removes to the last
 * mn_itree_inv_end), so this is asked only under a mutation that does (M18, M11, M8, M14).
 */
@FunctionalInterface
public interface WalkResume {
    /**
     * The notifier the torn walk of thread {@code walker} goes on with: one of {@code candidates}
     * (every notifier after the walk's place, in tree order, that is in the tree and overlaps the
     * range; the first is where an intact walk would go) or null (the walk ends).
     */
    MmuIntervalNotifier choose(Thread walker, List<MmuIntervalNotifier> candidates);

    /** The walk keeps its place: the next overlapping notifier in tree order. */
    WalkResume IN_ORDER = (walker, candidates) -> candidates.isEmpty() ? null : candidates.get(0);
}
