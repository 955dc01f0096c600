package dev.mmucheck.tlc;

/** TLC could not be started, or stopped without a result: says which model, the command and why. */
public class TlcStartException extends Exception {
    public TlcStartException(String message) { super(message); }
}
