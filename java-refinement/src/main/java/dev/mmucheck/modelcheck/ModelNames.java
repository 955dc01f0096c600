package dev.mmucheck.modelcheck;

import java.util.regex.Pattern;

/**
 * Model names: letters, digits, '-', '_' and '.', starting with a letter or digit, so that a name
 * always stays one file name under model-check/ and one folder under build/tlc/.
 */
public final class ModelNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private ModelNames() {}

    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches() && !name.contains("..");
    }

    /** {@code name} itself, or an IllegalArgumentException saying what a name may be. */
    public static String require(String name, String what) {
        if (!valid(name)) {
            throw new IllegalArgumentException(what + " '" + name + "' is not a model name: a name is 1 to 64 letters, digits, "
                    + "'-', '_' or '.', starts with a letter or digit and has no '..' (to run a configuration file, give its path ending in .cfg)");
        }
        return name;
    }
}
