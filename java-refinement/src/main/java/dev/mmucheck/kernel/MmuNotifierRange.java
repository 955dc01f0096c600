package dev.mmucheck.kernel;

/**
 * struct mmu_notifier_range: [start, end) in bytes, unsigned 64-bit; {@code blockable} is
 * MMU_NOTIFIER_RANGE_BLOCKABLE. The interval tree works on [start, end - 1].
 */
public record MmuNotifierRange(long start, long end, boolean blockable, Event event) {
    /** enum mmu_notifier_event, the values used here */
    public enum Event { UNMAP, CLEAR, PROTECTION_VMA, RELEASE }

    public static final long PAGE_SHIFT = 12;
    public static final long ULONG_MAX = -1L;

    public MmuNotifierRange {
        if (Long.compareUnsigned(start, end) >= 0) {
            throw new IllegalArgumentException(String.format(
                    "empty or inverted range [0x%x, 0x%x): mmu_notifier_range needs start < end (unsigned)", start, end));
        }
        if (event == null) throw new IllegalArgumentException("range without an event");
    }

    /** The pages [first, last] as a range, for callers that think in pages. */
    public static MmuNotifierRange ofPages(long firstPage, long lastPage, boolean blockable) {
        return new MmuNotifierRange(firstPage << PAGE_SHIFT, (lastPage + 1) << PAGE_SHIFT, blockable, Event.UNMAP);
    }

    /** mmu_notifier_range_blockable() */
    public boolean isBlockable() { return blockable; }

    /** range->end - 1, the last byte, as interval_tree_iter_first() takes it */
    public long last() { return end - 1; }

    public long firstPage() { return start >>> PAGE_SHIFT; }

    public long lastPage() { return (end - 1) >>> PAGE_SHIFT; }

    @Override
    public String toString() {
        return String.format("[0x%x, 0x%x)%s", start, end, blockable ? "" : " nonblock");
    }
}
