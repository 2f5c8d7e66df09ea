package dev.simdgrad.cli;

import dev.simdgrad.experiments.gradreg.GradientRegularization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link GradientRegularization.Result}: cost, accuracy and sparsity tables and the claims;
 * files {@code cost.csv}, {@code accuracy.csv}, {@code sparsity.csv}, {@code result.json}, {@code cost.png},
 * {@code accuracy.png} and {@code sparsity.png}.
 */
final class GradientRegularizationReport {
    private GradientRegularizationReport() {
    }

    /** The printed tables. */
    static String table(GradientRegularization.Result r) {
        var c = r.config();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Gradient regularization: %s; 784-%d-10 ReLU, SGD lr %s, batch %d, %d"
                + " epochs; SAM rho %s, flooding b %s%n%n", r.source(), c.hidden(), c.lr(), c.batch(), c.epochs(),
                c.rho(), c.flood()));
        TextTable cost = new TextTable(List.of("method", "ms/step (B=128)", "x plain"));
        for (var x : r.costs()) {
            cost.add(x.method(), String.format(Locale.ROOT, "%.2f", x.msPerStep()),
                    String.format(Locale.ROOT, "%.2f", x.ratioToPlain()));
        }
        sb.append("Cost per step (gamma = ").append(c.gammas().getFirst()).append(", epsilon = ")
                .append(c.epsilons().getFirst()).append("; best of 4 rounds):\n").append(cost.format()).append('\n');
        TextTable acc = new TextTable(List.of("method", "gamma", "epsilon", "train acc", "test acc", "sd",
                "test acc by seed", "seconds"));
        for (var a : r.accuracy()) {
            acc.add(a.method(), num(a.gamma()), num(a.epsilon()), f4(a.trainAccuracy()), f4(a.testAccuracy()),
                    f4(a.testSpread()), String.join(" ", a.testBySeed().stream()
                            .map(x -> Double.isNaN(x) ? "diverged" : f3(x)).toList()),
                    String.format(Locale.ROOT, "%.1f", a.seconds()));
        }
        sb.append(String.format(Locale.ROOT, "Fashion-MNIST accuracy (mean and standard deviation over seeds %d..%d;"
                + " each seed: the same initialization and batch order for every method):%n", c.seed(),
                c.seed() + c.seeds() - 1)).append(acc.format()).append('\n');
        TextTable sp = new TextTable(List.of("init scale", "method", "l1 norm", "||b - b*||", "support found",
                "loss"));
        for (var s : r.sparsity()) {
            sp.add(num(s.scale()), s.method(), f3(s.l1()), f3(s.error()), f3(s.support()),
                    String.format(Locale.ROOT, "%.1e", s.loss()));
        }
        sb.append(String.format(Locale.ROOT, "Diagonal linear network b = u*u - v*v, n = %d, d = %d, %d-sparse truth"
                + " (l1 = %.0f); GD lr %s, gamma %s, F-GR epsilon %s:%n", GradientRegularization.DLN_N,
                GradientRegularization.DLN_D, GradientRegularization.DLN_K, r.trueL1(),
                GradientRegularization.DLN_LR, GradientRegularization.DLN_GAMMA,
                GradientRegularization.DLN_EPSILON));
        sb.append(sp.format()).append('\n');
        sb.append(ClaimTable.format(r.claims()));
        return sb.toString();
    }

    /** Writes the CSV, JSON and PNG files into {@code dir}; returns their paths. */
    static List<Path> write(GradientRegularization.Result r, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        List<List<?>> cr = new ArrayList<>();
        for (var x : r.costs()) {
            cr.add(List.of(x.method(), x.msPerStep(), x.ratioToPlain()));
        }
        files.add(ResultFiles.csv(dir.resolve("cost.csv"), List.of("method", "ms_per_step", "ratio_to_plain"), cr));
        List<List<?>> ar = new ArrayList<>();
        for (var a : r.accuracy()) {
            for (int k = 0; k < a.testBySeed().size(); k++) {
                ar.add(List.of(a.method(), a.gamma(), a.epsilon(), r.config().seed() + k, a.trainBySeed().get(k),
                        a.testBySeed().get(k)));
            }
        }
        files.add(ResultFiles.csv(dir.resolve("accuracy.csv"), List.of("method", "gamma", "epsilon", "seed",
                "train_accuracy", "test_accuracy"), ar));
        List<List<?>> sr = new ArrayList<>();
        for (var s : r.sparsity()) {
            sr.add(List.of(s.scale(), s.method(), s.l1(), s.error(), s.support(), s.loss()));
        }
        files.add(ResultFiles.csv(dir.resolve("sparsity.csv"), List.of("init_scale", "method", "l1", "error",
                "support", "loss"), sr));
        files.add(ResultFiles.json(dir.resolve("result.json"), r));
        double[] idx = new double[r.costs().size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        LineChart cost = new LineChart("Cost per step relative to plain SGD (0 plain, 1 F-GR, 2 B-GR, 3 DB, 4 SAM,"
                + " 5 flooding)", "method", "x plain").markers();
        cost.series("ratio to plain", idx, r.costs().stream()
                .mapToDouble(GradientRegularization.Cost::ratioToPlain).toArray());
        files.add(cost.write(dir.resolve("cost.png")));
        LineChart acc = new LineChart("Test accuracy against epsilon (mean over seeds)", "epsilon", "test accuracy").logX().markers();
        for (String m : List.of("F-GR", "B-GR")) {
            for (float g : r.config().gammas()) {
                var rows = r.accuracy().stream().filter(a -> a.method().equals(m) && (float) a.gamma() == g).toList();
                acc.series(m + " gamma=" + g, rows.stream().mapToDouble(a -> a.epsilon()).toArray(),
                        rows.stream().mapToDouble(a -> a.testAccuracy()).toArray());
            }
        }
        double[] eps = r.config().epsilons().stream().mapToDouble(Float::doubleValue).toArray();
        for (String m : List.of("plain", "SAM", "flooding")) {
            double a = r.accuracy().stream().filter(x -> x.method().equals(m)).findFirst()
                    .map(GradientRegularization.Accuracy::testAccuracy).orElse(Double.NaN);
            double[] ys = new double[eps.length];
            java.util.Arrays.fill(ys, a);
            acc.series(m, eps, ys);
        }
        files.add(acc.write(dir.resolve("accuracy.png")));
        LineChart sp = new LineChart("Diagonal linear network: l1 norm of the solution against init scale",
                "init scale alpha", "||beta||_1").logX().markers();
        for (String m : List.of("GD", "GR (DB, exact)", "F-GR")) {
            var rows = r.sparsity().stream().filter(s -> s.method().equals(m)).toList();
            sp.series(m, rows.stream().mapToDouble(GradientRegularization.Sparsity::scale).toArray(),
                    rows.stream().mapToDouble(GradientRegularization.Sparsity::l1).toArray());
        }
        double[] sc = r.config().scales().stream().mapToDouble(Double::doubleValue).toArray();
        double[] truth = new double[sc.length];
        java.util.Arrays.fill(truth, r.trueL1());
        sp.series("sparse truth", sc, truth);
        files.add(sp.write(dir.resolve("sparsity.png")));
        return files;
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%s", (float) v);
    }

    private static String f4(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
