package dev.simdgrad.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG chart of a {@code bench} run (XChart, rendered headless): grouped bars per category on a logarithmic y
 * axis, with optional horizontal lines for a measured peak. Logarithmic because peers and variants differ by orders
 * of magnitude, and ratios then read as equal distances. No error bars: XChart draws them linearly on a log axis, far
 * too long; the table beside the chart prints them. A null value has no bar.
 */
final class BarChart {
    static {
        // Before any AWT class loads: charts are drawn off-screen, also on machines without a display.
        System.setProperty("java.awt.headless", "true");
    }

    private final CategoryChart chart;
    private final List<String> categories;
    private double min = Double.POSITIVE_INFINITY;
    private double max = 0;
    private int bars;

    /**
     * @param categories the x axis labels, in order
     */
    BarChart(String title, String xTitle, String yTitle, List<String> categories) {
        this.categories = List.copyOf(categories);
        chart = new CategoryChartBuilder().width(1400).height(700).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle + " (log)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setXAxisLabelRotation(30); // long category names overlap when horizontal
    }

    /**
     * Adds a bar per category.
     *
     * @param values one per category, null where there is no bar; non-positive values are left out (log axis)
     * @param fill   the bars' colour, null for XChart's next one
     */
    BarChart bars(String name, List<Double> values, Color fill) {
        if (values.size() != categories.size()) {
            throw new IllegalArgumentException(name + ": " + values.size() + " values for " + categories.size()
                    + " categories");
        }
        List<Double> y = new ArrayList<>();
        for (Double v : values) {
            boolean drawn = v != null && v > 0 && Double.isFinite(v);
            y.add(drawn ? v : null);
            if (drawn) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                bars++;
            }
        }
        CategorySeries s = chart.addSeries(name, categories, y);
        if (fill != null) {
            s.setFillColor(fill);
        }
        return this;
    }

    /**
     * Adds a dashed horizontal line at {@code y} across all categories, e.g. a measured peak. With a single category
     * XChart has no line to draw: the value is then only in the legend (put it in {@code name}).
     *
     * @param dense short dashes instead of long ones, to tell two lines apart
     */
    BarChart line(String name, double y, Color color, boolean dense) {
        if (!(y > 0) || !Double.isFinite(y)) {
            return this;
        }
        max = Math.max(max, y);
        List<Double> ys = new ArrayList<>();
        categories.forEach(c -> ys.add(y));
        CategorySeries line = chart.addSeries(name, categories, ys);
        line.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(color);
        line.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                dense ? new float[] {2f, 4f} : new float[] {8f, 6f}, 0f));
        return this;
    }

    /**
     * Writes the chart as PNG into {@code png} (parent directories created).
     *
     * @return the file written: {@code png}, with ".png" appended if it did not end so (XChart appends it)
     * @throws IOException              if the file cannot be written
     * @throws IllegalArgumentException if no bar was added
     */
    Path write(Path png) throws IOException {
        if (bars == 0) {
            throw new IllegalArgumentException("no result to chart");
        }
        // Bars grow from the axis minimum, which XChart would put at 0 (impossible on a log axis): the decade below
        // the smallest bar instead, but not more than four decades below the largest value.
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.max(min, max * 1e-4)))));
        chart.getStyler().setYAxisMax(max * 1.3);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BitmapEncoder.saveBitmapWithDPI(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG, 144);
        return png.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png") ? png
                : png.resolveSibling(png.getFileName() + ".png");
    }
}
