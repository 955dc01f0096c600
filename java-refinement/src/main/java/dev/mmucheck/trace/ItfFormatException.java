package dev.mmucheck.trace;

/** A trace file that is not the ITF this project writes: says which file, where, and what was expected. */
public class ItfFormatException extends Exception {
    public ItfFormatException(String file, String where, String expected) {
        super(file + ": at " + where + ": expected " + expected);
    }
}
