package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.AggregateBenchmark;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Formats {@code AggregateBenchmark} results: one row per (shape, B, c, method) with ms/op ± error, the bandwidth of
 * the B x P per-example gradient matrix (written or read by the explicit path, never formed by the others), its share
 * of the measured read bandwidth, the time relative to {@code plainGradient}, and the speed-up over the peer measured
 * in the same run: the explicit path, {@code materialize} followed by the explicit aggregator.
 */
final class AggregateTable {
    static final String BASELINE = "plainGradient";
    static final String MATERIALIZE = "materialize";

    /** Row order of the methods; others follow by name. */
    static final List<String> METHODS = List.of(BASELINE, "norms", "normsAndClippedGradient", "fusedWinsorized",
            "fusedTrimmed", "fusedMedian", "fusedMedianOfMeans", "writeMatrix", MATERIALIZE, "readMatrix",
            "explicitMean", "explicitMeanOpenBlas", "explicitWinsorized", "explicitTrimmed", "explicitMedian",
            "explicitMedianOfMeans");

    /** Each method's explicit peer: the same aggregate computed over the materialized B x P matrix. */
    static final Map<String, String> PEERS = Map.of(BASELINE, "explicitMean", "fusedWinsorized", "explicitWinsorized",
            "fusedTrimmed", "explicitTrimmed", "fusedMedian", "explicitMedian", "fusedMedianOfMeans",
            "explicitMedianOfMeans");

    /** The methods that do not depend on c (they run once per c all the same). */
    private static final Set<String> WITHOUT_C = Set.of(BASELINE, "norms", "normsAndClippedGradient", "fusedMedian",
            MATERIALIZE, "explicitMean", "explicitMeanOpenBlas", "explicitMedian", "readMatrix", "writeMatrix");

    private AggregateTable() {
    }

    /**
     * Whether a method works on the materialized matrix, and so covers only {@link #columns} coordinates: materialize,
     * the explicit aggregators, and the bandwidth references (one read or one fill of that matrix).
     */
    static boolean explicit(String method) {
        return method.equals(MATERIALIZE) || method.startsWith("explicit") || method.equals("readMatrix")
                || method.equals("writeMatrix");
    }

    /** The coordinates a cell covers: P = dOut x dIn, or the benchmark's cap for the explicit path. */
    static long columns(BenchResult r) {
        String[] d = r.param("shape").split("x");
        int dIn = Integer.parseInt(d[0]);
        int dOut = Integer.parseInt(d[1]);
        int batch = Integer.parseInt(r.param("batch"));
        return explicit(r.method()) ? AggregateBenchmark.explicitColumns(batch, dOut, dIn) : (long) dOut * dIn;
    }

    /** GB/s of the B x {@link #columns} float matrix at the cell's time. */
    static double gbPerSecond(BenchResult r) {
        double bytes = 4.0 * Integer.parseInt(r.param("batch")) * columns(r);
        return bytes / (r.score() * 1e-3) / 1e9;
    }

    /** P / columns: what an explicit cell's time is multiplied by to cover all P coordinates. */
    private static double toAllCoordinates(BenchResult r) {
        String[] d = r.param("shape").split("x");
        return (double) Long.parseLong(d[0]) * Long.parseLong(d[1]) / columns(r);
    }

    /**
     * The table, a legend and the notes.
     *
     * @param shapeOrder          row order of shapes; others follow
     * @param peakReadGbPerSecond measured single-core read bandwidth, NaN if unknown ("% peak" is then "-")
     */
    static String format(List<BenchResult> results, List<String> shapeOrder, double peakReadGbPerSecond,
                         List<String> notes) {
        Cells cells = new Cells(results);
        List<BenchResult> rows = new ArrayList<>(results);
        rows.sort(Comparator.comparingInt((BenchResult r) -> rank(shapeOrder, r.param("shape")))
                .thenComparing(r -> r.param("shape"))
                .thenComparingInt(r -> Integer.parseInt(r.param("batch")))
                .thenComparingInt(r -> Integer.parseInt(r.param("c")))
                .thenComparingInt(r -> rank(METHODS, r.method()))
                .thenComparing(BenchResult::method));
        TextTable t = new TextTable(List.of("shape", "B", "c", "benchmark", "ms/op", "GB/s", "% peak", "vs plain",
                "speed-up vs explicit"));
        for (BenchResult r : rows) {
            double gbs = gbPerSecond(r);
            BenchResult plain = cells.get(BASELINE, r);
            String peer = PEERS.get(r.method());
            Double explicitPath = peer == null ? null : cells.explicitPath(peer, r);
            t.add(r.param("shape"), r.param("batch"), r.param("c"), r.method(),
                    SuiteFormat.withError(r.score(), r.error()), SuiteFormat.num(gbs),
                    SuiteFormat.percent(gbs, peakReadGbPerSecond),
                    SuiteFormat.ratio(r.score(), plain == null ? null : plain.score()),
                    explicitPath == null ? SuiteFormat.MISSING : SuiteFormat.ratio(explicitPath, r.score()));
        }
        StringBuilder sb = new StringBuilder(t.format());
        sb.append("ms/op ± half-width of JMH's 99.9% confidence interval (? = too few iterations).\n");
        sb.append("GB/s: B x P x 4 bytes / time, P = dOut x dIn: for materialize and explicit* the matrix they write"
                + " or read (at most 2^27 floats: larger ones are cut to 2^27 / B columns), for the others the"
                + " per-example gradient matrix they never form.\n");
        sb.append(SuiteFormat.peakNote(peakReadGbPerSecond, "read bandwidth", "%% peak: of the measured single-core"
                + " read bandwidth, %.1f GB/s; above 100%% = faster than reading the matrix once.")).append('\n');
        sb.append("vs plain: time / plainGradient's at the same shape and B; - = not measured.\n");
        sb.append("speed-up vs explicit: the explicit path's time (materialize + the explicit aggregator, scaled to"
                + " all P coordinates) / this time, for plainGradient (explicitMean) and the fused aggregators;"
                + " - = no peer, or not measured.\n");
        for (String n : notes) {
            sb.append(n).append('\n');
        }
        return sb.toString();
    }

    static int rank(List<String> order, String value) {
        int i = order.indexOf(value);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    /** The cells by (method, shape, B, c), with the fall-backs for methods that do not depend on c. */
    private static final class Cells {
        private final Map<String, BenchResult> byKey = new HashMap<>();

        Cells(List<BenchResult> results) {
            for (BenchResult r : results) {
                byKey.put(key(r.method(), r) + "/" + r.param("c"), r);
                byKey.putIfAbsent(key(r.method(), r), r);
            }
        }

        private static String key(String method, BenchResult at) {
            return method + "/" + at.param("shape") + "/" + at.param("batch");
        }

        /**
         * {@code method}'s cell at {@code at}'s shape, B and c; for a method that does not depend on c, else at
         * another c (a run may have measured it at one c only); null if not measured.
         */
        BenchResult get(String method, BenchResult at) {
            BenchResult r = byKey.get(key(method, at) + "/" + at.param("c"));
            return r != null || !WITHOUT_C.contains(method) ? r : byKey.get(key(method, at));
        }

        /** materialize + {@code peer} at {@code at}'s cell, in ms for all P coordinates; null if either is missing. */
        Double explicitPath(String peer, BenchResult at) {
            BenchResult m = get(MATERIALIZE, at);
            BenchResult p = get(peer, at);
            if (m == null || p == null) {
                return null;
            }
            return m.score() * toAllCoordinates(m) + p.score() * toAllCoordinates(p);
        }
    }
}
