package dev.mmucheck.kernel;

/** What would be an oops in the kernel (a NULL call, a corrupted list): the task dies. */
public final class KernelOops extends RuntimeException {
    public KernelOops(String what) { super("kernel oops: " + what); }
}
