package dev.mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mmucheck.RepoFiles;
import dev.mmucheck.TestProject;
import dev.mmucheck.modelcheck.Project;

/** A trace that is not a behaviour of this spec's kind is bad input (exit 2, file, state and field named), never a Java divergence. */
class BadTraceTest {
    @TempDir Path tmp;
    private final Project project = TestProject.get();
    private final ObjectMapper json = new ObjectMapper();

    private Path edited(String name, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode doc = (ObjectNode) json.readTree(project.counterexample("M10").toFile());
        edit.accept(doc);
        Path f = tmp.resolve(name);
        json.writeValue(f.toFile(), doc);
        return f;
    }

    private static ObjectNode state(ObjectNode doc, int k) {
        return (ObjectNode) doc.get("states").get(k);
    }

    private CliRun replay(Path f) throws Exception {
        Map<String, String> before = RepoFiles.snapshot(project.root());
        CliRun r = CliRun.of("replay", f.toString(), "--root", project.root().toString());
        assertEquals(Set.of(), RepoFiles.changed(before, RepoFiles.snapshot(project.root())));
        return r;
    }

    @Test
    void theUneditedCopyReplays() throws Exception {
        CliRun r = replay(edited("same.itf.json", d -> { }));
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void aValueOfTheWrongTypeNamesFileStateAndVariable() throws Exception {
        Path f = edited("typo.itf.json", d -> state(d, 3).put("seq", "abc"));
        CliRun r = replay(f);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(f + ": state 3, seq: expected an integer, found \"abc\""), r.err());
        assertFalse(r.out().contains("DIVERGED"), r.out());
    }

    @Test
    void aNestedValueOfTheWrongTypeIsFound() throws Exception {
        Path f = edited("nested.itf.json", d -> ((com.fasterxml.jackson.databind.node.ArrayNode) state(d, 2).get("iseq").get("#map").get(0))
                .set(1, com.fasterxml.jackson.databind.node.TextNode.valueOf("x")));
        CliRun r = replay(f);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(f + ": state 2, iseq: expected an integer, found \"x\""), r.err());
    }

    @Test
    void anUnknownLabelNamesFileStateAndField() throws Exception {
        Path f = edited("label.itf.json", d -> ((ObjectNode) state(d, 2).get("step")).put("label", "inv_frobnicate"));
        CliRun r = replay(f);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(f + ": state 2, step.label: expected a label of specs/CONTRACT.md, found \"inv_frobnicate\""), r.err());
    }

    @Test
    void anUnknownProcessNamesFileStateAndField() throws Exception {
        Path f = edited("proc.itf.json", d -> {
            ((ObjectNode) state(d, 2).get("step")).put("proc", "zz9");
            ((com.fasterxml.jackson.databind.node.ArrayNode) d.get("#meta").get("modelValues")).add("zz9");
        });
        CliRun r = replay(f);
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("state 2, step.proc: expected a process of the model"), r.err());
    }
}
