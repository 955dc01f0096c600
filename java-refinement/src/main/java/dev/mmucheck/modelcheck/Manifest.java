package dev.mmucheck.modelcheck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * model-check/manifest.json: every model with the outcome it must give. Reading checks the
 * file's shape (every field of every entry present and of its type); {@link ManifestValidator}
 * then checks it against the configurations and the spec.
 */
public record Manifest(String spec, List<ModelEntry> models) {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The fields of an entry, in the order they are written, with the JSON type each must have. */
    private static final List<String[]> FIELDS = List.of(
            new String[] {"name", "string"}, new String[] {"expect", "string"}, new String[] {"set", "string"},
            new String[] {"base", "string or null"}, new String[] {"mutation", "string"},
            new String[] {"liveness", "boolean"}, new String[] {"distinct", "integer"},
            new String[] {"steps", "integer"}, new String[] {"witnesses", "array of strings"}, new String[] {"doc", "string"});

    public static Manifest read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new ManifestException(file + ": no such file");
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ManifestException(file + (e.getLocation() != null ? ":" + e.getLocation().getLineNr() : "")
                    + ": not JSON: " + e.getOriginalMessage());
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) throw new ManifestException(file + ": expected a JSON object with \"spec\" and \"models\"");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("spec") && !f.equals("models")) problems.add("unknown top-level field \"" + f + "\"");
        }
        if (!root.path("spec").isTextual()) problems.add("\"spec\": expected a string (the TLA+ module TLC runs)");
        JsonNode models = root.path("models");
        if (!models.isArray() || models.isEmpty()) {
            problems.add("\"models\": expected a non-empty array");
        } else {
            for (int k = 0; k < models.size(); k++) problems.addAll(shape(models.get(k), k));
        }
        if (!problems.isEmpty()) throw new ManifestException(file, problems);
        try {
            return MAPPER.treeToValue(root, Manifest.class);
        } catch (JsonProcessingException e) {
            throw new ManifestException(file + ": " + e.getOriginalMessage());
        }
    }

    private static List<String> shape(JsonNode e, int k) {
        List<String> p = new ArrayList<>();
        String where = "models[" + k + "]" + (e.path("name").isTextual() ? " (\"" + e.get("name").asText() + "\")" : "");
        if (!e.isObject()) return List.of(where + ": expected an object");
        for (String[] f : FIELDS) {
            JsonNode v = e.get(f[0]);
            boolean ok = v != null && switch (f[1]) {
                case "string" -> v.isTextual();
                case "string or null" -> v.isTextual() || v.isNull();
                case "boolean" -> v.isBoolean();
                case "array of strings" -> v.isArray() && java.util.stream.StreamSupport.stream(v.spliterator(), false).allMatch(JsonNode::isTextual);
                default -> v.isIntegralNumber();
            };
            if (!ok) p.add(where + ": field \"" + f[0] + "\": expected " + f[1] + (v == null ? ", missing" : ", found " + v));
        }
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (FIELDS.stream().noneMatch(d -> d[0].equals(f))) p.add(where + ": unknown field \"" + f + "\"");
        }
        return p;
    }

    /** The manifest as JSON text: two-space indentation, fields in declaration order, one newline at the end. */
    public String toJson() throws IOException {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
        return MAPPER.writer(pp).writeValueAsString(this).replace("\r\n", "\n") + "\n";
    }

    /** Writes the manifest; returns false (and leaves the file alone) when its bytes would not change. */
    public boolean write(Path file) throws IOException {
        byte[] bytes = toJson().getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) return false;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    public Optional<ModelEntry> find(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public List<ModelEntry> quickSet() {
        return models.stream().filter(ModelEntry::quick).toList();
    }

    /** Every model but the scale ones: what {@code export} reruns by default. */
    public List<ModelEntry> withoutScale() {
        return models.stream().filter(m -> !m.scale()).toList();
    }

    public Manifest with(ModelEntry updated) {
        List<ModelEntry> list = new ArrayList<>();
        for (ModelEntry m : models) list.add(m.name().equals(updated.name()) ? updated : m);
        return new Manifest(spec, list);
    }
}
