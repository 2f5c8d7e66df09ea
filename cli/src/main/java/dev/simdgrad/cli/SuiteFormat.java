package dev.simdgrad.cli;

import java.util.Locale;

/** Number formats shared by the suite tables: times with their error, ratios. */
final class SuiteFormat {
    static final String MISSING = "-";

    private SuiteFormat() {
    }

    /** Three significant-ish digits: 123.4, 12.34, 1.234, 0.123. */
    static String num(double x) {
        return String.format(Locale.ROOT, x >= 100 ? "%.1f" : x >= 10 ? "%.2f" : "%.3f", x);
    }

    /** A time and its error; "?" when JMH could not estimate the error. */
    static String withError(double x, double error) {
        return num(x) + " ± " + (Double.isFinite(error) ? num(error) : "?");
    }

    /** {@code ms / baselineMs} as "1.23x", or "-" without a baseline. */
    static String ratio(double ms, Double baselineMs) {
        return baselineMs == null || !(baselineMs > 0) ? MISSING
                : String.format(Locale.ROOT, "%.2fx", ms / baselineMs);
    }
}
