package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.GemmShape;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The chart of a {@code bench gemm} run ({@link BarChart}): GFLOP/s per shape, one bar per implementation and thread
 * count (simdgrad, EJML, ojAlgo; the scalar reference is left out, it would only squash the axis), with a line for
 * the measured FMA peak at each thread count.
 */
final class GemmChart {
    private static final Map<String, String> NAMES = Map.of("simdgrad", "simdgrad", "openblas", "OpenBLAS",
            "netlib", "VectorBLAS", "ejml", "EJML", "ojalgo", "ojAlgo");
    private static final Map<String, Color> COLORS = Map.of("simdgrad", new Color(0x1f77b4),
            "openblas", new Color(0xd62728), "netlib", new Color(0x9467bd), "ejml", new Color(0xff7f0e),
            "ojalgo", new Color(0x2ca02c));

    private GemmChart() {
    }

    /**
     * Draws {@code run} into {@code png}; see {@link BarChart#write}.
     *
     * @throws IllegalArgumentException if the run has no simdgrad, EJML or ojAlgo result to draw
     */
    static Path write(Path png, BenchRun run, String title) throws IOException {
        List<GemmShape> shapes = new ArrayList<>();
        // (implementation, threads) -> shape -> result, implementations in a fixed order, threads ascending.
        Map<String, TreeMap<Integer, Map<GemmShape, GemmResult>>> cells = new LinkedHashMap<>();
        for (String impl : List.of("simdgrad", "openblas", "netlib", "ejml", "ojalgo")) {
            cells.put(impl, new TreeMap<>());
        }
        for (GemmResult r : GemmResult.of(run.results())) {
            if (!cells.containsKey(r.implementation())) {
                continue;
            }
            if (!shapes.contains(r.shape())) {
                shapes.add(r.shape());
            }
            cells.get(r.implementation()).computeIfAbsent(r.threads(), t -> new LinkedHashMap<>()).put(r.shape(), r);
        }
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("no simdgrad, EJML or ojAlgo result to chart");
        }
        BarChart chart = new BarChart(title, "shape (m x n x k; N/T: A, B stored as is or transposed)", "GFLOP/s",
                shapes.stream().map(GemmShape::toString).toList());
        for (var byImpl : cells.entrySet()) {
            for (var byThreads : byImpl.getValue().entrySet()) {
                List<Double> y = new ArrayList<>();
                for (GemmShape shape : shapes) {
                    GemmResult r = byThreads.getValue().get(shape);
                    y.add(r == null ? null : r.gflops());
                }
                int t = byThreads.getKey();
                Color c = COLORS.get(byImpl.getKey());
                // More threads, darker shade of the implementation's colour.
                chart.bars(NAMES.get(byImpl.getKey()) + ", " + t + " thread" + (t == 1 ? "" : "s"), y,
                        t == 1 ? c : c.darker());
            }
        }
        if (SuiteFormat.usablePeak(run.peakGflopsPerCore())) {
            var threads = new TreeSet<Integer>();
            run.results().forEach(r -> threads.add(Math.min(Integer.parseInt(r.param("threads")),
                    Math.max(1, run.cores()))));
            for (int t : threads) {
                double peak = run.peakGflopsPerCore() * t;
                chart.line(String.format(Locale.ROOT, "FMA peak, %d core%s (%.0f GFLOP/s)", t, t == 1 ? "" : "s",
                        peak), peak, t == 1 ? Color.RED : Color.RED.darker().darker(), t != 1);
            }
        }
        return chart.write(png);
    }
}
