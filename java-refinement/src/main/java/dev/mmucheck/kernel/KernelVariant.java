package dev.mmucheck.kernel;

/** Which mm/mmu_notifier.c: the code as merged with the two-pass series, or the single-pass code before it. */
public enum KernelVariant {
    /** the two-pass series as merged (v2 core plus v3's WARN_ON_ONCE at insert) */
    MERGED,
    /** before the series: ops->invalidate only, goto out_would_block on a refusal */
    PREPATCH
}
