package dev.mmucheck.machine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.mmucheck.driver.DriverKind;
import dev.mmucheck.kernel.KernelConfig;
import dev.mmucheck.kernel.KernelVariant;
import dev.mmucheck.machine.MachineConfig.InvalidatorSpec;
import dev.mmucheck.machine.MachineConfig.NotifierSpec;
import dev.mmucheck.machine.MachineConfig.ReaderSpec;

/**
 * The base models of model-check/models in Java form (the definitions of specs/MC.tla and the
 * constants of each .cfg). They are held to MC.tla by the replays: CounterexampleRefinementTest
 * compares the Java machine with TLC's state from the initial state of every committed
 * counterexample on, and BehaviourRefinementTest does so on random behaviours of the passing
 * models, so a change on one side that the other misses fails a test.
 */
public final class Models {
    private Models() {}

    private static final NotifierSpec N1 = new NotifierSpec("n1", "g1", 1, 1, true, false);
    private static final NotifierSpec N2 = new NotifierSpec("n2", "g2", 1, 1, true, false);
    private static final NotifierSpec N3 = new NotifierSpec("n3", "g2", 1, 2, false, false);
    /** MC.tla's dynamic d1: two-pass, on its own GPU g3, over page 3 (the page every other notifier misses) */
    private static final NotifierSpec D1 = new NotifierSpec("d1", "g3", 3, 3, true, true);
    private static final InvalidatorSpec I1 = new InvalidatorSpec("i1", true, false, List.of(Set.of(1L), Set.of(2L)), 1);
    private static final InvalidatorSpec I2 = new InvalidatorSpec("i2", false, false, List.of(Set.of(1L), Set.of(3L)), 1);
    private static final InvalidatorSpec I3 = new InvalidatorSpec("i3", true, false, List.of(Set.of(1L)), 1);
    /** MC.tla's DynInvRanges: page 1 or page 3 */
    private static final InvalidatorSpec DYN_I1 = new InvalidatorSpec("i1", true, false, List.of(Set.of(1L), Set.of(3L)), 1);
    private static final InvalidatorSpec DYN_I2 = new InvalidatorSpec("i2", false, false, List.of(Set.of(1L), Set.of(3L)), 1);
    private static final InvalidatorSpec REL = new InvalidatorSpec("rel", true, true, List.of(Set.of(1L, 2L, 3L)), 1);
    /** MC.tla's DefReader*: r1 faults page 1 through n1 (GPU g1), r2 page 2 through n3 (GPU g2) */
    private static List<ReaderSpec> readers(int maxReads) {
        return List.of(new ReaderSpec("r1", "n1", 1, maxReads), new ReaderSpec("r2", "n3", 2, maxReads));
    }

    private static MachineConfig base(String name, KernelConfig k, DriverKind d, List<NotifierSpec> ns,
                                      List<InvalidatorSpec> is, int maxReads) {
        return new MachineConfig(name, k, MachineConfig.all(d, "g1", "g2"), List.of(1L, 2L, 3L), ns, is, readers(maxReads));
    }

    private static final KernelConfig MERGED8 = new KernelConfig(KernelVariant.MERGED, Set.of(), 8);
    private static final KernelConfig MERGED16 = new KernelConfig(KernelVariant.MERGED, Set.of(), 16);

