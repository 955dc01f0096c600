package dev.mmucheck.tlc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TLC's own command-line options, as a TLA+ user types them ({@code -workers 1 -simulate num=50}),
 * passed through to TLC. Options that would mislead automation are refused, each with the reason;
 * options mmu-check sets itself ({@code -config}, {@code -fp}, {@code -metadir}) are refused too.
 *
 * @param workers {@code -workers N}, or empty for mmu-check's choice
 * @param simulate {@code -simulate [num=N]}: the number of random behaviours, or empty for an exhaustive check
 * @param depth {@code -depth N}: the length of each simulated behaviour (simulation only)
 * @param seed {@code -seed N} (simulation only)
 * @param noDeadlock {@code -deadlock}: do not check for deadlock
 * @param coverage {@code -coverage M}: TLC's coverage report every M minutes, into its log
 */
public record TlcOptions(Optional<Integer> workers, Optional<Long> simulate, Optional<Integer> depth,
                         Optional<Long> seed, boolean noDeadlock, Optional<Integer> coverage) {

    /** How many behaviours {@code -simulate} without {@code num=N} draws (TLC itself would run until stopped). */
    public static final long DEFAULT_SIMULATIONS = 1000;

    public static final TlcOptions NONE = new TlcOptions(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), false, Optional.empty());

    /** What each refused option does wrong here. */
    static final Map<String, String> REFUSED = Map.of(
            "-continue", "with -continue TLC goes on after a violation and exits 0, so a script reading the exit code sees success",
            "-generateSpecTE", "-generateSpecTE makes TLC 2.18 write and re-parse a trace module and can hang; mmu-check writes every counterexample as ITF itself",
            "-dump", "-dump writes every state to a file outside build/ and can fill the disk; the state graph is not needed to check a model",
            "-config", "mmu-check sets -config itself: give the configuration as the model argument (NAME or PATH.cfg)",
            "-fp", "mmu-check sets -fp 1 so that a counterexample is the same on every run",
            "-metadir", "mmu-check keeps TLC's states in build/tlc/NAME and removes them afterwards",
            "-dfid", "-dfid (depth-first) finds other, longer counterexamples than the committed ones and no state count to compare",
            "-recover", "-recover resumes a run that mmu-check removed; rerun the model instead",
            "-checkpoint", "mmu-check removes TLC's states after each run, so a checkpoint would not survive");

    /** The options this class knows, for messages. */
    public static final String ACCEPTED = "-workers N, -simulate [num=N], -depth N (with -simulate), -seed N (with -simulate), -deadlock, -coverage M";

    /** Takes TLC's options out of {@code args}; what is left is returned in {@code rest}. */
    public static TlcOptions extract(List<String> args, List<String> rest) {
        Optional<Integer> workers = Optional.empty(), depth = Optional.empty(), coverage = Optional.empty();
        Optional<Long> simulate = Optional.empty(), seed = Optional.empty();
        boolean noDeadlock = false;
        for (int k = 0; k < args.size(); k++) {
            String a = args.get(k);
            if (!a.startsWith("-") || a.startsWith("--") || a.length() < 3) {   // ours (--x, -h) or a positional
                rest.add(a);
                continue;
            }
            if (REFUSED.containsKey(a)) throw new IllegalArgumentException("refused TLC option " + a + ": " + REFUSED.get(a));
            switch (a) {
                case "-workers" -> workers = Optional.of((int) number(args, ++k, a, 1));
                case "-depth" -> depth = Optional.of((int) number(args, ++k, a, 1));
                case "-seed" -> seed = Optional.of(number(args, ++k, a, Long.MIN_VALUE));
                case "-coverage" -> coverage = Optional.of((int) number(args, ++k, a, 1));
                case "-deadlock" -> noDeadlock = true;
                case "-simulate" -> {
                    long n = DEFAULT_SIMULATIONS;
                    if (k + 1 < args.size() && args.get(k + 1).startsWith("num=")) {
                        String v = args.get(++k).substring(4);
                        try {
                            n = Long.parseLong(v);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("-simulate num=N: expected a number, got '" + v + "'");
                        }
                        if (n < 1) throw new IllegalArgumentException("-simulate num=N: expected at least 1, got " + n);
                    }
                    simulate = Optional.of(n);
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (TLC options passed through: " + ACCEPTED + ")");
            }
        }
        if (simulate.isEmpty() && depth.isPresent())
            throw new IllegalArgumentException("-depth bounds a simulated behaviour only: add -simulate (TLC's exhaustive search has no depth bound)");
        if (simulate.isEmpty() && seed.isPresent())
            throw new IllegalArgumentException("-seed seeds the simulation only: add -simulate (the exhaustive search is not random)");
        return new TlcOptions(workers, simulate, depth, seed, noDeadlock, coverage);
    }

    private static long number(List<String> args, int k, String opt, long min) {
        if (k >= args.size()) throw new IllegalArgumentException(opt + ": expected a number after it");
        try {
            long v = Long.parseLong(args.get(k));
            if (v < min) throw new IllegalArgumentException(opt + ": expected at least " + min + ", got " + v);
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + ": expected a number, got '" + args.get(k) + "'");
        }
    }

    /** Whether the run explores every reachable state, so that its state count can be held against the manifest. */
    public boolean exhaustive() { return simulate.isEmpty(); }

    /** A refusal for a liveness model (several workers), or empty. */
    public Optional<String> refusalForLiveness() {
        if (workers.isPresent() && workers.get() > 1)
            return Optional.of("-workers " + workers.get() + " on a liveness model: TLC 2.18 can miss liveness violations with "
                    + "several workers (TLC issue #971); liveness models run with one worker");
        return Optional.empty();
    }

    /** The options for TLC's command line, except -workers (which the runner passes). */
    public String extra() {
        List<String> o = new ArrayList<>();
        simulate.ifPresent(n -> { o.add("-simulate"); o.add("num=" + n); });
        depth.ifPresent(d -> { o.add("-depth"); o.add(d.toString()); });
        seed.ifPresent(s -> { o.add("-seed"); o.add(s.toString()); });
        if (noDeadlock) o.add("-deadlock");
        coverage.ifPresent(c -> { o.add("-coverage"); o.add(c.toString()); });
        return String.join(" ", o);
    }

    /** For people: what was passed, or "" for none. */
    public String describe() {
        String e = extra();
        return workers.map(w -> ("-workers " + w + " " + e).strip()).orElse(e);
    }
}
