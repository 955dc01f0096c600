package dev.mmucheck.machine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mmucheck.driver.DriverKind;
import dev.mmucheck.explain.ModelConstants;
import dev.mmucheck.kernel.KernelConfig;
import dev.mmucheck.kernel.KernelVariant;
import dev.mmucheck.kernel.Mutation;
import dev.mmucheck.machine.MachineConfig.InvalidatorSpec;
import dev.mmucheck.machine.MachineConfig.NotifierSpec;
import dev.mmucheck.machine.MachineConfig.ReaderSpec;
import dev.mmucheck.modelcheck.ModelEntry;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.TlaValue;

/**
 * The Java form of a model: built from its configuration's constants, with the definitions of
 * specs/MC.tla the configuration substitutes (what {@link ModelConstants} evaluates), so the
 * constants of a model live in one place, the .cfg and MC.tla. This serves every model of the
 * manifest and any configuration of one's own (a counterexample of it replays on Java). A
 * constant the Java machine cannot express (a notifier over pages that are not one interval, an
 * initial tree other than every notifier that is not dynamic) is an IllegalArgumentException naming it.
 */
public final class Models {
    private Models() {}

    /** The Java form of manifest model {@code name}, its mutation (if any) switched on. */
    public static MachineConfig of(Project project, String name) throws IOException {
        return fromConfiguration(project, name, true);
    }

    /**
     * The Java form of manifest model {@code e}, with its mutation switched on if {@code withMutation}.
     */
    public static MachineConfig of(Project project, ModelEntry e, boolean withMutation) throws IOException {
        return fromConfiguration(project, e.name(), withMutation);
    }

    private static MachineConfig fromConfiguration(Project project, String name, boolean withMutation) throws IOException {
        java.nio.file.Path cfg = project.cfg(name);
        if (!java.nio.file.Files.isRegularFile(cfg)) throw new IllegalArgumentException("model " + name + " has no configuration " + cfg);
        return fromConstants(name, ModelConstants.read(cfg, project.spec()), withMutation);
    }

