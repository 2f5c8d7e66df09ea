package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.TrainStepBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chart of a {@code bench train-step} run ({@link BarChart}): ms per training step for each objective, one bar
 * per (network shape, threads), so that each objective's cost stands next to the mean objective's.
 */
final class TrainStepChart {
    private TrainStepChart() {
    }

    /**
     * Draws {@code run} into {@code png}; see {@link BarChart#write}.
     *
     * @throws IllegalArgumentException if the run has no result
     */
    static Path write(Path png, BenchRun run) throws IOException {
        List<String> objectiveOrder = run.order("objective");
        List<String> objectives = run.results().stream().map(r -> r.param("objective")).distinct()
                .sorted(Comparator.comparingInt((String o) -> o.equals(TrainStepTable.BASELINE) ? -1
                        : AggregateTable.rank(objectiveOrder, o)).thenComparing(o -> o))
                .toList();
        List<String> shapeOrder = run.order("shape");
        List<BenchResult> sorted = new ArrayList<>(run.results());
        sorted.sort(Comparator.comparingInt((BenchResult r) -> AggregateTable.rank(shapeOrder, r.param("shape")))
                .thenComparing(r -> r.param("shape"))
                .thenComparingInt(r -> Integer.parseInt(r.param("threads"))));
        // (shape, threads) -> objective -> ms
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        for (BenchResult r : sorted) {
            int t = Integer.parseInt(r.param("threads"));
            series.computeIfAbsent(r.param("shape") + ", " + t + " thread" + (t == 1 ? "" : "s"),
                    k -> new LinkedHashMap<>()).put(r.param("objective"), r.score());
        }
        BarChart chart = new BarChart("One training step (B = " + TrainStepBenchmark.BATCH + "), " + run.machine(),
                "objective", "ms per step", objectives);
        for (var e : series.entrySet()) {
            chart.bars(e.getKey(), objectives.stream().map(o -> e.getValue().get(o)).toList(), null);
        }
        return chart.write(png);
    }
}
