package dev.simdgrad.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * A PNG bar chart on a linear axis of a measurement over seeds: one group of bars per category (e.g. the
 * winsorization level c), one bar per series, each the mean with an error bar of one standard deviation. For
 * categorical x axes in {@code reproduce}, where a line between categories would suggest values in between.
 */
final class SeedBarChart {
    static {
        // Before any AWT class loads: charts are drawn off-screen, also on machines without a display.
        System.setProperty("java.awt.headless", "true");
    }

    private final CategoryChart chart;
    private final List<String> categories;
    private int bars;

    /**
     * @param categories the x axis labels, in order
     */
    SeedBarChart(String title, String xTitle, String yTitle, List<String> categories) {
        this.categories = List.copyOf(categories);
        chart = new CategoryChartBuilder().width(1000).height(600).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setErrorBarsColorSeriesColor(false);
        chart.getStyler().setErrorBarsColor(Color.BLACK);
    }

    /**
     * Adds a bar per category.
     *
     * @param means one per category; NaN where there is no bar (e.g. every seed diverged)
     * @param sds   the error bars, one per category
     */
    SeedBarChart bars(String name, double[] means, double[] sds) {
        if (means.length != categories.size() || sds.length != categories.size()) {
            throw new IllegalArgumentException(name + ": " + means.length + " means, " + sds.length + " error bars"
                    + " for " + categories.size() + " categories");
        }
        List<Double> y = new ArrayList<>(), e = new ArrayList<>();
        for (int i = 0; i < means.length; i++) {
            boolean drawn = Double.isFinite(means[i]);
            y.add(drawn ? means[i] : null);
            e.add(drawn && Double.isFinite(sds[i]) ? sds[i] : 0.0);
            bars += drawn ? 1 : 0;
        }
        chart.addSeries(name, categories, y, e);
        return this;
    }

    /**
     * Writes the chart as PNG into {@code png} (parent directories created) and returns the path.
     *
     * @throws IllegalArgumentException if no bar was added
     */
    Path write(Path png) throws IOException {
        if (bars == 0) {
            throw new IllegalArgumentException("no result to chart");
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return png;
    }
}
