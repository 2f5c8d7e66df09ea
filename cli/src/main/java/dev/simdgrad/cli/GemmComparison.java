package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.GemmShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code --compare}: every benchmark cell of this run against a saved baseline run, with its change and a verdict
 * ({@link GemmChange#verdict()}): a regression is flagged only when it is larger than the two runs' error bars
 * together. Cells are matched by implementation, shape and threads; cells only one run has are listed too.
 */
final class GemmComparison {
    private static final String ROW = "%-10s  %-18s  %7s  %18s  %18s  %8s  %s";

    private GemmComparison() {
    }

    /** The matched cells: this run's order first, then the cells only the baseline has. */
    static List<GemmChange> changes(GemmRun baseline, GemmRun current) {
        record Key(String implementation, GemmShape shape, int threads) {
        }
        Map<Key, GemmResult> base = new LinkedHashMap<>();
        for (GemmResult r : baseline.results()) {
            base.put(new Key(r.implementation(), r.shape(), r.threads()), r);
        }
        List<GemmChange> changes = new ArrayList<>();
        for (GemmResult r : current.results()) {
            Key k = new Key(r.implementation(), r.shape(), r.threads());
            changes.add(new GemmChange(k.implementation(), k.shape(), k.threads(), base.remove(k), r));
        }
        for (Map.Entry<Key, GemmResult> e : base.entrySet()) {
            Key k = e.getKey();
            changes.add(new GemmChange(k.implementation(), k.shape(), k.threads(), e.getValue(), null));
        }
        return changes;
    }

    /**
     * The comparison as text: a heading naming the baseline, warnings when the machines differ, one row per cell,
     * and a line counting the regressions.
     *
     * @param baselineName how to call the baseline (its file name)
     */
    static String format(String baselineName, GemmRun baseline, GemmRun current) {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder();
        sb.append("Against ").append(baselineName).append(" (").append(baseline.machine()).append("):").append(nl);
        if (!Objects.equals(baseline.cpuModel(), current.cpuModel()) || baseline.cores() != current.cores()) {
            sb.append("Note: the baseline ran on another machine (").append(baseline.machine())
                    .append("); differences are not only the code's.").append(nl);
        } else if (!Objects.equals(baseline.jdk(), current.jdk()) || baseline.vectorBits() != current.vectorBits()) {
            sb.append("Note: same CPU, but another JDK or vector width (").append(baseline.machine()).append(").")
                    .append(nl);
        }
        String header = String.format(Locale.ROOT, ROW, "impl", "shape", "threads", "baseline GFLOP/s",
                "this run GFLOP/s", "change", "verdict");
        sb.append(header).append(nl).append("-".repeat(header.length())).append(nl);
        List<String> regressions = new ArrayList<>();
        for (GemmChange c : changes(baseline, current)) {
            GemmChange.Verdict v = c.verdict();
            double pct = c.percent();
            sb.append(String.format(Locale.ROOT, ROW, c.implementation(), c.shape(), c.threads(), cell(c.baseline()),
                    cell(c.current()), Double.isNaN(pct) ? "-" : String.format(Locale.ROOT, "%+.1f%%", pct),
                    v.label())).append(nl);
            if (v == GemmChange.Verdict.REGRESSION) {
                regressions.add(c.implementation() + " " + c.shape() + " threads=" + c.threads());
            }
        }
        sb.append("change: this run against the baseline; a verdict counts a change only when it exceeds both"
                + " error bars together (the 99.9% intervals do not overlap).").append(nl);
        sb.append(regressions.isEmpty() ? "No regression beyond the error bars."
                : regressions.size() + " regression(s) beyond the error bars: " + String.join(", ", regressions)
                        + ".").append(nl);
        return sb.toString();
    }

    private static String cell(GemmResult r) {
        if (r == null) {
            return "-";
        }
        String err = Double.isFinite(r.gflopsError()) ? String.format(Locale.ROOT, "%.2f", r.gflopsError()) : "?";
        return String.format(Locale.ROOT, "%.2f ± %s", r.gflops(), err);
    }
}
