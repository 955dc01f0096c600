package dev.mmucheck.refinement;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.mmucheck.TestProject;
import dev.mmucheck.machine.MachineConfig;
import dev.mmucheck.machine.Models;
import dev.mmucheck.modelcheck.ManifestValidator;
import dev.mmucheck.modelcheck.ModelEntry;
import dev.mmucheck.modelcheck.Project;

/** A model of the manifest with its state graph recorded by TLC (quietly) and its Java machine's configuration, for the graph-run tests. */
record RecordedModel(TlcGraphs.Recorded recorded, MachineConfig config) {
    static RecordedModel of(String model) throws Exception {
        Project project = TestProject.get();
        ModelEntry e = ManifestValidator.load(project).find(model).orElseThrow(() -> new AssertionError("no model " + model + " in the manifest"));
        TlcGraphs.Recorded rec = TlcGraphs.record(project, e, "1g", new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return new RecordedModel(rec, Models.of(project, e, true));
    }

    StateGraph graph() { return recorded.graph(); }
}
