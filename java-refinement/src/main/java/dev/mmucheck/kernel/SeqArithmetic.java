package dev.mmucheck.kernel;

/**
 * Arithmetic on {@code invalidate_seq}: unsigned long in the kernel (modulus 0 here means 2^64),
 * or modulo a small even number so that the seq-wrap models (wrap-K-mM) can be followed.
 */
public record SeqArithmetic(long modulus) {
    /** __mmu_notifier_register: subscriptions->invalidate_seq = 2 */
    public long initial() { return norm(2); }

    /** seq++ */
    public long inc(long x) { return norm(x + 1); }

    /** seq - 1 */
    public long dec(long x) { return modulus == 0 ? x - 1 : norm(x + modulus - 1); }

    /** seq |= 1 (the modulus is even, so this stays in range) */
    public long setOdd(long x) { return x | 1; }

    public static boolean odd(long x) { return (x & 1) == 1; }

    private long norm(long x) { return modulus == 0 ? x : Long.remainderUnsigned(x, modulus); }
}
