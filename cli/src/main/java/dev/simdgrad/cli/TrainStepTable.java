package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.TrainStepBenchmark;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Formats {@code TrainStepBenchmark} results: one row per (shape, threads, objective) with ms/step ± error, the
 * GFLOP/s of the plain step's matrix products at that time and their share of the measured FMA peak, and the time
 * relative to the {@code mean} objective (plain mean-gradient SGD, the peer every objective is measured against) at
 * the same shape and threads.
 */
final class TrainStepTable {
    static final String BASELINE = "mean";

    private TrainStepTable() {
    }

    /**
     * Flops of the matrix products of one plain step of the network "w0-w1-...-wL" on the benchmark's batch B: per
     * layer l the forward product and the weight gradient (2 B w_l w_{l+1} each), and for every layer but the
     * first the back-propagated delta (2 B w_l w_{l+1}); for "in-hidden-out" that is
     * {@code 2 B (2 in hidden + 3 hidden out)}. Elementwise work is left out: it is a few percent.
     */
    static double stepFlops(String shape) {
        String[] d = shape.split("-");
        double macs = 0;
        for (int l = 0; l + 1 < d.length; l++) {
            double layer = Double.parseDouble(d[l]) * Double.parseDouble(d[l + 1]);
            macs += (l == 0 ? 2 : 3) * layer;
        }
        return 2.0 * TrainStepBenchmark.BATCH * macs;
    }

    /**
     * The table, a legend and the notes.
     *
     * @param shapeOrder        row order of shapes; others follow
     * @param objectiveOrder    row order of objectives; others follow
     * @param peakGflopsPerCore measured single-core FMA peak, NaN if unknown ("% peak" is then "-")
     * @param cores             cores of the machine: the peak of t threads is {@code peakGflopsPerCore * min(t, cores)}
     */
    static String format(List<BenchResult> results, List<String> shapeOrder, List<String> objectiveOrder,
                         double peakGflopsPerCore, int cores, List<String> notes) {
        Map<String, Double> mean = new HashMap<>();
        for (BenchResult r : results) {
            if (r.param("objective").equals(BASELINE)) {
                mean.put(r.param("shape") + "/" + r.param("threads"), r.score());
            }
        }
        List<BenchResult> rows = new ArrayList<>(results);
        rows.sort(Comparator.comparingInt((BenchResult r) -> AggregateTable.rank(shapeOrder, r.param("shape")))
                .thenComparing(r -> r.param("shape"))
                .thenComparingInt(r -> Integer.parseInt(r.param("threads")))
                .thenComparingInt(r -> r.param("objective").equals(BASELINE) ? -1
                        : AggregateTable.rank(objectiveOrder, r.param("objective")))
                .thenComparing(r -> r.param("objective")));
        TextTable t = new TextTable(List.of("shape", "threads", "objective", "ms/step", "GFLOP/s", "% peak",
                "vs mean"));
        for (BenchResult r : rows) {
            int threads = Integer.parseInt(r.param("threads"));
            double gflops = stepFlops(r.param("shape")) / (r.score() * 1e-3) / 1e9;
            double peak = peakGflopsPerCore * Math.min(threads, Math.max(1, cores));
            t.add(r.param("shape"), r.param("threads"), r.param("objective"),
                    SuiteFormat.withError(r.score(), r.error()), SuiteFormat.num(gflops),
                    SuiteFormat.percent(gflops, peak),
                    SuiteFormat.ratio(r.score(), mean.get(r.param("shape") + "/" + r.param("threads"))));
        }
        StringBuilder sb = new StringBuilder(t.format());
        sb.append("ms/step ± half-width of JMH's 99.9% confidence interval (? = too few iterations).\n");
        sb.append("GFLOP/s: the matrix products of one plain step, 2B(2 in hidden + 3 hidden out) flops with B = ")
                .append(TrainStepBenchmark.BATCH).append(", / time; the same flop count for every objective, so"
                        + " extra work shows as fewer GFLOP/s.\n");
        sb.append(SuiteFormat.peakNote(peakGflopsPerCore, "FMA peak", "%% peak: of the measured FP32 FMA peak,"
                + " %.1f GFLOP/s per core x threads.")).append('\n');
        sb.append("vs mean: time / the mean objective's (plain SGD step) at the same shape and threads; - = not"
                + " measured.\n");
        for (String n : notes) {
            sb.append(n).append('\n');
        }
        return sb.toString();
    }
}
