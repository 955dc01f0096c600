package dev.mmucheck.kernel;

import java.util.concurrent.ConcurrentHashMap;

import dev.mmucheck.scheduling.Changes;

/**
 * The CPU page table of the mm, reduced to what the protocol needs: a version per page, bumped
 * each time the mm changes the PTE (unmap, migrate, protect). A device PTE made from an older
 * version is stale. Versions start at 1 (0 means "no translation" on the device side).
 */
public final class CpuPageTable {
    private final ConcurrentHashMap<Long, Long> version = new ConcurrentHashMap<>();
    private final ProtocolObserver observer;
    private final Changes.Mark changed;

    CpuPageTable(ProtocolObserver observer, Changes.Mark changed) {
        this.observer = observer;
        this.changed = changed;
    }

    /** What hmm_range_fault reads: the current PTE of {@code page}. */
    public long pte(long page) { return version.getOrDefault(page, 1L); }

    /** The mm changes the PTEs of [firstPage, lastPage]. */
    void change(long firstPage, long lastPage) {
        for (long p = firstPage; Long.compareUnsigned(p, lastPage) <= 0; p++) {
            long v = version.merge(p, 2L, (old, two) -> old + 1);
            changed.touch();
            observer.pteChanged(p, v);
            if (p == lastPage) break;
        }
    }
}
