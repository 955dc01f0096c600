package dev.mmucheck.kernel;

import java.util.List;

/**
 * What an abstraction function sees of one running invalidation (the locals of
 * mn_itree_invalidate / mn_itree_release): the range, cur_seq, the notifier the walk is at
 * (null between notifiers' callbacks and after the walk), whether the tree changed under the walk
 * since its last step, whether it hit -EAGAIN, and the finish list, head first. The spec's
 * irange, cur, cursor, torn, err and flist.
 */
public record InvalidationView(MmuNotifierRange range, long curSeq, MmuIntervalNotifier cursor, boolean torn, boolean eagain,
                               List<MmuIntervalNotifier> finishList) {}
