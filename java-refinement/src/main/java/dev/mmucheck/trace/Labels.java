package dev.mmucheck.trace;

import java.util.Optional;

import dev.mmucheck.scheduling.Label;

/**
 * What each label of the contract (specs/CONTRACT.md) does, in the kernel's words. The labels
 * themselves are {@link Label}, the scheduling points of the Java code; "init" is the initial
 * state's step record.
 */
public final class Labels {
    private Labels() {}

    public static String describe(String label) {
        if ("init".equals(label)) return "initial state";
        if ("oops".equals(label)) return "the task oopsed (the finish pass called a NULL invalidate_finish) and never returns";
        if ("done".equals(label)) return "finished";
        if ("removed".equals(label)) return "mmu_interval_notifier_remove returned";
        Optional<Label> l = Label.byContractName(label);
        return l.map(Label::what).orElse("(unknown label)");
    }

    public static boolean known(String label) { return "init".equals(label) || Label.byContractName(label).isPresent(); }
}
