package dev.mmucheck.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.mmucheck.TestProject;
import dev.mmucheck.modelcheck.Manifest;
import dev.mmucheck.modelcheck.ModelEntry;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.SpecVersion;
import dev.mmucheck.tlc.TlaValue;

/**
 * Every committed counterexample, one dynamic test each: it is current, it breaks the property
 * its manifest entry names in the number of steps recorded, its steps are steps of the contract,
 * and (where Java can evaluate the property from the state) the property holds in every state
 * but the last and fails in the last: TLC's claim, checked again without TLC.
 */
class CounterexampleReplayTest {

    @TestFactory
    Stream<DynamicTest> everyCounterexampleBreaksItsNamedProperty() throws Exception {
        Project project = TestProject.get();
        Manifest manifest = Manifest.read(project.manifest());
        String version = SpecVersion.of(project.specs());
        List<DynamicTest> tests = new ArrayList<>();
        for (ModelEntry m : manifest.models()) {
            if (m.expectsPass()) continue;
            tests.add(dynamicTest(m.name() + " breaks " + m.expect(), () -> {
                ItfTrace t = Itf.read(project.counterexample(m.name()));
                assertEquals(version, t.metaString("specVersion"), "counterexample is from another spec version: make export");
                assertEquals(m.expect(), t.metaString("property"));
                assertEquals(m.steps(), t.steps(), "steps recorded in the manifest");
                for (int k = 0; k < t.states().size(); k++) {
                    TlaValue.RecordV step = (TlaValue.RecordV) t.states().get(k).get("step");
                    String label = StateProperties.str(step.get("label"));
                    assertTrue(Labels.known(label), "state " + k + ": label " + label + " is not in the contract");
                    assertEquals(k == 0, label.equals("init"), "state " + k + ": only the initial state has label init");
                }
                var inv = StateProperties.invariant(m.expect());
                if (inv.isPresent()) {
                    Predicate<Map<String, TlaValue>> p = inv.get();
                    for (int k = 0; k < t.steps(); k++)
                        assertTrue(p.test(t.states().get(k)), m.expect() + " already fails in state " + k);
                    assertFalse(p.test(t.states().get(t.steps())), m.expect() + " holds in the last state");
                }
                var act = StateProperties.ACTIONS.get(m.expect());
                if (act != null) {
                    for (int k = 0; k + 1 < t.steps(); k++)
                        assertTrue(act.test(t.states().get(k), t.states().get(k + 1)), m.expect() + " fails at step " + (k + 1));
                    assertFalse(act.test(t.states().get(t.steps() - 1), t.states().get(t.steps())),
                            m.expect() + " holds on the last step");
                }
                if (m.liveness()) assertTrue(t.loop().isPresent(), "a liveness counterexample is a lasso");
            }));
        }
        return tests.stream();
    }
}
