package dev.simdgrad.cli;

import java.util.Locale;

/** Number formats shared by the suite tables and the comparison: values with their error, ratios, percentages. */
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

    /** {@code part / whole} in percent as "12.3%", or "-" when either is unknown (NaN). */
    static String percent(double part, double whole) {
        double x = 100 * part / whole;
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.1f%%", x) : MISSING;
    }

    /** {@code ms / baselineMs} as "1.23x", or "-" without a baseline. */
    static String ratio(double ms, Double baselineMs) {
        return baselineMs == null || !(baselineMs > 0) ? MISSING
                : String.format(Locale.ROOT, "%.2fx", ms / baselineMs);
    }
}
