package dev.simdgrad.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Formats {@code AggregateBenchmark} results: one row per (shape, B, c, method) with ms/op ± error, the bandwidth
 * of streaming the equivalent B x P per-example gradient matrix once (B * dOut * dIn * 4 bytes / time), and the time
 * relative to {@code plainGradient} at the same shape and B.
 */
final class AggregateTable {
    static final String BASELINE = "plainGradient";

    private AggregateTable() {
    }

    /** Bytes of the B x P float matrix of per-example gradients for a shape "dInxdOut". */
    static double matrixBytes(String shape, int batch) {
        String[] d = shape.split("x");
        return 4.0 * batch * Long.parseLong(d[0]) * Long.parseLong(d[1]);
    }

    /** GB/s of the equivalent B x P matrix at {@code ms} per call. */
    static double gbPerSecond(String shape, int batch, double ms) {
        return matrixBytes(shape, batch) / (ms * 1e-3) / 1e9;
    }

    /**
     * The table, a legend and the notes.
     *
     * @param shapeOrder row order of shapes; others follow
     */
    static String format(List<SuiteResult> results, List<String> shapeOrder, List<String> notes) {
        // plainGradient does not depend on c: prefer the same c, else any c at the same (shape, B).
        Map<String, Double> plain = new HashMap<>();
        for (SuiteResult r : results) {
            if (r.method().equals(BASELINE)) {
                plain.put(r.param("shape") + "/" + r.param("batch") + "/" + r.param("c"), r.ms());
                plain.putIfAbsent(r.param("shape") + "/" + r.param("batch"), r.ms());
            }
        }
        List<SuiteResult> rows = new ArrayList<>(results);
        rows.sort(Comparator.comparingInt((SuiteResult r) -> rank(shapeOrder, r.param("shape")))
                .thenComparing(r -> r.param("shape"))
                .thenComparingInt(r -> Integer.parseInt(r.param("batch")))
                .thenComparingInt(r -> Integer.parseInt(r.param("c")))
                .thenComparing(r -> !r.method().equals(BASELINE)));
        TextTable t = new TextTable(List.of("shape", "B", "c", "benchmark", "ms/op", "GB/s", "vs plain"));
        for (SuiteResult r : rows) {
            String shape = r.param("shape");
            int b = Integer.parseInt(r.param("batch"));
            Double base = plain.get(shape + "/" + b + "/" + r.param("c"));
            if (base == null) {
                base = plain.get(shape + "/" + b);
            }
            t.add(shape, Integer.toString(b), r.param("c"), r.method(), SuiteFormat.withError(r.ms(), r.msError()),
                    SuiteFormat.num(gbPerSecond(shape, b, r.ms())), SuiteFormat.ratio(r.ms(), base));
        }
        StringBuilder sb = new StringBuilder(t.format());
        sb.append("ms/op ± half-width of JMH's 99.9% confidence interval (? = too few iterations).\n");
        sb.append("GB/s: of the equivalent B x P per-example gradient matrix, B * dOut * dIn * 4 bytes / time.\n");
        sb.append("vs plain: time / plainGradient's at the same shape and B; - = not measured.\n");
        for (String n : notes) {
            sb.append(n).append('\n');
        }
        return sb.toString();
    }

    static int rank(List<String> order, String value) {
        int i = order.indexOf(value);
        return i < 0 ? Integer.MAX_VALUE : i;
    }
}
