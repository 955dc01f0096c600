package dev.mmucheck.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.trace.Itf;

/**
 * specs/DRIVER-CONTRACT.md: every rule names the property that states it, a property the spec
 * defines, and links a committed counterexample that breaks exactly that property; README links
 * the contract.
 */
class DriverContractTest {
    private static final Pattern RULE = Pattern.compile("(?m)^### (\\d+)\\. ");
    private static final Pattern PROPERTY = Pattern.compile("\\*\\*Property:\\*\\* `(\\w+)`\\. \\*\\*Without it:\\*\\*(.*)", Pattern.DOTALL);
    private static final Pattern LINK = Pattern.compile("\\[([\\w-]+)\\]\\(\\.\\./model-check/counterexamples/([\\w-]+)\\.itf\\.json\\)");

    @Test
    void everyRuleNamesItsPropertyAndACounterexampleOfIt() throws Exception {
        Project project = TestProject.get();
        String doc = Files.readString(project.specs().resolve("DRIVER-CONTRACT.md"));
        String props = Files.readString(project.specs().resolve("MmuProperties.tla"));
        Matcher r = RULE.matcher(doc);
        List<Integer> starts = new ArrayList<>();
        while (r.find()) starts.add(r.start());
        assertTrue(starts.size() >= 10, "fewer rules than the contract has: " + starts.size());
        for (int k = 0; k < starts.size(); k++) {
            String rule = doc.substring(starts.get(k), k + 1 < starts.size() ? starts.get(k + 1) : doc.length());
            String title = rule.lines().findFirst().orElse("");
            Matcher p = PROPERTY.matcher(rule);
            assertTrue(p.find(), title + ": no '**Property:** `P`. **Without it:**' line");
            String property = p.group(1);
            assertTrue(Pattern.compile("(?m)^" + property + "\\s*==").matcher(props).find(), title + ": " + property + " is not defined in MmuProperties.tla");
            Matcher l = LINK.matcher(p.group(2));
            assertTrue(l.find(), title + ": no link to a committed counterexample");
            Path first = project.counterexample(l.group(2));
            assertEquals(l.group(1), l.group(2), title + ": the link's text is not the model it links");
            assertTrue(Files.isRegularFile(first), title + ": " + first + " is not committed");
            assertEquals(property, Itf.read(first).metaString("property"), title + ": the first counterexample breaks another property");
            do assertTrue(Files.isRegularFile(project.counterexample(l.group(2))), title + ": " + l.group(2) + " is not committed");
            while (l.find());
        }
        String readme = Files.readString(project.root().resolve("README.md"));
        assertTrue(readme.contains("(specs/DRIVER-CONTRACT.md)"), "README does not link the driver contract");
        assertFalse(doc.contains("../shared") || doc.contains("kernel-notes"), "the contract cites outside the repository");
    }
}
