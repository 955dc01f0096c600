package dev.mmucheck.kernel;

/**
 * struct mmu_interval_notifier_ops: three function pointers, any of which may be NULL (a Java
 * null here). A two-pass notifier sets {@code invalidateStart} and {@code invalidateFinish}; the
 * pre-patch kernel only ever calls {@code invalidate}.
 */
public record MmuIntervalNotifierOps(Invalidate invalidate, InvalidateStart invalidateStart,
                                     InvalidateFinish invalidateFinish) {

    /** @invalidate: upon return the caller must stop using any SPTEs within the range. */
    @FunctionalInterface
    public interface Invalidate {
        boolean invalidate(MmuIntervalNotifier intervalSub, MmuNotifierRange range, long curSeq);
    }

    /** @invalidate_start: the first pass; a non-null finish in the result asks for a second pass. */
    @FunctionalInterface
    public interface InvalidateStart {
        StartResult invalidateStart(MmuIntervalNotifier intervalSub, MmuNotifierRange range, long curSeq);
    }

    /** @invalidate_finish: the second pass, with the finish the first pass returned. */
    @FunctionalInterface
    public interface InvalidateFinish {
        void invalidateFinish(MmuIntervalNotifierFinish finish);
    }

    /**
     * What invalidate_start returns: its bool, and what it stored through its {@code **finish}
     * argument (null: no final pass). The core queues the finish only if {@code ok}.
     */
    public record StartResult(boolean ok, MmuIntervalNotifierFinish finish) {
        public static StartResult refused() { return new StartResult(false, null); }
        public static StartResult done() { return new StartResult(true, null); }
        public static StartResult finishLater(MmuIntervalNotifierFinish f) { return new StartResult(true, f); }
    }

    public static MmuIntervalNotifierOps singlePass(Invalidate invalidate) {
        return new MmuIntervalNotifierOps(invalidate, null, null);
    }

    public static MmuIntervalNotifierOps twoPass(Invalidate invalidate, InvalidateStart start, InvalidateFinish finish) {
        return new MmuIntervalNotifierOps(invalidate, start, finish);
    }
}
