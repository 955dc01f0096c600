package dev.mmucheck.modelcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.mmucheck.TestProject;
import dev.mmucheck.tlc.CfgFile;

class ManifestTest {
    private final Project project = TestProject.get();

    @Test
    void everyConfigurationHasAnEntryAndEveryEntryAConfiguration() throws Exception {
        Manifest m = Manifest.read(project.manifest());
        Set<String> cfgs;
        try (var s = Files.list(project.models())) {
            cfgs = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cfg"))
                    .map(n -> n.substring(0, n.length() - 4)).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(cfgs, m.models().stream().map(ModelEntry::name).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void aMutationDiffersFromItsBaseOnlyInTheMutationConstant() throws Exception {
        Manifest m = Manifest.read(project.manifest());
        for (ModelEntry e : m.models()) {
            if (e.mutation() == null || e.mutation().equals("none")) continue;
            Map<String, String> mine = new LinkedHashMap<>(CfgFile.read(project.cfg(e.name())).constants());
            Map<String, String> base = new LinkedHashMap<>(CfgFile.read(project.cfg(e.base())).constants());
            assertEquals("\"" + e.mutation() + "\"", mine.remove("Mutation"), e.name());
            assertEquals("\"none\"", base.remove("Mutation"), e.base());
            assertEquals(base, mine, e.name() + " differs from " + e.base() + " in more than Mutation");
        }
    }

    @Test
    void everyExpectedPropertyIsCheckedByItsConfiguration() throws Exception {
        for (ModelEntry e : Manifest.read(project.manifest()).models()) {
            if (e.expectsPass()) continue;
            CfgFile cfg = CfgFile.read(project.cfg(e.name()));
            assertTrue(cfg.invariants().contains(e.expect()) || cfg.properties().contains(e.expect()),
                    e.name() + " expects " + e.expect() + " but does not check it");
        }
    }

    /**
     * Every property of MmuProperties.tla has a model in which a mutation, or the code as merged
     * (a finding: trylock, xe-inject-assert), breaks it: none is vacuous.
     */
    @Test
    void everyPropertyIsBrokenBySomeMutation() throws Exception {
        String props = Files.readString(project.specs().resolve("MmuProperties.tla"));
        Set<String> declared = new HashSet<>();
        Matcher mt = Pattern.compile("(?m)^([A-Z]\\w*) ==").matcher(props);
        while (mt.find()) declared.add(mt.group(1));
        declared.removeAll(Set.of("CallbackPcs", "SleepPcs", "InBracket", "Holders", "InvalidatingPage", "TypeOK"));
        declared.removeIf(n -> n.startsWith("Witness"));     // state predicates to be reached, not properties
        Set<String> broken = Manifest.read(project.manifest()).models().stream()
                .filter(e -> !e.expectsPass())
                .map(ModelEntry::expect).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(broken);
        assertEquals(Set.of(), missing, "properties no mutation breaks");
    }
}