    private static final Map<String, MachineConfig> BASES = Map.of(
            "default", base("default", MERGED8, DriverKind.XE, List.of(N1, N2, N3), List.of(I1, I2), 2),
            // live-default: default with one install per reader (its .cfg keeps the liveness model quick)
            "live-default", base("live-default", MERGED8, DriverKind.XE, List.of(N1, N2, N3), List.of(I1, I2), 1),
            "release", base("release", MERGED16, DriverKind.XE, List.of(N1, N2, N3), List.of(I1, I2, REL), 2),
            "two-blockable", base("two-blockable", MERGED16, DriverKind.XE, List.of(N1, N2, N3), List.of(I1, I2, I3), 2),
            // dynamic: d1 on g3; MC.tla's DynReader*: r1 faults page 1 through n1 (g1), r3 page 3 through d1 (g3)
            "dynamic", new MachineConfig("dynamic", MERGED8, MachineConfig.all(DriverKind.XE, "g1", "g2", "g3"), List.of(1L, 2L, 3L),
                    List.of(N1, N2, N3, D1), List.of(DYN_I1, DYN_I2),
                    List.of(new ReaderSpec("r1", "n1", 1, 1), new ReaderSpec("r3", "d1", 3, 1))),
            "trylock-rest", base("trylock-rest", MERGED8, DriverKind.TRYLOCK, List.of(N1, N2, N3), List.of(I1, I2), 2),
            "trylock", base("trylock", MERGED8, DriverKind.TRYLOCK, List.of(N1, N2, N3), List.of(I1, I2), 2),
            // trylock-finish: the OOM reaper alone on n1 and n2, r1 the only reader (n3 is not in the model)
            "trylock-finish", new MachineConfig("trylock-finish", MERGED8, MachineConfig.all(DriverKind.TRYLOCK, "g1", "g2"),
                    List.of(1L, 2L, 3L), List.of(N1, N2), List.of(I2), readers(2).subList(0, 1)),
            "prepatch", base("prepatch", new KernelConfig(KernelVariant.PREPATCH, Set.of(), 8), DriverKind.XE,
                    List.of(N1.withTwoPass(false), N2.withTwoPass(false), N3), List.of(I1, I2), 2));

    /** MC.tla's MixedDriver: the trylock driver on g1, xe on g2. */
    private static Map<String, DriverKind> trylockG1XeG2() {
        Map<String, DriverKind> d = MachineConfig.all(DriverKind.TRYLOCK, "g1");
        d.put("g2", DriverKind.XE);
        return d;
    }

    /**
     * Small quick-set models that reach what default does not (MC.tla's MixedDriver, RelSmall*):
     * mixed has the trylock driver on g1 and xe on g2 (the OOM reaper's -EAGAIN leaves g1's finish
     * queued), one install per reader; release-small is release with i1 and exit_mmap's release
     * only, one install per reader (both blockable, so one finds xe's finish in use); live-remove
     * is d1 inserted and removed while i1 and i2 invalidate, no readers (a remove that waits);
     * release-dynamic is release-small plus d1 (on g3, as in dynamic: a remove while exit_mmap's release runs).
     */
    private static final Map<String, MachineConfig> SMALL_BASES = Map.of(
            "live-remove", new MachineConfig("live-remove", MERGED8, MachineConfig.all(DriverKind.XE, "g1", "g2", "g3"), List.of(1L, 2L, 3L),
                    List.of(N1, N2, N3, D1), List.of(I1, I2), List.of()),
            "mixed", new MachineConfig("mixed", MERGED8, trylockG1XeG2(), List.of(1L, 2L, 3L), List.of(N1, N2, N3), List.of(I1, I2), readers(1)),
            "release-small", base("release-small", MERGED8, DriverKind.XE, List.of(N1, N2, N3), List.of(I1, REL), 1),
            "release-dynamic", new MachineConfig("release-dynamic", MERGED8, MachineConfig.all(DriverKind.XE, "g1", "g2", "g3"), List.of(1L, 2L, 3L),
                    List.of(N1, N2, N3, D1), List.of(I1, REL), readers(1)));

    /**
     * xe's models on one GPU (MC.tla's Xe* definitions): n1 over page 1 on g1, its reader r1 (one
     * install); xe-flows: two blockable invalidations of page 1 on xe-fences; xe-inject[-assert,-submit]:
     * one on xe-inject; xe-inject-fixed: one on xe-inject-fixed, two installs.
     */
    private static MachineConfig xe(String name, DriverKind d, List<InvalidatorSpec> is) { return xe(name, d, is, 1); }

