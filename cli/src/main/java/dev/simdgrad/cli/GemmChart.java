package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.GemmShape;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG chart of a {@code bench gemm} run (XChart, rendered headless): GFLOP/s per shape as grouped bars, one
 * bar per implementation and thread count (simdgrad, EJML, ojAlgo; the scalar reference is left out, it would only
 * squash the axis), with a line for the measured FMA peak at each thread count. No error bars: XChart draws them
 * linearly on a log axis, and the table beside the chart prints them. The y axis is logarithmic: the
 * peers run an order of magnitude below simdgrad, and ratios read as equal distances. A cell that was not measured
 * has no bar.
 */
final class GemmChart {
    static {
        // Before any AWT class loads: a chart is drawn off-screen, also on machines without a display.
        System.setProperty("java.awt.headless", "true");
    }

    private static final Map<String, String> NAMES = Map.of("simdgrad", "simdgrad", "ejml", "EJML",
            "ojalgo", "ojAlgo");
    private static final Map<String, Color> COLORS = Map.of("simdgrad", new Color(0x1f77b4),
            "ejml", new Color(0xff7f0e), "ojalgo", new Color(0x2ca02c));

    private GemmChart() {
    }

    /**
     * Draws {@code run} into {@code png} (parent directories created).
     *
     * @param title the chart's title, e.g. the machine
     * @return the file written: {@code png}, with ".png" appended if it did not end so (XChart appends it)
     * @throws IOException              if the file cannot be written
     * @throws IllegalArgumentException if the run has no simdgrad, EJML or ojAlgo result to draw
     */
    static Path write(Path png, GemmRun run, String title) throws IOException {
        CategoryChart chart = chart(run, title);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BitmapEncoder.saveBitmapWithDPI(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG, 144);
        return png.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png") ? png
                : png.resolveSibling(png.getFileName() + ".png");
    }

    static CategoryChart chart(GemmRun run, String title) {
        List<GemmShape> shapes = new ArrayList<>();
        // (implementation, threads) -> shape -> result, implementations in a fixed order, threads ascending.
        Map<String, TreeMap<Integer, Map<GemmShape, GemmResult>>> cells = new LinkedHashMap<>();
        for (String impl : List.of("simdgrad", "ejml", "ojalgo")) {
            cells.put(impl, new TreeMap<>());
        }
        for (GemmResult r : run.results()) {
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
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(700).title(title)
                .xAxisTitle("shape (m x n x k; N/T: A, B stored as is or transposed)").yAxisTitle("GFLOP/s (log)")
                .build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setXAxisLabelRotation(30); // shape names overlap when horizontal
        List<String> x = shapes.stream().map(GemmShape::toString).toList();
        double maxGflops = 0;
        double minGflops = Double.POSITIVE_INFINITY;
        for (var byImpl : cells.entrySet()) {
            for (var byThreads : byImpl.getValue().entrySet()) {
                List<Double> y = new ArrayList<>();
                for (GemmShape shape : shapes) {
                    GemmResult r = byThreads.getValue().get(shape);
                    y.add(r == null ? null : r.gflops());
                    if (r != null && r.gflops() > 0) {
                        maxGflops = Math.max(maxGflops, r.gflops());
                        minGflops = Math.min(minGflops, r.gflops());
                    }
                }
                int t = byThreads.getKey();
                // No error bars: XChart draws them linearly on a log axis, far too long; the table prints them.
                CategorySeries series = chart.addSeries(NAMES.get(byImpl.getKey()) + ", " + t + " thread"
                        + (t == 1 ? "" : "s"), x, y);
                Color c = COLORS.get(byImpl.getKey());
                // More threads, darker shade of the implementation's colour.
                series.setFillColor(t == 1 ? c : c.darker());
            }
        }
        if (Double.isFinite(run.peakGflopsPerCore())) {
            var threads = new TreeSet<Integer>();
            run.results().forEach(r -> threads.add(Math.min(r.threads(), Math.max(1, run.cores()))));
            for (int t : threads) {
                double peak = run.peakGflopsPerCore() * t;
                maxGflops = Math.max(maxGflops, peak);
                List<Double> y = new ArrayList<>();
                for (int i = 0; i < x.size(); i++) {
                    y.add(peak);
                }
                CategorySeries line = chart.addSeries(String.format(Locale.ROOT, "FMA peak, %d core%s"
                        + " (%.0f GFLOP/s)", t, t == 1 ? "" : "s", peak), x, y);
                line.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(t == 1 ? Color.RED : Color.RED.darker().darker());
                line.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        t == 1 ? new float[] {8f, 6f} : new float[] {2f, 4f}, 0f));
            }
        }
        if (maxGflops > 0) {
            // Bars grow from the axis minimum, which XChart would put at 0 (impossible on a log axis): the decade
            // below the smallest bar instead.
            double floor = Math.pow(10, Math.floor(Math.log10(Math.max(minGflops, maxGflops * 1e-4))));
            chart.getStyler().setYAxisMin(floor);
            chart.getStyler().setYAxisMax(maxGflops * 1.3);
        }
        return chart;
    }
}