    public static MachineConfig fromConstants(String name, ModelConstants c, boolean withMutation) {
        String kernel = text(c, "Kernel");
        KernelVariant variant = switch (kernel) {
            case "merged" -> KernelVariant.MERGED;
            case "prepatch" -> KernelVariant.PREPATCH;
            default -> throw new IllegalArgumentException(name + ": Kernel = \"" + kernel + "\" has no Java form (merged or prepatch)");
        };
        KernelConfig k = new KernelConfig(variant, Set.of(), Long.parseLong(text(c, "SeqMod")));
        String mutation = text(c, "Mutation");
        if (withMutation && !"none".equals(mutation)) {
            k = k.with(Mutation.byId(mutation).orElseThrow(() -> new IllegalArgumentException(
                    name + ": unknown mutation '" + mutation + "' (the Java code knows " + java.util.Arrays.toString(Mutation.values()) + ")")));
        }
        Map<String, DriverKind> drivers = new LinkedHashMap<>();
        for (String g : members(c, "Gpus")) {
            String d = c.apply("Driver", g).map(ModelConstants::plain).orElseThrow(() -> missing(name, "Driver[" + g + "]"));
            drivers.put(g, DriverKind.bySpecName(d).orElseThrow(() ->
                    new IllegalArgumentException(name + ": Driver[" + g + "] = \"" + d + "\" has no Java form")));
        }
        List<Long> pages = members(c, "Pages").stream().map(Long::parseLong).toList();
        Set<String> dynamic = new LinkedHashSet<>(members(c, "Dynamic")), twoPass = new LinkedHashSet<>(members(c, "TwoPass"));
        Set<String> expectedTree = new LinkedHashSet<>(members(c, "Notifiers"));
        expectedTree.removeAll(dynamic);
        if (!new LinkedHashSet<>(members(c, "InitialTree")).equals(expectedTree))
            throw new IllegalArgumentException(name + ": the Java machine starts with every notifier but the Dynamic ones in the tree; InitialTree = "
                    + members(c, "InitialTree"));
        List<NotifierSpec> notifiers = new ArrayList<>();
        TlaValue order = c.get("TreeOrder").orElseThrow(() -> missing(name, "TreeOrder"));
        if (!(order instanceof TlaValue.SeqV seq)) throw new IllegalArgumentException(name + ": TreeOrder is not a sequence: " + order);
        Set<String> declared = new LinkedHashSet<>(members(c, "Notifiers"));
        for (TlaValue nv : seq.elements()) {
            String n = ModelConstants.plain(nv);
            if (!declared.contains(n)) continue;   // TreeOrder may list notifiers the model leaves out (MC.tla's DefTreeOrder)
            List<Long> ps = setOf(c.apply("NotifierPages", n).orElseThrow(() -> missing(name, "NotifierPages[" + n + "]")));
            long first = ps.stream().min(Long::compare).orElseThrow(() -> missing(name, "NotifierPages[" + n + "] (empty)"));
            long last = ps.stream().max(Long::compare).orElseThrow();
            if (last - first + 1 != ps.size()) throw new IllegalArgumentException(name + ": NotifierPages[" + n + "] = " + ps + " is not one interval");
            String gpu = c.apply("NotifierGpu", n).map(ModelConstants::plain).orElseThrow(() -> missing(name, "NotifierGpu[" + n + "]"));
            notifiers.add(new NotifierSpec(n, gpu, first, last, variant == KernelVariant.MERGED && twoPass.contains(n), dynamic.contains(n)));
        }
        Set<String> blockable = new LinkedHashSet<>(members(c, "Blockable")), releasers = new LinkedHashSet<>(members(c, "Releasers"));
        List<InvalidatorSpec> invalidators = new ArrayList<>();
        for (String i : members(c, "Invalidators")) {
            TlaValue ranges = c.apply("InvRanges", i).orElseThrow(() -> missing(name, "InvRanges[" + i + "]"));
            List<Set<Long>> rs = new ArrayList<>();
            if (ranges instanceof TlaValue.SetV s) for (TlaValue r : s.elements()) rs.add(new LinkedHashSet<>(setOf(r)));
            int max = Integer.parseInt(c.apply("MaxInv", i).map(ModelConstants::plain).orElseThrow(() -> missing(name, "MaxInv[" + i + "]")));
            invalidators.add(new InvalidatorSpec(i, blockable.contains(i) || releasers.contains(i), releasers.contains(i), rs, max));
        }
        int maxReads = Integer.parseInt(text(c, "MaxReads"));
        // the model switches (GpuDriver.tla's definitions a .cfg may override): absent, their defaults
        Set<String> exclusive = c.known("ExclusiveReaders") ? new LinkedHashSet<>(c.members("ExclusiveReaders")) : Set.of();
        boolean iommu = c.known("ModelIommu") && "TRUE".equals(text(c, "ModelIommu"));
        List<ReaderSpec> readers = new ArrayList<>();
        for (String r : members(c, "Readers")) {
            String n = c.apply("ReaderNotifier", r).map(ModelConstants::plain).orElseThrow(() -> missing(name, "ReaderNotifier[" + r + "]"));
            long page = Long.parseLong(c.apply("ReaderPage", r).map(ModelConstants::plain).orElseThrow(() -> missing(name, "ReaderPage[" + r + "]")));
            readers.add(new ReaderSpec(r, n, page, maxReads, exclusive.contains(r)));
        }
        return new MachineConfig(name, k, drivers, pages, notifiers, invalidators, readers, iommu);
    }

    private static String text(ModelConstants c, String constant) {
        return c.get(constant).map(ModelConstants::plain).orElseThrow(() -> missing(c.source(), constant));
    }

    private static List<String> members(ModelConstants c, String constant) {
        if (!c.known(constant)) throw missing(c.source(), constant);
        return c.members(constant);
    }

    private static List<Long> setOf(TlaValue v) {
        if (!(v instanceof TlaValue.SetV s)) throw new IllegalArgumentException("expected a set of pages, got " + v);
        return s.elements().stream().map(x -> Long.parseLong(ModelConstants.plain(x))).toList();
    }

    private static IllegalArgumentException missing(String where, String what) {
        return new IllegalArgumentException(where + ": no value for " + what + " (the Java form of the model needs it)");
    }
}
