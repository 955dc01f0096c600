package dev.mmucheck.machine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.mmucheck.TestProject;
import dev.mmucheck.modelcheck.Manifest;
import dev.mmucheck.modelcheck.ModelEntry;

/**
 * Every mutation model of model-check/manifest.json, on the Java code: with the mutation switched
 * on, random schedules of the Java machine of its base model reach a state that breaks the
 * property the manifest names (the same property TLC breaks). Without the mutation, the same
 * schedules break nothing. The property comes from the manifest, the oracle never reads the
 * mutation switch.
 */
class MutationCatalogueTest {
    static final int RUNS = 3000;
    static final int MAX_STEPS = 400;

    static List<ModelEntry> mutationModels() throws Exception {
        Manifest m = Manifest.read(TestProject.get().manifest());
        List<ModelEntry> out = new ArrayList<>();
        for (ModelEntry e : m.models()) if (!"none".equals(e.mutation())) out.add(e);
        return out;
    }

    @TestFactory
    Stream<DynamicTest> eachMutationBreaksItsNamedPropertyInJava() throws Exception {
        return mutationModels().stream().map(e -> DynamicTest.dynamicTest(e.name() + " breaks " + e.expect(), () -> {
            RandomExplorer ex = new RandomExplorer(Models.of(TestProject.get(), e, true), MAX_STEPS);
            for (int seed = 0; seed < RUNS; seed++) {
                RandomExplorer.Run r = ex.run(seed, java.util.Set.of(e.expect()));
                if (r.violated(e.expect())) {
                    System.out.printf("%s: %s broken in Java after %d steps (seed %d):%n%s", e.name(), e.expect(),
                            r.steps().size(), seed, r.describe());
                    return;
                }
            }
            fail(e.name() + ": " + RUNS + " random schedules of the Java code under " + e.mutation() + " never broke " + e.expect());
        }));
    }

    @TestFactory
    Stream<DynamicTest> theCodeAsMergedBreaksNothingOnTheBaseModels() {
        return Stream.of("default", "dynamic", "release", "two-blockable", "trylock-rest", "prepatch", "mixed", "release-small", "live-remove", "tree-walk", "unbind-small", "exclusive", "iommu").map(n ->
                DynamicTest.dynamicTest(n, () -> {
                    RandomExplorer ex = new RandomExplorer(Models.of(TestProject.get(), n), MAX_STEPS);
                    int finished = 0;
                    for (int seed = 0; seed < 1000; seed++) {
                        RandomExplorer.Run r = ex.run(seed);
                        List<Violation> v = new ArrayList<>(r.violations());
                        // trylock-rest's and mixed's models leave NoSleepInNonBlockable out: that is the trylock finding
                        if (n.equals("trylock-rest") || n.equals("mixed")) v.removeIf(x -> x.property().equals("NoSleepInNonBlockable"));
                        if (!v.isEmpty()) fail(n + ", seed " + seed + ":\n" + r.describe());
                        if (r.stuck()) fail(n + ", seed " + seed + ": no process can move, yet some have not returned:\n" + r.describe());
                        if (r.boundReached()) fail(n + ", seed " + seed + ": " + MAX_STEPS + " steps and some process has not returned (a livelock?)");
                        finished++;
                    }
                    assertEquals(1000, finished, n + ": every run returns");
                }));
    }

    @org.junit.jupiter.api.Test
    void theTrylockDriverSleepsInTheNonBlockableFinishPass() throws Exception {
        RandomExplorer ex = new RandomExplorer(Models.of(TestProject.get(), "trylock"), MAX_STEPS);
        for (int seed = 0; seed < RUNS; seed++) {
            RandomExplorer.Run r = ex.run(seed);
            if (r.violated("NoSleepInNonBlockable")) {
                assertFalse(r.steps().isEmpty());
                System.out.println("trylock finding in Java (seed " + seed + "):\n" + r.describe());
                return;
            }
        }
        fail("the trylock driver never slept in a non-blockable invalidation");
    }
}
