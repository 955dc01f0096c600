package dev.mmucheck.modelcheck;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** model-check/manifest.json: every model with the outcome it must give. */
public record Manifest(String spec, List<ModelEntry> models) {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public static Manifest read(Path file) throws IOException {
        try {
            Manifest m = MAPPER.readValue(file.toFile(), Manifest.class);
            if (m.models() == null || m.models().isEmpty()) throw new IOException(file + ": no models");
            for (int k = 0; k < m.models().size(); k++) {
                ModelEntry e = m.models().get(k);
                if (e.name() == null || e.expect() == null)
                    throw new IOException(file + ": models[" + k + "]: expected fields \"name\" and \"expect\"");
            }
            return m;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        }
    }

    public void write(Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), this);
    }

    public Optional<ModelEntry> find(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    public List<ModelEntry> quickSet() {
        return models.stream().filter(ModelEntry::quick).toList();
    }

    public Manifest with(ModelEntry updated) {
        List<ModelEntry> list = new ArrayList<>();
        for (ModelEntry m : models) list.add(m.name().equals(updated.name()) ? updated : m);
        return new Manifest(spec, list);
    }
}
