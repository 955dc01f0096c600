package dev.mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;

/** mmu-check replay and stress: exit codes and what they print. */
class JavaCommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--root";
        all[args.length + 1] = TestProject.get().root().toString();
        return Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() { return out.toString(StandardCharsets.UTF_8); }

    /** The length of M10's committed counterexample, as the manifest records it. */
    private static long m10Steps() {
        try {
            return dev.mmucheck.modelcheck.Manifest.read(TestProject.get().manifest()).find("M10").orElseThrow().steps();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void replayOfACounterexampleUnderItsMutationMatchesEveryStep() {
        assertEquals(0, run("replay", "M10"), out() + err);
        assertTrue(out().contains("took all " + m10Steps() + " steps") && out().contains("RemovedIsQuiet"), out());
    }

    @Test
    void replayOnTheCodeAsMergedNamesTheStepWhereItDiverges() {
        assertEquals(1, run("replay", "M10", "--without-mutation"), out() + err);
        // the last step, remove_wait, is where M10's unlocked seq check lets the remove go early
        assertTrue(out().contains("DIVERGED at step " + m10Steps() + " (blocked)"), out());
    }

    @Test
    void anUnknownTraceIsBadInput() {
        assertEquals(2, run("replay", "no-such-model"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown trace 'no-such-model'"));
    }

    @Test
    void aStressRunUnderD1FailsAndNamesTheProperty() {
        assertEquals(1, run("stress", "--ops", "200000", "--mutation", "D1"), out() + err);
        assertTrue(out().contains("VIOLATED NoStaleDeviceAccess"), out());
    }
}
