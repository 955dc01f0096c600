package dev.mmucheck.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import dev.mmucheck.TestProject;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** jqwik over schedules: any interleaving of the base models' processes keeps every property. */
class RandomScheduleProperties {
    @Provide
    Arbitrary<String> passingBases() {
        return Arbitraries.of("default", "dynamic", "release", "two-blockable", "prepatch");
    }

    @Property(tries = 300)
    void everyScheduleOfTheCodeAsMergedKeepsEveryProperty(@ForAll("passingBases") String model, @ForAll long seed)
            throws Exception {
        RandomExplorer.Run r = new RandomExplorer(Models.of(TestProject.get(), model), 400).run(seed);
        assertEquals(List.of(), r.violations(), () -> model + ", seed " + seed + ":\n" + r.describe());
    }
}
