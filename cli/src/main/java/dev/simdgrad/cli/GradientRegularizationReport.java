package dev.simdgrad.cli;

import dev.simdgrad.experiments.Spread;
import dev.simdgrad.experiments.gradreg.CostModel;
import dev.simdgrad.experiments.gradreg.DiagonalLinearNetwork;
import dev.simdgrad.experiments.gradreg.GradientRegularization;
import dev.simdgrad.experiments.gradreg.GradientRegularization.Accuracy;
import dev.simdgrad.experiments.gradreg.GradientRegularization.Arm;
import dev.simdgrad.experiments.gradreg.GradientRegularization.Sparsity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a {@link GradientRegularization.Result}: the cost table (counted products and measured ms per step over
 * interleaved rounds), the accuracy table over seeds, the diagonal-network table over seeds, the claims and the
 * deviations from the paper; files {@code cost.csv} (one row per method and round), {@code accuracy.csv} (one row
 * per arm and seed), {@code sparsity.csv} (one row per setting and seed), {@code result.json}, and the charts
 * {@code gradient-regularization-cost.png}, {@code gradient-regularization-accuracy.png},
 * {@code gradient-regularization-sparsity.png} (means with one-sd error bars).
 */
final class GradientRegularizationReport {
    private GradientRegularizationReport() {
    }

