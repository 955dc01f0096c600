package dev.mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.mmucheck.TestProject;
import dev.mmucheck.machine.Models;
import dev.mmucheck.modelcheck.Manifest;
import dev.mmucheck.modelcheck.ModelEntry;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfTrace;

/**
 * Every committed counterexample, replayed on the Java code step by step with the states
 * compared: under its mutation the Java code takes every step TLC took, its abstraction equals
 * TLC's state after each, and it breaks the same property; with the mutation off, the replay
 * diverges (the step where it does is printed).
 */
class CounterexampleRefinementTest {

    static List<ModelEntry> withTraces() throws Exception {
        List<ModelEntry> out = new ArrayList<>();
        for (ModelEntry e : Manifest.read(TestProject.get().manifest()).models()) if (!e.expectsPass()) out.add(e);
        return out;
    }

    @TestFactory
    Stream<DynamicTest> theJavaCodeFollowsEveryCounterexampleAndBreaksItsProperty() throws Exception {
        return withTraces().stream().map(e -> DynamicTest.dynamicTest(e.name() + " (" + e.expect() + ")", () -> {
            ItfTrace t = Itf.read(TestProject.get().counterexample(e.name()));
            TraceReplay.Result r = TraceReplay.replay(t, Models.of(TestProject.get(), e, true), e.name());
            if (r.divergence().isPresent()) {
                fail(e.name() + ".itf.json: the Java code diverged from TLC after " + r.matched() + " of " + r.steps()
                        + " steps: " + r.divergence().get());
            }
            if (!e.liveness()) {
                assertTrue(r.violated(e.expect()), e.name() + ": Java followed all " + r.steps() + " steps but broke "
                        + r.violations() + ", not " + e.expect());
            }
            System.out.printf("%s: Java matched TLC in all %d steps and broke %s%n", e.name(), r.steps(),
                    e.liveness() ? "(liveness: the lasso's states)" : e.expect());
        }));
    }

    @TestFactory
    Stream<DynamicTest> withTheMutationOffTheJavaCodeDivergesFromTheCounterexample() throws Exception {
        return withTraces().stream().filter(e -> !"none".equals(e.mutation())).map(e -> DynamicTest.dynamicTest(e.name(), () -> {
            ItfTrace t = Itf.read(TestProject.get().counterexample(e.name()));
            TraceReplay.Result r = TraceReplay.replay(t, Models.of(TestProject.get(), e, false), e.name());
            assertTrue(r.divergence().isPresent() || !r.violated(e.expect()),
                    e.name() + ": the code as merged followed the whole counterexample and broke " + e.expect());
            System.out.printf("%s without %s: %s%n", e.name(), e.mutation(),
                    r.divergence().map(Object::toString).orElse("followed every step, property kept"));
        }));
    }
}
