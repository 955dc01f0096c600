package dev.mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mmucheck.ManifestEdits;
import dev.mmucheck.RepoFiles;
import dev.mmucheck.TestProject;
import dev.mmucheck.modelcheck.Project;

/**
 * mmu-check check on a copy of the repository: verdicts in words, --accept and export
 * recording only what changed, the same words in the table and in JSON.
 */
class CheckVerdictTest {
    @TempDir Path tmp;
    private Project copy;
    private String root;

    @BeforeEach
    void copyTheRepository() throws Exception {
        copy = RepoFiles.copy(TestProject.get(), tmp.resolve("repo"));
        root = copy.root().toString();
    }

    @Test
    void aChangedStateCountFailsAsOutdatedUntilAcceptRecordsItInTheManifestAlone() throws Exception {
        long n = ManifestEdits.get(copy.manifest(), "prepatch", "distinct").asLong();
        ManifestEdits.edit(copy.manifest(), "prepatch", e -> e.put("distinct", n - 1));
        Map<String, String> before = RepoFiles.snapshot(copy.root());
        CliRun r = CliRun.of("check", "prepatch", "--root", root);
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("pass, " + n + " states (manifest says " + (n - 1) + ")") && r.out().contains("OUTDATED"), r.out());
        assertEquals(Set.of(), RepoFiles.changed(before, RepoFiles.snapshot(copy.root())), "check alone writes nothing");

        CliRun a = CliRun.of("check", "prepatch", "--accept", "--root", root);
        assertEquals(0, a.code(), a.toString());
        assertTrue(a.out().contains("recorded: pass, " + n + " states (manifest says " + (n - 1) + ")"), a.out());
        assertEquals(Set.of("model-check/manifest.json"), RepoFiles.changed(before, RepoFiles.snapshot(copy.root())));
        assertEquals(n, ManifestEdits.get(copy.manifest(), "prepatch", "distinct").asLong());
        assertEquals(0, CliRun.of("check", "prepatch", "--root", root).code());
    }

    @Test
    void aSpecEditMakesTracesStaleAndAcceptRewritesOnlyTheTracesRun() throws Exception {
        Path props = copy.specs().resolve("MmuProperties.tla");
        Files.writeString(props, Files.readString(props) + "\n\\* a comment: the spec's version changes, its behaviours do not\n");
        Map<String, String> before = RepoFiles.snapshot(copy.root());
        CliRun r = CliRun.of("check", "M6", "M8", "--root", root);
        assertEquals(1, r.code(), r.toString());
        assertEquals(2, r.out().split("stale trace \\(spec changed\\)", -1).length - 1, r.out());

        CliRun a = CliRun.of("check", "M6", "--accept", "--root", root);
        assertEquals(0, a.code(), a.toString());
        assertEquals(Set.of("model-check/counterexamples/M6.itf.json"), RepoFiles.changed(before, RepoFiles.snapshot(copy.root())));
        assertEquals(0, CliRun.of("check", "M6", "--root", root).code());
        CliRun m8 = CliRun.of("check", "M8", "--root", root);
        assertEquals(1, m8.code(), "M8's trace was not recorded: " + m8);
    }

    @Test
    void exportOfAnUnchangedModelWritesNothing() throws Exception {
        Map<String, String> before = RepoFiles.snapshot(copy.root());
        CliRun r = CliRun.of("export", "M6", "prepatch", "--root", root);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("recorded M6: nothing changed") && r.err().contains("recorded prepatch: nothing changed"), r.err());
        assertEquals(Set.of(), RepoFiles.changed(before, RepoFiles.snapshot(copy.root())));
    }

    @Test
    void anotherOutcomeIsNamedWithWhatWasExpected() throws Exception {
        ManifestEdits.edit(copy.manifest(), "M6", e -> e.put("expect", "ActiveCountsRanges"));   // M6 breaks EagainContract
        CliRun q = CliRun.of("check", "M6", "--root", root);
        assertEquals(1, q.code(), q.toString());
        assertTrue(q.out().contains("violated EagainContract (expected ActiveCountsRanges)") && q.out().contains("FAIL"), q.out());
        CliRun accept = CliRun.of("check", "M6", "--accept", "--root", root);
        assertEquals(1, accept.code(), "--accept never records another outcome: " + accept);
        assertTrue(accept.err().contains("not recorded: M6"), accept.err());

        CliRun pass = CliRun.of("check", "M6", "--expect", "pass", "--root", root);
        assertEquals(1, pass.code());
        assertTrue(pass.out().contains("violated EagainContract (expected pass)"), pass.out());
        CliRun notBroken = CliRun.of("check", "prepatch", "--expect", "NoStaleDeviceAccess", "--root", root);
        assertEquals(1, notBroken.code());
        assertTrue(notBroken.out().contains("pass (expected NoStaleDeviceAccess violated)"), notBroken.out());
    }

    @Test
    void jsonCarriesTheTablesVerdictWordForWord() throws Exception {
        long n = ManifestEdits.get(copy.manifest(), "prepatch", "distinct").asLong();
        ManifestEdits.edit(copy.manifest(), "prepatch", e -> e.put("distinct", n - 1));
        CliRun r = CliRun.of("check", "prepatch", "M6", "--json", "--root", root);
        assertEquals(1, r.code(), r.toString());
        JsonNode a = new ObjectMapper().readTree(r.out());
        assertEquals("pass, " + n + " states (manifest says " + (n - 1) + ")", a.get(0).get("verdict").asText());
        assertFalse(a.get(0).get("ok").asBoolean());
        assertTrue(a.get(0).get("acceptable").asBoolean());
        assertEquals("violated EagainContract", a.get(1).get("verdict").asText());
        assertTrue(a.get(1).get("ok").asBoolean());
        for (JsonNode o : a) assertTrue(r.err().contains(o.get("verdict").asText()), "the table (on stderr with --json) says the same");
    }

    /** default without its readers never gets a translation cached on a GPU: the headline property would hold vacuously. */
    @Test
    void aModelThatNoLongerReachesARequiredWitnessFails() throws Exception {
        JsonNode before = new ObjectMapper().readTree(CliRun.of("check", "default", "--json", "--root", root).out()).get(0);
        assertTrue(before.get("ok").asBoolean(), before.toString());
        assertTrue(before.get("witnessesRequired").size() > 0, "default requires witnesses: " + before);
        for (JsonNode w : before.get("witnessesRequired")) assertTrue(before.get("witnesses").get(w.asText()).asInt() >= 0, w.asText());

        Path cfg = copy.cfg("default");
        String text = Files.readString(cfg);
        assertTrue(text.matches("(?s).*\\n    Readers = \\{[^}]+\\}\\n.*"), text);
        Files.writeString(cfg, text.replaceFirst("\\n    Readers = \\{[^}]+\\}\\n", "\n    Readers = {}\n"));
        CliRun r = CliRun.of("check", "default", "--json", "--root", root);
        assertEquals(1, r.code(), r.toString());
        JsonNode after = new ObjectMapper().readTree(r.out()).get(0);
        assertTrue(after.get("verdict").asText().startsWith("pass, but never reaches Witness_"), after.toString());
        assertFalse(after.get("acceptable").asBoolean(), "--accept cannot record a vacuous pass");
        assertTrue(r.err().contains("FAIL"), r.err());
    }
}
