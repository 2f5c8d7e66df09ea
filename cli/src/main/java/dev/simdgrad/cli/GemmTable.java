package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.GemmShape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Formats SGEMM results as a plain-text table, one row per (shape, threads): simdgrad's GFLOP/s with its error, its
 * share of the measured peak, the peers' GFLOP/s and simdgrad's speed-up over each. A cell that was not measured
 * prints as "-", an error JMH could not estimate as "?".
 */
final class GemmTable {
    private static final String MISSING = "-";

    private GemmTable() {
    }

    /**
     * The table, followed by a legend and {@code notes} (one per line).
     *
     * @param results     every measured cell, in any order; the last one wins if a cell repeats
     * @param shapeOrder  row order of shapes; shapes not listed follow in order of first appearance
     * @param peakPerCore measured single-core FMA peak in GFLOP/s, NaN if unknown (the "% peak" column is then "-";
     *                    "n/a" for a recorded peak that is not positive and finite)
     * @param cores       cores of the machine: the peak of t threads is {@code peakPerCore * min(t, cores)}
     * @param notes       lines printed under the legend, e.g. which shapes the peers were run on
     */
    static String format(List<GemmResult> results, List<GemmShape> shapeOrder, double peakPerCore, int cores,
                         List<String> notes) {
        record Key(GemmShape shape, int threads) {
        }
        Map<Key, Map<String, GemmResult>> rows = new LinkedHashMap<>();
        for (GemmResult r : results) {
            rows.computeIfAbsent(new Key(r.shape(), r.threads()), x -> new LinkedHashMap<>())
                    .put(r.implementation(), r);
        }
        List<GemmShape> order = new ArrayList<>(shapeOrder);
        for (Key key : rows.keySet()) {
            if (!order.contains(key.shape())) {
                order.add(key.shape());
            }
        }
        List<Key> keys = new ArrayList<>(rows.keySet());
        keys.sort(Comparator.comparingInt((Key key) -> order.indexOf(key.shape())).thenComparingInt(Key::threads));

        String[] header = {"shape (m x n x k)", "threads", "simdgrad GFLOP/s", "% peak", "OpenBLAS", "vs OpenBLAS",
            "VectorBLAS", "EJML", "ojAlgo", "reference", "vs EJML", "vs ojAlgo"};
        List<String[]> cells = new ArrayList<>();
        for (Key key : keys) {
            Map<String, GemmResult> row = rows.get(key);
            GemmResult simd = row.get("simdgrad");
            GemmResult ejml = row.get("ejml");
            GemmResult oj = row.get("ojalgo");
            GemmResult ref = row.get("reference");
            GemmResult blas = row.get("openblas");
            GemmResult netlib = row.get("netlib");
            double peak = peakPerCore * Math.min(key.threads(), Math.max(1, cores));
            cells.add(new String[] {
                key.shape().toString(),
                Integer.toString(key.threads()),
                simd == null ? MISSING : num(simd.gflops()) + " ± " + err(simd.gflopsError()),
                simd == null ? MISSING : SuiteFormat.percent(simd.gflops(), peak),
                blas == null ? MISSING : num(blas.gflops()) + " ± " + err(blas.gflopsError()),
                ratio(simd, blas, "%.2fx"),
                netlib == null ? MISSING : num(netlib.gflops()),
                ejml == null ? MISSING : num(ejml.gflops()),
                oj == null ? MISSING : num(oj.gflops()),
                ref == null ? MISSING : num(ref.gflops()),
                ratio(simd, ejml, "%.1fx"),
                ratio(simd, oj, "%.1fx"),
            });
        }
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (String[] row : cells) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, width);
        int total = header.length - 1;
        for (int w : width) {
            total += w + 1;
        }
        sb.append("-".repeat(total)).append(System.lineSeparator());
        for (String[] row : cells) {
            appendRow(sb, row, width);
        }
        sb.append("GFLOP/s = 2mnk / time per call; ± = half-width of JMH's 99.9% confidence interval (? = too few"
                + " iterations).").append(System.lineSeparator());
        sb.append(SuiteFormat.peakNote(peakPerCore, "FMA peak", "%% peak: of the measured FP32 FMA peak, %.1f"
                + " GFLOP/s per core x threads.")).append(System.lineSeparator());
        sb.append("vs OpenBLAS / vs EJML / vs ojAlgo: simdgrad's GFLOP/s over the peer's at the same shape and threads;"
                + " - = not run. OpenBLAS: native cblas_sgemm via FFM; VectorBLAS: netlib-java, pure Java, 1 thread.")
                .append(System.lineSeparator());
        for (String note : notes) {
            sb.append(note).append(System.lineSeparator());
        }
        return sb.toString();
    }

    /** First column left-aligned (names), the rest right-aligned (numbers). */
    private static void appendRow(StringBuilder sb, String[] row, int[] width) {
        for (int c = 0; c < row.length; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            String fmt = c == 0 ? "%-" + width[c] + "s" : "%" + width[c] + "s";
            sb.append(String.format(Locale.ROOT, fmt, row[c]));
        }
        sb.append(System.lineSeparator());
    }

    private static String num(double x) {
        return String.format(Locale.ROOT, x >= 100 ? "%.1f" : x >= 10 ? "%.2f" : "%.3f", x);
    }

    private static String err(double x) {
        return Double.isNaN(x) || Double.isInfinite(x) ? "?" : num(x);
    }

    private static String ratio(GemmResult simd, GemmResult peer, String format) {
        if (simd == null || peer == null || !(peer.gflops() > 0)) {
            return MISSING;
        }
        return String.format(Locale.ROOT, format, simd.gflops() / peer.gflops());
    }
}
