package dev.simdgrad.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
    private final Map<String, double[]> errors = new LinkedHashMap<>();
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
     * Adds a series of means with error bars (e.g. one standard deviation over seeds); x, y and err have the same
     * length. Points where any of the three is not finite are left out. On a logarithmic y axis a bar is cut at
     * 0.9 y (both ways: XChart's bars are symmetric, and the axis has no zero).
     */
    LineChart series(String name, double[] x, double[] y, double[] err) {
        if (err.length != y.length) {
            throw new IllegalArgumentException(name + ": " + y.length + " y values, " + err.length + " error bars");
        }
        double[] xs = x.clone();
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Double.isFinite(err[i]) ? xs[i] : Double.NaN;
        }
        series(name, xs, y);
        double[] e = new double[series.get(name)[0].length];
        for (int i = 0, j = 0; i < xs.length; i++) {
            if (Double.isFinite(xs[i]) && Double.isFinite(y[i])) {
                e[j++] = err[i];
            }
        }
        errors.put(name, e);
        return this;
    }

    /**
     * The series drawn (almost) exactly under another: same x values and every y within 0.5 % of the chart's y
     * range. A reader cannot see such a curve, so the title names it ("a lies under b").
     */
    String hiddenNote() {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[][] xy : series.values()) {
            for (double y : xy[1]) {
                lo = Math.min(lo, y);
                hi = Math.max(hi, y);
            }
        }
        double tol = 0.005 * (hi - lo);
        List<String> names = new ArrayList<>(series.keySet());
        List<String> notes = new ArrayList<>();
        for (int i = 1; i < names.size(); i++) {   // a later series is drawn over an earlier one
            for (int j = 0; j < i; j++) {
                double[][] a = series.get(names.get(j)), b = series.get(names.get(i));
                if (a[0].length > 0 && Arrays.equals(a[0], b[0]) && within(a[1], b[1], tol)) {
                    notes.add(names.get(j) + " lies under " + names.get(i));
                    break;
                }
            }
        }
        return String.join("; ", notes);
    }

    private static boolean within(double[] a, double[] b, double tol) {
        for (int k = 0; k < a.length; k++) {
            if (Math.abs(a[k] - b[k]) > tol) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the chart as PNG into {@code png} (parent directories created) and returns the path. A series hidden
     * under another is named in the title ({@link #hiddenNote}).
     */
    Path write(Path png) throws IOException {
        String hidden = hiddenNote();
        XYChart chart = new XYChartBuilder().width(1000).height(600)
                .title(hidden.isEmpty() ? title : title + " [" + hidden + "]").xAxisTitle(xTitle)
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
            double[] err = errors.get(e.getKey());
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
