package dev.mmucheck.machine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mmucheck.driver.DriverKind;
import dev.mmucheck.kernel.KernelConfig;

/**
 * The constants of one model (specs/MmuNotifierState.tla) in Java form. Pages are page numbers;
 * {@code drivers} maps each GPU, in order, to the driver of its instance (the spec's Driver, a
 * function of the GPU); notifiers are listed in tree order (they are inserted in that order, and
 * equal starts keep insertion order in the interval tree, as TreeOrder says).
 */
public record MachineConfig(String name, KernelConfig kernel, Map<String, DriverKind> drivers, List<Long> pages,
                            List<NotifierSpec> notifiers, List<InvalidatorSpec> invalidators, List<ReaderSpec> readers,
                            boolean iommu) {

    public MachineConfig {
        drivers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(drivers));
    }

    /** A model without the IOMMU mapping (the spec's ModelIommu left FALSE). */
    public MachineConfig(String name, KernelConfig kernel, Map<String, DriverKind> drivers, List<Long> pages,
                         List<NotifierSpec> notifiers, List<InvalidatorSpec> invalidators, List<ReaderSpec> readers) {
        this(name, kernel, drivers, pages, notifiers, invalidators, readers, false);
    }

    /** The same model with the IOMMU mapping modelled (the spec's ModelIommu <- IommuOn). */
    public MachineConfig withIommu() {
        return new MachineConfig(name, kernel, drivers, pages, notifiers, invalidators, readers, true);
    }

    /** Every GPU of {@code gpus} with driver {@code d} (the spec's AllXe, AllTrylock). */
    public static Map<String, DriverKind> all(DriverKind d, String... gpus) {
        Map<String, DriverKind> m = new LinkedHashMap<>();
        for (String g : gpus) m.put(g, d);
        return m;
    }

    /** The GPUs, in order. */
    public List<String> gpus() { return List.copyOf(drivers.keySet()); }

    /** The driver of GPU {@code g}'s instance. */
    public DriverKind driverOf(String g) {
        DriverKind d = drivers.get(g);
        if (d == null) throw new IllegalArgumentException("model " + name + " has no GPU " + g);
        return d;
    }

    /** A notifier: its GPU (driver instance), its pages, two-pass or not, inserted/removed by a lifecycle process. */
    public record NotifierSpec(String name, String gpu, long firstPage, long lastPage, boolean twoPass, boolean dynamic) {
        public NotifierSpec withTwoPass(boolean t) { return new NotifierSpec(name, gpu, firstPage, lastPage, t, dynamic); }
    }

    /**
     * An invalidator: blockable (a range_start caller) or not (the OOM reaper), or the releaser
     * (exit_mmap: whole range, once); the ranges it may pick, each a set of pages; how many invalidations it does.
     */
    public record InvalidatorSpec(String name, boolean blockable, boolean release, List<Set<Long>> ranges, int maxInv) {}

    /**
     * A reader: the notifier it faults through, the page, how many installs it does; {@code exclusive}:
     * its fault path asks for exclusive access (make_device_exclusive_range, the spec's ExclusiveReaders).
     */
    public record ReaderSpec(String name, String notifier, long page, int maxReads, boolean exclusive) {
        public ReaderSpec(String name, String notifier, long page, int maxReads) { this(name, notifier, page, maxReads, false); }
    }

    public MachineConfig withKernel(KernelConfig k) {
        return new MachineConfig(name, k, drivers, pages, notifiers, invalidators, readers, iommu);
    }

    public NotifierSpec notifier(String n) {
        return notifiers.stream().filter(x -> x.name().equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model " + name + " has no notifier " + n));
    }
}
