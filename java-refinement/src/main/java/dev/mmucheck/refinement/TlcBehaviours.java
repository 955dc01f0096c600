package dev.mmucheck.refinement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mmucheck.modelcheck.Project;
import dev.mmucheck.tlc.SpecVersion;
import dev.mmucheck.tlc.TlcResult;
import dev.mmucheck.tlc.TlcRunner;
import dev.mmucheck.tlc.TlcStartException;
import dev.mmucheck.trace.Itf;
import dev.mmucheck.trace.ItfFormatException;
import dev.mmucheck.trace.ItfTrace;

/**
 * Random complete behaviours of a model, drawn by TLC itself: its simulation mode
 * ({@code -simulate -seed S}) on the model's configuration with the single invariant
 * {@code BehaviourRunning} (MC.tla), which the first state where every process has finished
 * breaks, so TLC reports that random behaviour as a trace.
 */
public final class TlcBehaviours {
    private final Project project;
    private final TlcRunner runner;

    public TlcBehaviours(Project project, String heap) {
        this.project = project;
        this.runner = new TlcRunner(project.spec(), project.work(), heap);
    }

    /** One random behaviour of {@code model} from the run with seed {@code seed}. */
    public ItfTrace sample(String model, long seed) throws IOException, TlcStartException {
        Path base = project.cfg(model);
        if (!Files.isRegularFile(base)) throw new IllegalArgumentException("unknown model '" + model + "': no " + base);
        String text = Files.readString(base);
        int cut = text.indexOf("\nINVARIANT");
        int props = text.indexOf("\nPROPERTIES");
        int end = cut >= 0 ? cut : props >= 0 ? props : text.indexOf("\nCHECK_DEADLOCK");
        if (end < 0 || !text.contains("SPECIFICATION Spec")) {
            throw new IllegalArgumentException(base + ": expected a safety model (SPECIFICATION Spec, then INVARIANTS)");
        }
        String name = "sim-" + model + "-" + seed;
        Path dir = Files.createDirectories(project.work().resolve(name));
        Path cfg = dir.resolve(name + ".cfg");
        Files.writeString(cfg, text.substring(0, end) + "\nINVARIANT BehaviourRunning\nCHECK_DEADLOCK FALSE\n");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", model);
        meta.put("config", "model-check/models/" + model + ".cfg (simulation, BehaviourRunning)");
        meta.put("specVersion", SpecVersion.of(project.specs()));
        meta.put("mutation", "none");
        meta.put("tlc.extra", "-simulate -depth 100000 -seed " + seed);
        TlcResult r = runner.run(name, cfg, 1, meta, line -> {});
        if (!"BehaviourRunning".equals(r.property()) || r.traceFile() == null) {
            throw new IllegalStateException("TLC's simulation of " + model + " (seed " + seed + ") gave no behaviour: "
                    + r.outcome() + " " + r.property() + " " + r.error());
        }
        try {
            return Itf.read(Path.of(r.traceFile()));
        } catch (ItfFormatException e) {
            throw new IllegalStateException("TLC's behaviour of " + model + " could not be read: " + e.getMessage(), e);
        }
    }

    public List<String> samplableModels() {
        return List.of("default", "dynamic", "release", "two-blockable", "trylock-rest", "prepatch", "mixed", "release-small", "release-dynamic");
    }
}
