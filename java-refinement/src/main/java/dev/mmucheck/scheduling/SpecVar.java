package dev.mmucheck.scheduling;

/**
 * The spec's variables the abstraction function reads from the Java machine (specs/CONTRACT.md,
 * "Variables"), in the abstraction's order. Each names a bit of {@link Changes}: the Java code
 * that writes state a variable is read from marks that variable changed, so that the refinement
 * recomputes and compares only what a step changed.
 */
public enum SpecVar {
    SEQ, ACTIVE, TREE, DEFERRED, SLOCK, WQ, ISEQ, PC, IRANGE, CUR, CURSOR, TORN, ERR, FLIST, NINV, PTE,
    ULOCK, RLOCK, FINUSE, TLBSUB, DPTE, TLB, IOMMU, FENCES, RSEQ, RVAL, NREADS, RMSEQ, WARN;

    /** This variable's bit in a {@link Changes} mask. */
    public long bit() { return 1L << ordinal(); }

    /** The variable's name in the spec. */
    public String specName() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** The mask of every variable. */
    public static long all() { return (1L << values().length) - 1; }

    static { if (values().length > 63) throw new ExceptionInInitializerError("more spec variables than bits in a long"); }
}
