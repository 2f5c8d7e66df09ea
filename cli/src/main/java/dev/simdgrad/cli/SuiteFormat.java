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

    /** A share of a peak that is recorded but cannot be one (0, negative or infinite): no percentage means anything. */
    static final String NOT_APPLICABLE = "n/a";

    /**
     * {@code part / whole} in percent as "12.3%"; "-" when either is unknown (NaN); "n/a" when {@code whole} is not a
     * positive finite number (a peak of 0 would otherwise print "Infinity%").
     */
    static String percent(double part, double whole) {
        if (Double.isNaN(part) || Double.isNaN(whole)) {
            return MISSING;
        }
        if (!usablePeak(whole)) {
            return NOT_APPLICABLE;
        }
        double x = 100 * part / whole;
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.1f%%", x) : MISSING;
    }

    /** Whether a recorded peak can divide: positive and finite. */
    static boolean usablePeak(double peak) {
        return peak > 0 && peak < Double.POSITIVE_INFINITY;
    }

    /**
     * The table's note on its "% peak" column: {@code measured} (a format with one %.1f for the peak) when the
     * peak is usable, else why the column is "-" (not measured) or "n/a" (a recorded peak that is not positive and
     * finite, e.g. 0 in a hand-edited or broken file).
     */
    static String peakNote(double peak, String what, String measured) {
        if (Double.isNaN(peak)) {
            return "% peak: not available (" + what + " not measured).";
        }
        if (!usablePeak(peak)) {
            return "% peak: n/a (the recorded " + what + " is " + peak + ", not a usable measurement).";
        }
        return String.format(Locale.ROOT, measured, peak);
    }

    /** {@code ms / baselineMs} as "1.23x", or "-" without a baseline. */
    static String ratio(double ms, Double baselineMs) {
        return baselineMs == null || !(baselineMs > 0) ? MISSING
                : String.format(Locale.ROOT, "%.2fx", ms / baselineMs);
    }
}
