package dev.mmucheck.kernel;

/** The error codes this code returns, with the kernel's values (include/uapi/asm-generic/errno*.h). */
public final class Errno {
    private Errno() {}

    public static final int EINVAL = -22;
    public static final int EAGAIN = -11;
    public static final int ENOENT = -2;
    public static final int EOVERFLOW = -75;

    public static String name(int err) {
        return switch (err) {
            case 0 -> "0";
            case EINVAL -> "-EINVAL";
            case EAGAIN -> "-EAGAIN";
            case ENOENT -> "-ENOENT";
            case EOVERFLOW -> "-EOVERFLOW";
            default -> Integer.toString(err);
        };
    }
}
