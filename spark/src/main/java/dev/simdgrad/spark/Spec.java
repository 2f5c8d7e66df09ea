package dev.simdgrad.spark;

import java.util.Locale;

/**
 * A setting written as text, {@code name} or {@code name:arg1:arg2} (for example {@code winsorize:2},
 * {@code multiKrum:1:3}), split once at the edge so each typed setting parses its own arguments. Names compare
 * case-insensitively.
 */
record Spec(String what, String text, String name, String[] args) {

    static Spec parse(String what, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        String[] parts = text.strip().split(":", -1);
        String[] args = new String[parts.length - 1];
        System.arraycopy(parts, 1, args, 0, args.length);
        return new Spec(what, text, parts[0].toLowerCase(Locale.ROOT), args);
    }

    /** Checks that the number of arguments is within [min, max]. */
    Spec arity(int min, int max, String usage) {
        if (args.length < min || args.length > max) {
            throw new IllegalArgumentException(what + " '" + text + "': expected " + usage);
        }
        return this;
    }

    int intArg(int i, int fallback, int min) {
        if (i >= args.length) {
            return fallback;
        }
        int v;
        try {
            v = Integer.parseInt(args[i].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "': argument " + (i + 1) + " '" + args[i]
                    + "' is not an integer");
        }
        if (v < min) {
            throw new IllegalArgumentException(what + " '" + text + "': argument " + (i + 1) + " must be >= " + min);
        }
        return v;
    }

    double doubleArg(int i, double fallback) {
        if (i >= args.length) {
            return fallback;
        }
        double v;
        try {
            v = Double.parseDouble(args[i].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "': argument " + (i + 1) + " '" + args[i]
                    + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " '" + text + "': argument " + (i + 1) + " must be finite");
        }
        return v;
    }

    IllegalArgumentException unknown(String known) {
        return new IllegalArgumentException("unknown " + what + " '" + text + "'; known: " + known);
    }
}
