package dev.mmucheck.machine;

/** A named property of specs/MmuProperties.tla that the Java state broke, and how. */
public record Violation(String property, String detail) {
    @Override
    public String toString() { return property + ": " + detail; }
}
