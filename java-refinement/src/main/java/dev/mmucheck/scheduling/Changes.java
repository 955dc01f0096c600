package dev.mmucheck.scheduling;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Which of the spec's variables ({@link SpecVar}) the Java machine may have changed since the
 * refinement last compared it with TLC's state: one bit per variable, set by the code that writes
 * the state the variable is read from (through a {@link Mark} the holder of that state was built
 * with), and taken by the comparison. A mark is conservative: a holder whose object may be changed
 * through a reference ({@link Guarded#get}) marks at every access. Starts with every bit set.
 *
 * <p>One per machine (held by its {@link Sched}). Marks are set from process threads and taken by
 * the thread that compares, after the hand-off: an atomic OR keeps them correct under free
 * running too (the stress run, where nobody takes them).
 */
public final class Changes {
    private final AtomicLong dirty = new AtomicLong(SpecVar.all());

    /** A pre-bound mark: the bits of the variables one holder's state is read into. */
    public record Mark(Changes changes, long bits) {
        /** No variable: state the abstraction does not read. */
        public static final Mark NONE = new Mark(null, 0);

        public void touch() {
            if (changes != null) changes.touch(bits);
        }
    }

    /** A mark of the variables {@code vars}. */
    public Mark mark(SpecVar... vars) {
        long b = 0;
        for (SpecVar v : vars) b |= v.bit();
        return new Mark(this, b);
    }

    /** The variables {@code vars} (a mask of {@link SpecVar#bit()}s) may have changed. */
    public void touch(long bits) {
        long d = dirty.get();
        if ((d & bits) != bits) dirty.getAndAccumulate(bits, (a, b) -> a | b);
    }

    public void touch(SpecVar v) { touch(v.bit()); }

    /** The variables marked since the last call, and clear them. */
    public long take() { return dirty.getAndSet(0); }
}