    private static MachineConfig xe(String name, DriverKind d, List<InvalidatorSpec> is, int maxReads) {
        return new MachineConfig(name, MERGED8, MachineConfig.all(d, "g1"), List.of(1L), List.of(N1), is,
                List.of(new ReaderSpec("r1", "n1", 1, maxReads)));
    }

    private static final InvalidatorSpec XE_I1 = new InvalidatorSpec("i1", true, false, List.of(Set.of(1L)), 1);

    private static final Map<String, MachineConfig> XE_BASES = Map.of(
            "xe-flows", xe("xe-flows", DriverKind.XE_FENCES, List.of(XE_I1, I3)),
            "xe-inject", xe("xe-inject", DriverKind.XE_INJECT, List.of(XE_I1)),
            "xe-inject-assert", xe("xe-inject-assert", DriverKind.XE_INJECT, List.of(XE_I1)),
            "xe-inject-submit", xe("xe-inject-submit", DriverKind.XE_INJECT, List.of(XE_I1)),
            "xe-inject-fixed", xe("xe-inject-fixed", DriverKind.XE_INJECT_FIXED, List.of(XE_I1), 2));

    private static final java.util.regex.Pattern WRAP = java.util.regex.Pattern.compile("wrap-k(\\d+)-m(\\d+)");

    /**
     * wrap-kK-mM: one reader of n1 while one blockable invalidator performs K invalidations of
     * page 1, invalidate_seq modulo M (MC.tla's Wrap* definitions).
     */
    static MachineConfig wrap(String name, int k, int m) {
        return new MachineConfig(name, new KernelConfig(KernelVariant.MERGED, Set.of(), m), MachineConfig.all(DriverKind.XE, "g1"), List.of(1L),
                List.of(N1), List.of(new InvalidatorSpec("i1", true, false, List.of(Set.of(1L)), k)),
                List.of(new ReaderSpec("r1", "n1", 1, 1)));
    }

    /** The base model {@code name} (live-dynamic is dynamic; live-default is default with MaxReads = 1). */
    public static Optional<MachineConfig> base(String name) {
        java.util.regex.Matcher w = WRAP.matcher(name);
        if (w.matches()) return Optional.of(wrap(name, Integer.parseInt(w.group(1)), Integer.parseInt(w.group(2))));
        String n = switch (name) {
            case "live-dynamic" -> "dynamic";
            default -> name;
        };
        if (XE_BASES.containsKey(n)) return Optional.of(XE_BASES.get(n));
        return Optional.ofNullable(BASES.containsKey(n) ? BASES.get(n) : SMALL_BASES.get(n));
    }

    public static Set<String> names() {
        Set<String> all = new java.util.TreeSet<>(BASES.keySet());
        all.addAll(SMALL_BASES.keySet());
        all.addAll(XE_BASES.keySet());
        return all;
    }

    /**
     * The Java form of a model of the manifest: its base model (or itself), with its mutation
     * switched on if {@code withMutation}. Throws if the model has no Java form.
     */
    public static MachineConfig of(dev.mmucheck.modelcheck.ModelEntry e, boolean withMutation) {
        String b = e.base() != null ? e.base() : e.name();
        MachineConfig c = base(b).orElseThrow(() -> new IllegalArgumentException(
                "model " + b + " has no Java form yet (dev.mmucheck.machine.Models knows " + names() + " and wrap-kK-mM)"));
        if (withMutation && e.mutation() != null && !"none".equals(e.mutation())) {
            dev.mmucheck.kernel.Mutation m = dev.mmucheck.kernel.Mutation.byId(e.mutation()).orElseThrow(() ->
                    new IllegalArgumentException("model " + e.name() + ": unknown mutation '" + e.mutation() + "'"));
            c = c.withKernel(c.kernel().with(m));
        }
        return c;
    }
}
