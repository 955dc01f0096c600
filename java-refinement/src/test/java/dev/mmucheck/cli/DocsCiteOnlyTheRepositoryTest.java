package dev.mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;

/**
 * The project's documents (README.md, specs/*.md, model-check/README.md) cite nothing a clone does
 * not have: no notes or reports beside the repository, and every relative link resolves to a file
 * inside it.
 */
class DocsCiteOnlyTheRepositoryTest {
    private static final List<String> OUTSIDE = List.of("../shared", "kernel-notes", "probe report", "tlc-2.18-probe", "/work/", "anchors.md", "DESIGN.md");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(?:#[^)]*)?\\)");

    @Test
    void everyDocumentCitesOnlyFilesOfTheRepository() throws Exception {
        Path root = TestProject.get().root().toAbsolutePath().normalize();
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("model-check/README.md")));
        try (Stream<Path> s = Files.list(root.resolve("specs"))) {
            s.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        List<String> problems = new ArrayList<>();
        int links = 0;
        for (Path doc : docs) {
            if (!Files.isRegularFile(doc)) continue;
            String text = Files.readString(doc);
            for (String o : OUTSIDE) if (text.contains(o)) problems.add(root.relativize(doc) + " cites '" + o + "'");
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) continue;   // a public web address
                links++;
                Path p = doc.getParent().resolve(target).normalize();
                if (!p.startsWith(root)) problems.add(root.relativize(doc) + " links outside the repository: " + target);
                else if (!Files.exists(p)) problems.add(root.relativize(doc) + " links a missing file: " + target);
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(links > 10, "the relative links were not found (" + links + ")");
    }
}
