package dev.mmucheck.explain;

import java.util.List;

/**
 * What makes a property false at the end of a counterexample: a one-line summary naming the
 * process, GPU, page or notifier at fault, the trace's values it rests on, and how the steps
 * made it so.
 *
 * @param property the broken property
 * @param summary who is at fault, in one line
 * @param evidence the values at the violating state (and the states before it the story needs)
 * @param story the steps that made it so, each line naming its step
 * @param generic true when no finder knows the property (only the last step's changes are named)
 */
public record Culprit(String property, String summary, List<Evidence> evidence, List<String> story, boolean generic) {
    public Culprit {
        evidence = List.copyOf(new java.util.LinkedHashSet<>(evidence));
        story = inStepOrder(story);
    }

    private static final java.util.regex.Pattern STEP = java.util.regex.Pattern.compile("^step (\\d+)\\b");

    /** The story sorted by the step each line starts with; a line naming no step stays after the one before it. */
    private static List<String> inStepOrder(List<String> lines) {
        List<long[]> keys = new java.util.ArrayList<>();
        long key = -1;
        for (int k = 0; k < lines.size(); k++) {
            java.util.regex.Matcher m = STEP.matcher(lines.get(k));
            if (m.find()) key = Long.parseLong(m.group(1));
            keys.add(new long[] {key, k});
        }
        keys.sort(java.util.Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
        List<String> out = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (long[] a : keys) if (seen.add(lines.get((int) a[1]))) out.add(lines.get((int) a[1]));
        return List.copyOf(out);
    }
}
