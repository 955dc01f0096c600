package dev.mmucheck.explain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The mutation catalogue of specs/CONTRACT.md ("Mutation ids"): id to what the mutation changes,
 * read from the table's rows ({@code | M1 | change | property it breaks |}).
 */
public record Catalogue(Map<String, String> changes) {
    public Catalogue {
        changes = Map.copyOf(changes);
    }

    public static Catalogue read(Path contract) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        if (!Files.isRegularFile(contract)) return new Catalogue(m);
        boolean inTable = false;
        for (String line : Files.readAllLines(contract)) {
            if (line.startsWith("## ")) inTable = line.startsWith("## Mutation ids");
            if (!inTable || !line.startsWith("| ")) continue;
            String[] cells = line.split("\\|");
            if (cells.length < 3) continue;
            String id = cells[1].strip();
            if (id.matches("[A-Z][A-Za-z0-9-]*") && !id.equals("id")) m.put(id, cells[2].strip().replace("`", ""));
        }
        return new Catalogue(m);
    }

    public Optional<String> change(String id) { return Optional.ofNullable(changes.get(id)); }
}
