package dev.simdgrad.cli;

import dev.simdgrad.verify.check.CheckResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text report of {@code verify}: a header, one row per (width, kernel) printed as each width finishes (fixed
 * column widths, so rows need not wait for the whole table), and a summary with the worst case of every failure.
 */
final class VerifyTable {
    private static final String ROW = "%-6s  %-12s  %-14s  %7s  %8s  %17s  %s";

    private VerifyTable() {
    }

    /** The column titles and a rule. */
    static String header() {
        String h = String.format(Locale.ROOT, ROW, "width", "used", "kernel", "cases", "failures",
                "worst error/bound", "result");
        return h + System.lineSeparator() + "-".repeat(h.length()) + System.lineSeparator();
    }

    /** The rows of one width: one per check, or one saying why the width could not be checked. */
    static String rows(WidthReport w) {
        StringBuilder sb = new StringBuilder();
        String used = w.vectorBits() < 0 ? "?" : w.vectorBits() == 0 ? "0 (scalar)"
                : w.vectorBits() + (w.vectorBits() < w.requestedBits() ? " (lowered)" : "");
        for (CheckResult r : w.results()) {
            sb.append(String.format(Locale.ROOT, ROW, w.requestedBits(), used, r.kernel(), r.cases(), r.failures(),
                    ratio(r.worstRatio()), r.passed() ? "PASS" : "FAIL")).append(System.lineSeparator());
        }
        if (w.error() != null) {
            sb.append(String.format(Locale.ROOT, ROW, w.requestedBits(), used, "-", "-", "-", "-", "ERROR: "
                    + w.error())).append(System.lineSeparator());
        }
        return sb.toString();
    }

    /**
     * The lines under the table: what the ratio means, the worst case of each failing check (to reproduce it),
     * and the verdict.
     */
    static String summary(List<WidthReport> widths, int cases, long seed) {
        StringBuilder sb = new StringBuilder();
        String nl = System.lineSeparator();
        sb.append("worst error/bound: max over every element of every case of |kernel - reference| / bound;"
                + " <= 1 passes.").append(nl);
        sb.append(String.format(Locale.ROOT, "cases: %d random per kernel (seed %d) plus each kernel's fixed edge"
                + " cases; used: the width the kernels ran at (a width above the CPU's is lowered).", cases, seed))
                .append(nl);
        List<String> failures = new ArrayList<>();
        int total = 0;
        double worst = 0;
        for (WidthReport w : widths) {
            total += w.cases();
            for (CheckResult r : w.results()) {
                worst = Math.max(worst, r.worstRatio());
                if (!r.passed()) {
                    failures.add(String.format(Locale.ROOT, "FAIL %s at width %d: %d of %d cases out of bound,"
                            + " worst %s in: %s", r.kernel(), w.requestedBits(), r.failures(), r.cases(),
                            ratio(r.worstRatio()), r.worstCase()));
                }
            }
            if (w.error() != null) {
                failures.add("ERROR at width " + w.requestedBits() + ": " + w.error());
            }
        }
        for (String f : failures) {
            sb.append(f).append(nl);
        }
        if (failures.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "PASS: %d cases at %d width(s), every element within its bound"
                    + " (worst %s of it).", total, widths.size(), ratio(worst))).append(nl);
        } else {
            sb.append("FAIL: ").append(failures.size()).append(" problem(s) above.").append(nl);
        }
        return sb.toString();
    }

    private static String ratio(double r) {
        if (Double.isInfinite(r)) {
            return "unbounded";
        }
        return String.format(Locale.ROOT, r >= 0.01 || r == 0 ? "%.4f" : "%.2e", r);
    }
}
