package dev.simdgrad.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * {@code --compare}: every benchmark cell of this run against a saved baseline run of the same suite, with its change
 * and a verdict ({@link BenchChange#verdict()}): a regression is flagged only when it is larger than the two runs'
 * error bars together. Cells are matched by benchmark method and parameters; cells only one run has are listed too,
 * and counted, so that a cell that stopped being measured does not pass for "no regression".
 */
final class BenchComparison {
    private BenchComparison() {
    }

    /**
     * The matched cells: this run's order first, then the cells only the baseline has.
     *
     * @throws IllegalArgumentException if the runs are of different suites
     */
    static List<BenchChange> changes(BenchRun baseline, BenchRun current) {
        if (baseline.suite() != current.suite()) {
            throw new IllegalArgumentException("cannot compare a bench " + current.suite().command
                    + " run with a bench " + baseline.suite().command + " baseline");
        }
        record Key(String method, Map<String, String> params) {
        }
        Map<Key, BenchResult> base = new LinkedHashMap<>();
        for (BenchResult r : baseline.results()) {
            base.put(new Key(r.method(), r.params()), r);
        }
        BenchSuite suite = current.suite();
        List<BenchChange> changes = new ArrayList<>();
        for (BenchResult r : current.results()) {
            Key k = new Key(r.method(), r.params());
            changes.add(new BenchChange(suite, k.method(), k.params(), base.remove(k), r));
        }
        for (Map.Entry<Key, BenchResult> e : base.entrySet()) {
            changes.add(new BenchChange(suite, e.getKey().method(), e.getKey().params(), e.getValue(), null));
        }
        return changes;
    }

    /**
     * The comparison as text: a heading naming the baseline, warnings when the machines differ or a run was not
     * forked, one row per cell (the values in the suite's unit), and lines counting the regressions and the cells
     * only one run has.
     *
     * @param baselineName how to call the baseline (its file name)
     * @throws IllegalArgumentException if the runs are of different suites
     */
    static String format(String baselineName, BenchRun baseline, BenchRun current) {
        List<BenchChange> changes = changes(baseline, current);
        BenchSuite suite = current.suite();
        StringBuilder sb = new StringBuilder();
        sb.append("Against ").append(baselineName).append(" (").append(baseline.machine()).append("):\n");
        if (!Objects.equals(baseline.cpuModel(), current.cpuModel()) || baseline.cores() != current.cores()) {
            sb.append("Note: the baseline ran on another machine (").append(baseline.machine())
                    .append("); differences are not only the code's.\n");
        } else if (!Objects.equals(baseline.jdk(), current.jdk()) || baseline.vectorBits() != current.vectorBits()) {
            sb.append("Note: same CPU, but another JDK or vector width (").append(baseline.machine()).append(").\n");
        }
        if (baseline.forks() == 0 || current.forks() == 0) {
            sb.append("Note: ").append(baseline.forks() == 0 && current.forks() == 0 ? "both runs were"
                    : baseline.forks() == 0 ? "the baseline was" : "this run was")
                    .append(" measured without forking (--forks 0, a smoke test): not comparable with forked runs.\n");
        }
        List<String> params = paramColumns(suite, changes);
        List<String> header = new ArrayList<>();
        header.add("benchmark");
        header.addAll(params);
        header.addAll(List.of("baseline " + suite.unit, "this run " + suite.unit, "change", "verdict"));
        TextTable table = new TextTable(header);
        List<String> regressions = new ArrayList<>();
        int added = 0;
        int dropped = 0;
        for (BenchChange c : changes) {
            BenchChange.Verdict v = c.verdict();
            double pct = c.percent();
            List<String> row = new ArrayList<>();
            row.add(c.method());
            params.forEach(p -> row.add(c.params().getOrDefault(p, SuiteFormat.MISSING)));
            row.add(cell(suite, c.baseline()));
            row.add(cell(suite, c.current()));
            row.add(Double.isNaN(pct) ? SuiteFormat.MISSING : String.format(Locale.ROOT, "%+.1f%%", pct));
            row.add(v.label());
            table.add(row);
            switch (v) {
                case REGRESSION -> regressions.add(name(c, params));
                case NEW -> added++;
                case MISSING -> dropped++;
                default -> {
                }
            }
        }
        sb.append(table.format());
        sb.append("change: of ").append(suite.unit).append(", this run against the baseline (")
                .append(suite.higherIsBetter ? "+ = faster" : "+ = slower")
                .append("); a verdict counts a change only when it exceeds both error bars together (the 99.9%"
                        + " intervals do not overlap).\n");
        sb.append(regressions.isEmpty() ? "No regression beyond the error bars."
                : regressions.size() + " regression(s) beyond the error bars: " + String.join(", ", regressions)
                        + ".").append('\n');
        if (added + dropped > 0) {
            sb.append(added + dropped).append(" cell(s) in one run only: ").append(added)
                    .append(" new (this run only), ").append(dropped)
                    .append(" not measured (baseline only); listed above, not compared.\n");
        }
        return sb.toString();
    }

    /** The suite's key parameters that occur, in its order, then any others alphabetically. */
    private static List<String> paramColumns(BenchSuite suite, List<BenchChange> changes) {
        TreeSet<String> present = new TreeSet<>();
        changes.forEach(c -> present.addAll(c.params().keySet()));
        List<String> columns = new ArrayList<>();
        for (String p : suite.keyParams) {
            if (present.remove(p)) {
                columns.add(p);
            }
        }
        columns.addAll(present);
        return columns;
    }

    private static String name(BenchChange c, List<String> params) {
        StringBuilder sb = new StringBuilder(c.method());
        for (String p : params) {
            String v = c.params().get(p);
            if (v != null) {
                sb.append(' ').append(p).append('=').append(v);
            }
        }
        return sb.toString();
    }

    private static String cell(BenchSuite suite, BenchResult r) {
        return r == null ? SuiteFormat.MISSING : SuiteFormat.withError(suite.value(r), suite.error(r));
    }
}
