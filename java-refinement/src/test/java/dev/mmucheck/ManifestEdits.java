package dev.mmucheck;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Edits of a copy's model-check/manifest.json, entry by entry, for tests that plant a bad or changed manifest. */
public final class ManifestEdits {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ManifestEdits() {}

    /** Applies {@code edit} to the entry of model {@code name} and writes the manifest back. */
    public static void edit(Path manifest, String name, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(manifest.toFile());
        for (JsonNode e : root.get("models")) {
            if (e.get("name").asText().equals(name)) {
                edit.accept((ObjectNode) e);
                JSON.writeValue(manifest.toFile(), root);
                return;
            }
        }
        throw new IllegalArgumentException("no model " + name + " in " + manifest);
    }

    /** A field of model {@code name}'s entry. */
    public static JsonNode get(Path manifest, String name, String field) throws IOException {
        for (JsonNode e : JSON.readTree(manifest.toFile()).get("models")) if (e.get("name").asText().equals(name)) return e.get(field);
        throw new IllegalArgumentException("no model " + name + " in " + manifest);
    }
}
