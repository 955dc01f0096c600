package dev.mmucheck.kernel;

import java.util.EnumSet;
import java.util.Set;

/**
 * What code runs: the kernel variant, the mutations switched on (the spec's {@code Mutation}
 * constant), and the modulus of {@code invalidate_seq} (0: unsigned long, as in the kernel; a
 * small even number follows the seq-wrap models).
 */
public record KernelConfig(KernelVariant variant, Set<Mutation> mutations, long seqModulus) {
    public KernelConfig {
        mutations = Set.copyOf(mutations);
        if (seqModulus != 0 && (seqModulus < 2 || seqModulus % 2 != 0)) {
            throw new IllegalArgumentException("seq modulus must be 0 (2^64) or an even number >= 2, got " + seqModulus);
        }
    }

    /** The code as merged, full 64-bit seq. */
    public static KernelConfig merged() { return new KernelConfig(KernelVariant.MERGED, Set.of(), 0); }

    public static KernelConfig prepatch() { return new KernelConfig(KernelVariant.PREPATCH, Set.of(), 0); }

    public KernelConfig with(Mutation m) {
        EnumSet<Mutation> s = mutations.isEmpty() ? EnumSet.noneOf(Mutation.class) : EnumSet.copyOf(mutations);
        s.add(m);
        return new KernelConfig(variant, s, seqModulus);
    }

    public KernelConfig withSeqModulus(long m) { return new KernelConfig(variant, mutations, m); }

    public boolean has(Mutation m) { return mutations.contains(m); }

    public boolean twoPass() { return variant == KernelVariant.MERGED; }
}
