package dev.mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mmucheck.RepoFiles;
import dev.mmucheck.TestProject;
import dev.mmucheck.modelcheck.ManifestValidator;
import dev.mmucheck.modelcheck.Project;

/** A manifest that disagrees with itself, the configurations or the spec is bad input: exit 2, the place named, nothing written. */
class ManifestValidationTest {
    @TempDir Path tmp;
    private Project copy;

    @BeforeEach
    void copyTheRepository() throws Exception {
        copy = RepoFiles.copy(TestProject.get(), tmp.resolve("repo"));
    }

    /** Edits model {@code name}'s entry in the copy's manifest, then {@link #rejected()}. */
    private String rejected(String name, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> edit) throws Exception {
        dev.mmucheck.ManifestEdits.edit(copy.manifest(), name, edit);
        return rejected();
    }

    /** Edits the copy's manifest text, then {@link #rejected()}. */
    private String rejected(String from, String to) throws Exception {
        String m = Files.readString(copy.manifest());
        assertTrue(m.contains(from), from);
        Files.writeString(copy.manifest(), m.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        return rejected();
    }

    /** Runs `list` and `check M6` on the edited copy: both exit 2, naming the file, writing nothing; returns list's stderr. */
    private String rejected() throws Exception {
        Map<String, String> before = RepoFiles.snapshot(copy.root());
        CliRun list = CliRun.of("list", "--root", copy.root().toString());
        assertEquals(2, list.code(), list.toString());
        assertTrue(list.err().contains("model-check/manifest.json"), "names the file: " + list.err());
        CliRun check = CliRun.of("check", "M6", "--root", copy.root().toString());
        assertEquals(2, check.code(), check.toString());
        assertEquals(Set.of(), RepoFiles.changed(before, RepoFiles.snapshot(copy.root())));
        assertTrue(!Files.exists(copy.work()), "no TLC run started");
        return list.err();
    }

    @Test
    void theRepositorysManifestIsValid() throws Exception {
        assertEquals(java.util.List.of(), ManifestValidator.problems(TestProject.get(),
                dev.mmucheck.modelcheck.Manifest.read(TestProject.get().manifest())));
    }

    @Test
    void anUnknownPropertyIsNamed() throws Exception {
        String err = rejected("M6", e -> e.put("expect", "EagainContracts"));
        assertTrue(err.contains("(\"M6\"): \"expect\" is \"EagainContracts\", but model-check/models/M6.cfg does not check it"), err);
    }

    @Test
    void aDuplicateNameIsNamed() throws Exception {
        String err = rejected("M8", e -> e.put("name", "M6"));
        assertTrue(err.contains("\"M6\": listed twice"), err);
    }

    @Test
    void aMutationOtherThanTheConfigurationsIsNamed() throws Exception {
        String err = rejected("M6b", e -> e.put("mutation", "M6"));
        assertTrue(err.contains("\"mutation\" is \"M6\", but model-check/models/M6b.cfg sets Mutation = \"M6b\""), err);
    }

    @Test
    void aMissingFieldIsNamed() throws Exception {
        String err = rejected("M6", e -> e.remove("liveness"));
        assertTrue(err.contains("(\"M6\"): field \"liveness\": expected boolean, missing"), err);
    }

    @Test
    void aFieldOfTheWrongTypeIsNamed() throws Exception {
        String err = rejected("M6", e -> e.put("distinct", "43"));
        assertTrue(err.contains("field \"distinct\": expected integer, found \"43\""), err);
    }

    @Test
    void aNameThatWouldLeaveTheRepositoryIsRefused() throws Exception {
        String err = rejected("M8", e -> e.put("name", "../../evil"));
        assertTrue(err.contains("(\"../../evil\"): \"name\" is not a model name"), err);
    }

    @Test
    void aPropertyTheSpecDoesNotDefineIsNamed() throws Exception {
        Path cfg = copy.cfg("M6");
        Files.writeString(cfg, Files.readString(cfg).replace("    EagainContract\n", "    EagainContract\n    NoSuchInvariant\n"));
        String err = rejected("\"doc\" : \"", "\"doc\" : \"");
        assertTrue(err.contains("M6.cfg checks NoSuchInvariant, which no module of specs/ defines"), err);
    }

    @Test
    void malformedJsonGivesTheLine() throws Exception {
        String err = rejected("\"models\" : [", "\"models\" : [[");
        assertTrue(err.contains("manifest.json:") && err.contains(": not JSON"), err);
    }
}
