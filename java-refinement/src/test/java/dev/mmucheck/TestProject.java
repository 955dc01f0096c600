package dev.mmucheck;

import java.nio.file.Path;

import dev.mmucheck.modelcheck.Project;

/** The checkout the tests run in (surefire passes its root as mmucheck.root). */
public final class TestProject {
    private TestProject() {}

    public static Project get() {
        String root = System.getProperty("mmucheck.root");
        return root != null ? new Project(Path.of(root).toAbsolutePath().normalize()) : Project.locate(Path.of(""));
    }
}
