package dev.mmucheck.machine;

import java.util.List;
import java.util.Set;

import dev.mmucheck.driver.DriverKind;
import dev.mmucheck.kernel.KernelConfig;

/**
 * The constants of one model (specs/MmuNotifierState.tla) in Java form. Pages are page numbers;
 * notifiers are listed in tree order (they are inserted in that order, and equal starts keep
 * insertion order in the interval tree, as TreeOrder says).
 */
public record MachineConfig(String name, KernelConfig kernel, DriverKind driver, List<Long> pages, List<String> gpus,
                            List<NotifierSpec> notifiers, List<InvalidatorSpec> invalidators, List<ReaderSpec> readers) {

    /** A notifier: its GPU (driver instance), its pages, two-pass or not, inserted/removed by a lifecycle process. */
    public record NotifierSpec(String name, String gpu, long firstPage, long lastPage, boolean twoPass, boolean dynamic) {
        public NotifierSpec withTwoPass(boolean t) { return new NotifierSpec(name, gpu, firstPage, lastPage, t, dynamic); }
    }

    /**
     * An invalidator: blockable (a range_start caller) or not (the OOM reaper), or the releaser
     * (exit_mmap: whole range, once); the ranges it may pick, each a set of pages; how many invalidations it does.
     */
    public record InvalidatorSpec(String name, boolean blockable, boolean release, List<Set<Long>> ranges, int maxInv) {}

    /** A reader: the notifier it faults through, the page, how many installs it does. */
    public record ReaderSpec(String name, String notifier, long page, int maxReads) {}

    public MachineConfig withKernel(KernelConfig k) {
        return new MachineConfig(name, k, driver, pages, gpus, notifiers, invalidators, readers);
    }

    public NotifierSpec notifier(String n) {
        return notifiers.stream().filter(x -> x.name().equals(n)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model " + name + " has no notifier " + n));
    }
}
