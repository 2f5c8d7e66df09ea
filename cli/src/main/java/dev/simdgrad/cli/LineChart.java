package dev.simdgrad.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A PNG line chart of named (x, y) series (XChart, rendered headless), for the curves of {@code train} and
 * {@code reproduce}: accuracy per epoch, distance ratio against width, and so on. Series are added in order and
 * keep it in the legend; NaN points are left out (XChart cannot draw them).
 */
final class LineChart {
    static {
        // Before any AWT class loads: charts are drawn off-screen, also on machines without a display.
        System.setProperty("java.awt.headless", "true");
    }

    private final String title, xTitle, yTitle;
    private final Map<String, double[][]> series = new LinkedHashMap<>();
    private final Map<String, double[]> errorBars = new LinkedHashMap<>();
    private boolean logX, logY, markers;

    LineChart(String title, String xTitle, String yTitle) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
    }

    /** Logarithmic x axis (for widths growing by factors). */
    LineChart logX() {
        logX = true;
        return this;
    }

    /** Logarithmic y axis. */
    LineChart logY() {
        logY = true;
        return this;
    }

    /** Draws a marker at every point (for short series where each point is a run). */
    LineChart markers() {
        markers = true;
        return this;
    }

    /** Adds a series; x and y have the same length. */
    LineChart series(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(name + ": " + x.length + " x values, " + y.length + " y values");
        }
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            n += Double.isFinite(x[i]) && Double.isFinite(y[i]) ? 1 : 0;
        }
        double[][] xy = new double[2][n];
        for (int i = 0, j = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                xy[0][j] = x[i];
                xy[1][j++] = y[i];
            }
        }
        series.put(name, xy);
        return this;
    }

    /**
     * Adds a series with symmetric error bars (e.g. one standard deviation over seeds); x, y and err have the same
     * length. On a logarithmic y axis a bar is cut at 0.9 y below the point (the axis has no zero).
     */
    LineChart series(String name, double[] x, double[] y, double[] err) {
        if (err.length != y.length) {
            throw new IllegalArgumentException(name + ": " + y.length + " y values, " + err.length + " error bars");
        }
        series(name, x, y);
        double[] e = new double[series.get(name)[0].length];
        for (int i = 0, j = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                e[j++] = Double.isFinite(err[i]) ? Math.abs(err[i]) : 0;
            }
        }
        errorBars.put(name, e);
        return this;
    }

    /** Writes the chart as PNG into {@code png} (parent directories created) and returns the path. */
    Path write(Path png) throws IOException {
        XYChart chart = new XYChartBuilder().width(1000).height(600).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setXAxisDecimalPattern(logX ? "0.###" : null);
        for (var e : series.entrySet()) {
            if (e.getValue()[0].length == 0) {
                continue;
            }
            double[] err = errorBars.get(e.getKey());
            if (err != null && logY) {
                err = err.clone();
                for (int i = 0; i < err.length; i++) {
                    err[i] = Math.min(err[i], 0.9 * e.getValue()[1][i]);
                }
            }
            XYSeries s = err == null ? chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1])
                    : chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1], err);
            s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return png;
    }
}
