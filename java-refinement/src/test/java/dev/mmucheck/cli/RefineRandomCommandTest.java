package dev.mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;

/** `mmu-check refine MODEL --random N`: its figures and verdict, a planted Java fault, bad usage. */
class RefineRandomCommandTest {
    private final String root = TestProject.get().root().toString();

    @Test
    void randomBehavioursPrintTheirRatesAndVerdict() {
        CliRun r = CliRun.of("refine", "default", "--random", "5", "--seed", "3", "--root", root);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("default: 5 behaviours (ended: {terminal=5})"), r.out());
        assertTrue(r.out().contains("behaviours/s") && r.out().contains("steps/s"), r.out());
        assertTrue(r.out().contains("every behaviour followed"), r.out());
    }

    @Test
    void aPlantedJavaFaultIsAMismatch() {
        CliRun r = CliRun.of("refine", "default", "--random", "20", "--java-mutation", "J4", "--root", root);
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("DIVERGED at path") && r.out().contains("LockNotHeldException"), r.out());
    }

    @Test
    void graphAndRandomTogetherAreBadUsage() {
        CliRun r = CliRun.of("refine", "default", "--graph", "--random", "5", "--root", root);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--graph and --random exclude each other"), r.err());
    }
}
