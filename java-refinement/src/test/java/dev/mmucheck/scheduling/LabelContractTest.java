package dev.mmucheck.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;

/** The labels of specs/CONTRACT.md and the scheduling points of the Java code are the same set. */
class LabelContractTest {
    @Test
    void everyStepLabelOfTheContractIsASchedulingPointAndNoOtherIs() throws Exception {
        String contract = Files.readString(TestProject.get().root().resolve("specs/CONTRACT.md"));
        String table = contract.substring(contract.indexOf("## Labels"), contract.indexOf("### The labels in the Java code"));
        Set<String> inContract = new TreeSet<>();
        for (String line : table.split("\n")) {
            if (!line.startsWith("| `") || line.contains("(a `pc` only)")) continue;
            Matcher m = Pattern.compile("`([a-z_]+)`").matcher(line.substring(0, line.indexOf('|', 2)));
            while (m.find()) inContract.add(m.group(1));
        }
        Set<String> inJava = new TreeSet<>();
        Arrays.stream(Label.values()).forEach(l -> inJava.add(l.contractName()));
        assertEquals(inContract, inJava);
    }

    @Test
    void everyLabelTheSpecAssignsToPcIsInTheContract() throws Exception {
        Set<String> pcOnly = Set.of("done", "removed", "oops", "return");
        Set<String> missing = new TreeSet<>();
        for (String f : new String[] {"MmuNotifierCore.tla", "GpuDriver.tla", "MmuIntervalNotifier.tla"}) {
            String tla = Files.readString(TestProject.get().root().resolve("specs").resolve(f));
            Matcher m = Pattern.compile("\"([a-z_]+)\"").matcher(tla);
            while (m.find()) {
                String s = m.group(1);
                if (!pcOnly.contains(s) && !Set.of("merged", "prepatch", "xe", "trylock", "none", "init").contains(s)
                        && !s.matches("[A-Z].*") && Label.byContractName(s).isEmpty() && !s.startsWith("mn_") && s.contains("_")) {
                    missing.add(f + ": " + s);
                }
            }
        }
        assertEquals(Set.of(), missing, "strings in the spec that look like labels but are not scheduling points");
    }
}
