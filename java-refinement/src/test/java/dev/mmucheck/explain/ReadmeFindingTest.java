package dev.mmucheck.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;
import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfTrace;

/**
 * README's finding ("the finish pass runs in the non-blockable context") quotes, for each model,
 * the property, the number of steps, the last step's label and where the reaper is then. Those
 * figures must be the committed traces' own: a re-recorded trace that differs fails here.
 */
class ReadmeFindingTest {
    private static final Pattern MODEL = Pattern.compile("^- Model `([\\w-]+)`");
    private static final Pattern PROPERTY = Pattern.compile("breaks\\s+`(\\w+)`");
    private static final Pattern STEPS = Pattern.compile("in\\s+(\\d+)\\s+steps");
    private static final Pattern LAST = Pattern.compile("its last step is `(\\w+)`");
    private static final Pattern THEN = Pattern.compile("reaper is at `(\\w+)`");

    private static String find(Pattern p, String text, String what) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), "README's claim does not say " + what + ": " + text);
        return m.group(1);
    }

    @Test
    void theFindingsFiguresAreThoseOfTheCommittedTraces() throws Exception {
        Project project = TestProject.get();
        String readme = Files.readString(project.root().resolve("README.md"));
        int a = readme.indexOf("## A finding: the finish pass runs in the non-blockable context");
        assertTrue(a >= 0, "README has no finding section");
        String section = readme.substring(a, readme.indexOf("\n## ", a + 5));
        List<String> models = new ArrayList<>();
        String property = null;
        for (String item : section.split("\n(?=- )")) {
            Matcher m = MODEL.matcher(item);
            if (!m.find()) continue;
            String model = m.group(1);
            models.add(model);
            String claim = item.replaceAll("\\s+", " ");
            if (!claim.contains("the same property")) property = find(PROPERTY, claim, "the property");
            ItfTrace t = Itf.read(project.counterexample(model));
            TraceView v = new TraceView(t);
            assertEquals(t.metaString("property"), property, model + ": the property README names");
            assertEquals(t.steps(), Integer.parseInt(find(STEPS, claim, "the steps")), model + ": the steps README gives");
            assertEquals(v.step(v.last(), "label"), find(LAST, claim, "the last step"), model + ": the last step README names");
            String reaper = v.step(v.last(), "proc");
            assertEquals(ModelConstants.plain(v.at(v.last(), "pc", TraceView.mv(reaper))), find(THEN, claim, "where the reaper is"),
                    model + ": where README says the reaper is at the end");
        }
        assertFalse(models.isEmpty(), "no claim of the form 'Model `X` ... breaks `P` in N steps ... its last step is `L`, after which the reaper is at `Q`'");
        assertTrue(models.containsAll(List.of("trylock-finish", "trylock")), models.toString());
    }
}
