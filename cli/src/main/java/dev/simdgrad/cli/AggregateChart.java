package dev.simdgrad.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chart of a {@code bench aggregate} run ({@link BarChart}): per method, the GB/s of the B x P matrix (the
 * table's GB/s column), one bar per (shape, B, c), with a line for the measured read bandwidth: a fused aggregator
 * above the line is faster than merely reading the matrix the explicit path needs.
 */
final class AggregateChart {
    private AggregateChart() {
    }

    /**
     * Draws {@code run} into {@code png}; see {@link BarChart#write}.
     *
     * @throws IllegalArgumentException if the run has no result
     */
    static Path write(Path png, BenchRun run) throws IOException {
        List<String> methods = run.results().stream().map(BenchResult::method).distinct()
                .sorted(Comparator.comparingInt((String m) -> AggregateTable.rank(AggregateTable.METHODS, m))
                        .thenComparing(m -> m))
                .toList();
        List<String> shapeOrder = run.order("shape");
        List<BenchResult> sorted = new ArrayList<>(run.results());
        sorted.sort(Comparator.comparingInt((BenchResult r) -> AggregateTable.rank(shapeOrder, r.param("shape")))
                .thenComparing(r -> r.param("shape"))
                .thenComparingInt(r -> Integer.parseInt(r.param("batch")))
                .thenComparingInt(r -> Integer.parseInt(r.param("c"))));
        // (shape, B, c) -> method -> GB/s
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        for (BenchResult r : sorted) {
            String name = r.param("shape") + ", B=" + r.param("batch") + ", c=" + r.param("c")
                    + (r.params().getOrDefault("threads", "1").equals("1") ? "" : ", " + r.param("threads")
                            + " threads");
            series.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(r.method(), AggregateTable.gbPerSecond(r));
        }
        BarChart chart = new BarChart("Per-example gradient aggregation, " + run.machine(), "benchmark",
                "GB/s of the B x P per-example gradient matrix", methods);
        for (var e : series.entrySet()) {
            chart.bars(e.getKey(), methods.stream().map(m -> e.getValue().get(m)).toList(), null);
        }
        chart.line(String.format(Locale.ROOT, "read bandwidth, 1 core (%.1f GB/s)", run.peakReadGbPerSecond()),
                run.peakReadGbPerSecond(), Color.RED, false);
        return chart.write(png);
    }
}
