package dev.mmucheck.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mmucheck.scheduling.LockstepScheduler.Where;

/**
 * A step given with a continuation goes on thread to thread: at each label, the process that
 * reached it names the next process (itself, another one, or none), and the controller gets
 * control back only when none is named, with the position of the process that stopped.
 */
class ContinuationTest {
    private final LockstepScheduler s = new LockstepScheduler(10_000);
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private void process(String name) {
        Thread t = new Thread(() -> {
            try {
                for (int k = 0; ; k++) {
                    s.at(k % 2 == 0 ? Label.INV_START_RANGE : Label.INV_CB_START);
                    log.add(name + k);
                }
            } catch (LockstepScheduler.Aborted a) {
                // the test is over
            }
        }, name);
        t.setDaemon(true);
        s.register(name, t);
        t.start();
    }

    @AfterEach
    void abort() { s.abort(); }

    @Test
    void theStepsANamedSequenceGivesAreTakenInOrderAndTheLastProcessIsReturned() throws InterruptedException {
        process("a");
        process("b");
        s.awaitAllSettled();
        List<String> order = java.util.Arrays.asList("b", "b", "a", null);   // after a's step: b, b again, then a, then stop
        int[] k = {0};
        List<String> askedBy = new ArrayList<>();
        LockstepScheduler.Position last = s.step("a", proc -> {
            askedBy.add(proc);
            return order.get(k[0]++);
        });
        assertEquals(List.of("a0", "b0", "b1", "a1"), log, "a, then b twice, then a, each one step");
        assertEquals(List.of("a", "b", "b", "a"), askedBy, "each process asked at the label it reached");
        assertEquals("a", last.proc());
        assertEquals(Where.AT_LABEL, last.where());
        assertEquals(Label.INV_START_RANGE, last.label());
        assertEquals(Label.INV_START_RANGE, s.position("b").label(), "b parked at its label");
        // without a continuation: one step, as before
        assertEquals("b", s.step("b").proc());
        assertEquals(List.of("a0", "b0", "b1", "a1", "b2"), log);
    }
}
