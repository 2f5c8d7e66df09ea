package dev.simdgrad.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Formats {@code TrainStepBenchmark} results: one row per (shape, threads, objective) with ms/step ± error and the
 * time relative to the {@code mean} objective at the same shape and threads.
 */
final class TrainStepTable {
    static final String BASELINE = "mean";

    private TrainStepTable() {
    }

    /**
     * The table, a legend and the notes.
     *
     * @param shapeOrder     row order of shapes; others follow
     * @param objectiveOrder row order of objectives; others follow
     */
    static String format(List<SuiteResult> results, List<String> shapeOrder, List<String> objectiveOrder,
                         List<String> notes) {
        Map<String, Double> mean = new HashMap<>();
        for (SuiteResult r : results) {
            if (r.param("objective").equals(BASELINE)) {
                mean.put(r.param("shape") + "/" + r.param("threads"), r.ms());
            }
        }
        List<SuiteResult> rows = new ArrayList<>(results);
        rows.sort(Comparator.comparingInt((SuiteResult r) -> AggregateTable.rank(shapeOrder, r.param("shape")))
                .thenComparing(r -> r.param("shape"))
                .thenComparingInt(r -> Integer.parseInt(r.param("threads")))
                .thenComparingInt(r -> AggregateTable.rank(objectiveOrder, r.param("objective")))
                .thenComparing(r -> r.param("objective")));
        TextTable t = new TextTable(List.of("shape", "threads", "objective", "ms/step", "vs mean"));
        for (SuiteResult r : rows) {
            t.add(r.param("shape"), r.param("threads"), r.param("objective"),
                    SuiteFormat.withError(r.ms(), r.msError()),
                    SuiteFormat.ratio(r.ms(), mean.get(r.param("shape") + "/" + r.param("threads"))));
        }
        StringBuilder sb = new StringBuilder(t.format());
        sb.append("ms/step ± half-width of JMH's 99.9% confidence interval (? = too few iterations).\n");
        sb.append("vs mean: time / the mean objective's at the same shape and threads; - = not measured.\n");
        for (String n : notes) {
            sb.append(n).append('\n');
        }
        return sb.toString();
    }
}
