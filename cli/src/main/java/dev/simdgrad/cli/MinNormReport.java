package dev.simdgrad.cli;

import dev.simdgrad.experiments.minnorm.MinNorm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link MinNorm.Result}: the width table, the noise table and the claims; files
 * {@code widths.csv}, {@code noise.csv}, {@code result.json}, {@code distance-vs-width.png} and
 * {@code test-error-vs-bound.png}.
 */
final class MinNormReport {
    private MinNormReport() {
    }

    /** The printed tables. */
    static String table(MinNorm.Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Min-norm convergence: %s; n = %d train, %d test, centred unit-norm"
                + " inputs; NTK ReLU, symmetric init, frozen output; full-batch GD, T = %d steps, eta = %.2f%n%n",
                r.source(), r.n(), r.testSize(), r.config().steps(), r.learningRate()));
        TextTable w = new TextTable(List.of("width m", "||W_T-W*||/||W*-W0||", "||W_T-W0||", "sqrt(y'H^-1 y)",
                "train loss", "test error", "seconds"));
        for (var row : r.widths()) {
            w.add(Integer.toString(row.width()), f(row.relativeDistance()), f(row.distance()),
                    f(row.predictedDistance()), String.format(Locale.ROOT, "%.5f", row.trainLoss()),
                    f(row.testError()), String.format(Locale.ROOT, "%.1f", row.seconds()));
        }
        sb.append(w.format());
        sb.append(String.format(Locale.ROOT, "GD on the linearized infinite-width model reaches a ratio of %.3f and"
                + " ||W_T-W0|| = %.3f in the same T steps (what stopping at T accounts for).%n%n", r.linearFloor(),
                r.linearDistance()));
        TextTable t = new TextTable(List.of("label noise", "train error", "train loss", "test error",
                "bound sqrt(2y'Hinf^-1y/n)"));
        for (var row : r.noise()) {
            t.add(String.format(Locale.ROOT, "%.2f", row.noise()), f(row.trainError()),
                    String.format(Locale.ROOT, "%.5f", row.trainLoss()), f(row.testError()), f(row.bound()));
        }
        sb.append(String.format(Locale.ROOT, "Test error against the bound (width %d):%n", r.config().noiseWidth()));
        sb.append(t.format()).append('\n');
        for (String d : r.diverged()) {
            sb.append("diverged (no row, not in the claims): ").append(d).append('\n');
        }
        sb.append(ClaimTable.format(r.claims()));
        return sb.toString();
    }

    /** Writes the CSV, JSON and PNG files into {@code dir}; returns their paths. */
    static List<Path> write(MinNorm.Result r, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        List<List<?>> wr = new ArrayList<>();
        for (var row : r.widths()) {
            wr.add(List.of(row.width(), row.relativeDistance(), row.distance(), row.predictedDistance(),
                    row.trainLoss(), row.testError(), row.seconds()));
        }
        files.add(ResultFiles.csv(dir.resolve("widths.csv"), List.of("width", "relative_distance_to_min_norm",
                "distance_from_init", "sqrt_yHinvy", "train_loss", "test_error", "seconds"), wr));
        List<List<?>> nr = new ArrayList<>();
        for (var row : r.noise()) {
            nr.add(List.of(row.noise(), row.trainError(), row.trainLoss(), row.testError(), row.bound()));
        }
        files.add(ResultFiles.csv(dir.resolve("noise.csv"), List.of("noise", "train_error", "train_loss",
                "test_error", "bound"), nr));
        files.add(ResultFiles.json(dir.resolve("result.json"), r));
        double[] m = r.widths().stream().mapToDouble(MinNorm.WidthRow::width).toArray();
        double[] floor = new double[m.length];
        java.util.Arrays.fill(floor, r.linearFloor());
        files.add(new LineChart("||W_T - W*|| / ||W* - W0|| against width", "width m", "relative distance").logX()
                .markers()
                .series("GD on the network", m, r.widths().stream()
                        .mapToDouble(MinNorm.WidthRow::relativeDistance).toArray())
                .series("linearized GD, same T (m -> inf)", m, floor)
                .write(dir.resolve("distance-vs-width.png")));
        double[] p = r.noise().stream().mapToDouble(MinNorm.NoiseRow::noise).toArray();
        files.add(new LineChart("Test error and the generalization bound against label noise", "label noise p",
                "error").markers()
                .series("test error", p, r.noise().stream().mapToDouble(MinNorm.NoiseRow::testError)
                        .toArray())
                .series("bound sqrt(2 y'Hinf^-1 y / n)", p, r.noise().stream()
                        .mapToDouble(MinNorm.NoiseRow::bound).toArray())
                .series("train error", p, r.noise().stream().mapToDouble(MinNorm.NoiseRow::trainError)
                        .toArray())
                .write(dir.resolve("test-error-vs-bound.png")));
        return files;
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
