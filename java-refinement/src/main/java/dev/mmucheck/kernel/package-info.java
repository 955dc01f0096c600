/**
 * The kernel side: {@code mm/mmu_notifier.c}'s interval notifiers with the two-pass series, and
 * the header inlines of {@code include/linux/mmu_notifier.h}, as ordinary concurrent Java. Each
 * method names, in its first doc line, the C function it follows. Read it beside the C file:
 * {@link dev.mmucheck.kernel.MmuNotifierSubscriptions} is {@code struct mmu_notifier_subscriptions}
 * and the locked helpers, {@link dev.mmucheck.kernel.ItreeInvalidation} is
 * {@code mn_itree_invalidate}/{@code mn_itree_release}/{@code mn_itree_finish_pass},
 * {@link dev.mmucheck.kernel.Mm} is the mm with its entry points and the callers that change PTEs.
 */
package dev.mmucheck.kernel;