    /** The printed tables, claims and deviations. */
    static String table(GradientRegularization.Result r) {
        var c = r.config();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Gradient regularization: %s; %s ReLU; SGD momentum %s, cosine from lr"
                + " %s, batch %d, weight decay %s, %d epochs; seeds %d..%d%n%n", r.source(), widths(c), c.momentum(),
                c.lr(), c.batch(), c.weightDecay(), c.epochs(), c.seed(), c.seed() + c.seeds() - 1));
        TextTable cost = new TextTable(List.of("network", "method", "products/step", "mult-adds/example",
                "counted x plain", "ms/step (mean +- sd)", "measured x plain"));
        for (var x : r.costs()) {
            var plain = plainOf(r, x);
            Spread ratio = ratio(x, plain);
            cost.add(net(x.widths()), x.method().label(), Integer.toString(x.products()), String.format(Locale.ROOT,
                    "%,d",
                    x.multiplyAdds()), String.format(Locale.ROOT, "%.2f", (double) x.multiplyAdds()
                    / plain.multiplyAdds()), String.format(Locale.ROOT, "%.2f +- %.2f", x.ms().mean(), x.ms().sd()),
                    String.format(Locale.ROOT, "%.2f +- %.2f", ratio.mean(), ratio.sd()));
        }
        sb.append(String.format(Locale.ROOT, "Cost per step, B = %d (gamma %s, epsilon %s; matrix products counted"
                + " from the code for L weight layers: plain 3L-1, F-GR/B-GR 6L-2, DB 9L-5; measured over %d"
                + " interleaved rounds of %d steps):%n", Math.min(c.batch(), r.trainSize()), c.gammas().getLast(),
                c.epsilons().getLast(), c.timingRounds(), c.timingSteps())).append(cost.format()).append('\n');

        TextTable acc = new TextTable(List.of("method", "gamma", "epsilon", "train acc", "test acc (mean +- sd)",
                "test acc by seed", "final train loss", "seconds"));
        for (var a : r.accuracy()) {
            String name = a.arm().label();
            if (a.arm() == Arm.FLOODING) {
                // Below a level it never reaches, flooding is plain SGD: the row says so rather than pose as a result.
                name += String.format(Locale.ROOT, " b=%.3f", r.floodLevel())
                        + (a.levelReachedOnEverySeed() ? "" : " (level not reached: plain SGD)");
            }
            acc.add(name, num(a.gamma()), num(a.epsilon()), f4(a.train().mean()), pm4(a.test()),
                    a.testBySeed().stream().map(x -> Double.isNaN(x) ? "diverged" : f3(x))
                            .collect(Collectors.joining(" ")), f3(finalLoss(a)),
                    String.format(Locale.ROOT, "%.1f", a.seconds()));
        }
        sb.append(String.format(Locale.ROOT, "Test accuracy over seeds (each seed: the same initialization and batch"
                + " order for every method):%n")).append(acc.format());
        r.accuracy().stream().filter(a -> a.arm() == Arm.FLOODING).findFirst().ifPresent(f -> sb.append(
                f.levelReachedOnEverySeed() ? String.format(Locale.ROOT, "Flooding level b = %.4f (plain SGD's"
                        + " training loss in epoch %d) was reached on every seed; steps below it (ascent): %s.%n",
                        r.floodLevel(), GradientRegularization.floodEpoch(c.epochs()), f.belowLevelBySeed().stream().map(x -> String.format(
                                Locale.ROOT, "%.0f%%", 100 * x)).collect(Collectors.joining(" ")))
                        : String.format(Locale.ROOT, "Flooding level b = %.4f was NOT reached on every seed: where"
                        + " it was not, flooding is plain SGD and its row is no result.%n", r.floodLevel())));
        sb.append('\n');

        var d = c.dln();
        TextTable sp = new TextTable(List.of("alpha", "method", "gamma", "epsilon", "||b - b*|| (mean +- sd)",
                "l1 (mean +- sd)", "false support", "diverged"));
        for (var s : r.sparsity()) {
            long diverged = s.errorBySeed().stream().filter(x -> Double.isNaN(x)).count();
            List<Double> fs = s.falseSupportBySeed().stream().filter(x -> !Double.isNaN(x)).toList();
            sp.add(num(s.scale()), s.method().label(), num(s.gamma()), num(s.epsilon()), pm3(finite(s.errorBySeed())),
                    pm3(finite(s.l1BySeed())), fs.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.1f",
                            fs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)),
                    diverged == 0 ? "" : diverged + " of " + s.errorBySeed().size());
        }
        sb.append(String.format(Locale.ROOT, "Diagonal linear network b = u*u - v*v, u = v = alpha at start; n = %d,"
                + " d = %d, %d-sparse truth (+-1 entries, l1 = %d), one problem per seed; GD lr %s, to loss < 1e-10"
                + " or %d steps; false support: off-support |b_j| > %s:%n", d.n(), d.d(), d.k(), d.k(), d.lr(),
                d.steps(), GradientRegularization.SUPPORT_THRESHOLD)).append(sp.format()).append('\n');
        sb.append(ClaimTable.format(r.claims()));
        sb.append('\n').append("Deviations from the paper:\n").append(DeviationTable.format(r.deviations()));
        return sb.toString();
    }

    /** Writes the CSV, JSON and PNG files into {@code dir}; returns their paths. */
    static List<Path> write(GradientRegularization.Result r, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        List<List<?>> cr = new ArrayList<>();
        for (var x : r.costs()) {
            for (int i = 0; i < x.msByRound().size(); i++) {
                cr.add(List.of(x.method().label(), i, x.products(), x.multiplyAdds(), x.msByRound().get(i)));
            }
        }
        files.add(ResultFiles.csv(dir.resolve("cost.csv"), List.of("method", "round", "products",
                "multiply_adds_per_example", "ms_per_step"), cr));
        List<List<?>> ar = new ArrayList<>();
        for (var a : r.accuracy()) {
            for (int k = 0; k < a.testBySeed().size(); k++) {
                List<Double> l = a.lossBySeed().get(k);
                ar.add(List.of(a.arm().label(), a.gamma(), a.epsilon(), r.config().seed() + k, a.trainBySeed().get(k),
                        a.testBySeed().get(k), l.isEmpty() ? Double.NaN : l.getLast(),
                        a.belowLevelBySeed().isEmpty() ? Double.NaN : a.belowLevelBySeed().get(k)));
            }
        }
        files.add(ResultFiles.csv(dir.resolve("accuracy.csv"), List.of("method", "gamma", "epsilon", "seed",
                "train_accuracy", "test_accuracy", "final_train_loss", "steps_below_flood_level"), ar));
        List<List<?>> sr = new ArrayList<>();
        for (var s : r.sparsity()) {
            for (int k = 0; k < s.errorBySeed().size(); k++) {
                sr.add(List.of(s.scale(), s.method().label(), s.gamma(), s.epsilon(), r.config().seed() + k,
                        s.errorBySeed().get(k), s.l1BySeed().get(k), s.falseSupportBySeed().get(k),
                        s.lossBySeed().get(k)));
            }
        }
        files.add(ResultFiles.csv(dir.resolve("sparsity.csv"), List.of("alpha", "method", "gamma", "epsilon", "seed",
                "distance_to_truth", "l1", "false_support", "loss"), sr));
        files.add(ResultFiles.json(dir.resolve("result.json"), r));

        // Cost: categorical x (the methods), so bars; counted against measured, both relative to plain, per network.
        List<List<Integer>> nets = r.costs().stream().map(GradientRegularization.Cost::widths).distinct().toList();
        List<String> methods = r.costs().stream().filter(x -> x.widths().equals(nets.getFirst()))
                .map(x -> shortLabel(x.method())).toList();
        SeedBarChart costChart = new SeedBarChart("Cost per step, x plain SGD: counted, and measured (sd over"
                + " rounds)", "method", "x plain", methods);
        for (List<Integer> w : nets) {
            var rows = r.costs().stream().filter(x -> x.widths().equals(w)).toList();
            var plain = plainOf(r, rows.getFirst());
            costChart.bars("counted " + net(w), rows.stream().mapToDouble(x -> (double) x.multiplyAdds()
                    / plain.multiplyAdds()).toArray(), new double[rows.size()]);
            costChart.bars("measured " + net(w), rows.stream().mapToDouble(x -> ratio(x, plain).mean()).toArray(),
                    rows.stream().mapToDouble(x -> ratio(x, plain).sd()).toArray());
        }
        files.add(costChart.write(dir.resolve("gradient-regularization-cost.png")));

        // Accuracy against epsilon (a numeric axis): F-GR and B-GR per gamma, the others as flat lines.
        var c = r.config();
        LineChart acc = new LineChart("Test accuracy against epsilon (mean +- sd over seeds)", "epsilon",
                "test accuracy").logX().markers();
        double[] eps = c.epsilons().stream().mapToDouble(Float::doubleValue).toArray();
        for (Arm arm : List.of(Arm.FGR, Arm.BGR)) {
            for (float g : c.gammas()) {
                var rows = r.accuracy().stream().filter(a -> a.arm() == arm && (float) a.gamma() == g).toList();
                acc.series(arm.label() + " gamma=" + g, rows.stream().mapToDouble(Accuracy::epsilon).toArray(),
                        rows.stream().mapToDouble(a -> a.test().mean()).toArray(),
                        rows.stream().mapToDouble(a -> a.test().sd()).toArray());
            }
        }
        for (var a : r.accuracy()) {
            boolean flat = a.arm() == Arm.PLAIN || a.arm() == Arm.DB
                    || a.arm() == Arm.FLOODING && a.levelReachedOnEverySeed();
            if (flat && Double.isFinite(a.test().mean())) {
                double[] ys = new double[eps.length], es = new double[eps.length];
                java.util.Arrays.fill(ys, a.test().mean());
                java.util.Arrays.fill(es, a.test().sd());
                acc.series(a.arm().label() + (a.arm() == Arm.DB ? " gamma=" + (float) a.gamma() : ""), eps, ys, es);
            }
        }
        files.add(acc.write(dir.resolve("gradient-regularization-accuracy.png")));

        // Diagonal network at the largest gamma (the smaller one moves little; the table has every setting): one
        // bar per method and epsilon (categorical), one series per alpha.
        double gmax = c.dln().gammas().getLast();
        List<String> settings = new ArrayList<>();
        for (var s : r.sparsity()) {
            if (s.scale() == c.dln().scales().getFirst() && atGamma(s, gmax)) {
                settings.add(settingLabel(s));
            }
        }
        SeedBarChart spc = new SeedBarChart("Diagonal linear network, gamma " + gmax + ": distance to the sparse"
                + " truth (sd over problems)", "method", "||beta - beta*||", settings);
        for (double a : c.dln().scales()) {
            var rows = r.sparsity().stream().filter(s -> s.scale() == a && atGamma(s, gmax)).toList();
            spc.bars("alpha=" + a, rows.stream().mapToDouble(s -> finite(s.errorBySeed()).mean()).toArray(),
                    rows.stream().mapToDouble(s -> finite(s.errorBySeed()).sd()).toArray());
        }
        files.add(spc.write(dir.resolve("gradient-regularization-sparsity.png")));
        return files;
    }

    private static boolean atGamma(Sparsity s, double gamma) {
        return s.method() == DiagonalLinearNetwork.Method.GD || s.gamma() == gamma;
    }

    private static String settingLabel(Sparsity s) {
        return s.method().label() + (Double.isNaN(s.epsilon()) ? "" : " e=" + (float) s.epsilon());
    }

    private static String shortLabel(CostModel.Method m) {
        return switch (m) {
            case DB -> "DB";
            case HVP -> "DB (HVP)";
            default -> m.label();
        };
    }

    private static GradientRegularization.Cost plainOf(GradientRegularization.Result r,
                                                       GradientRegularization.Cost x) {
        return r.costs().stream().filter(p -> p.widths().equals(x.widths())
                && p.method() == CostModel.Method.PLAIN).findFirst().orElseThrow();
    }

    private static String net(List<Integer> widths) {
        return widths.stream().map(String::valueOf).collect(Collectors.joining("-"));
    }

    /** Per-round ratio of a method's time to plain's (same round), mean and sd over rounds. */
    private static Spread ratio(GradientRegularization.Cost x, GradientRegularization.Cost plain) {
        int n = Math.min(x.msByRound().size(), plain.msByRound().size());
        double[] q = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = x.msByRound().get(i) / plain.msByRound().get(i);
        }
        return Spread.of(q);
    }

    /** The spread of the finite values (a diverged seed is NaN and listed separately); NaN if none is finite. */
    private static Spread finite(List<Double> v) {
        double[] f = v.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
        return f.length == 0 ? new Spread(Double.NaN, Double.NaN, 0) : Spread.of(f);
    }

    private static double finalLoss(Accuracy a) {
        return a.lossBySeed().stream().filter(l -> !l.isEmpty()).mapToDouble(List::getLast).average()
                .orElse(Double.NaN);
    }

    private static String widths(GradientRegularization.Config c) {
        return "784-" + c.hidden().stream().map(String::valueOf).collect(Collectors.joining("-")) + "-10";
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%s", (float) v);
    }

    private static String pm4(Spread s) {
        return Double.isNaN(s.mean()) ? "n/a" : String.format(Locale.ROOT, "%.4f +- %.4f", s.mean(), s.sd());
    }

    private static String pm3(Spread s) {
        return Double.isNaN(s.mean()) ? "n/a" : String.format(Locale.ROOT, "%.3f +- %.3f", s.mean(), s.sd());
    }

    private static String f4(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
