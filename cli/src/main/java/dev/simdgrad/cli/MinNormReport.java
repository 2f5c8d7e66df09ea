package dev.simdgrad.cli;

import dev.simdgrad.experiments.Deviation;
import dev.simdgrad.experiments.Spread;
import dev.simdgrad.experiments.Verdict;
import dev.simdgrad.experiments.minnorm.MinNorm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Renders a {@link MinNorm.Result}: the width table and the noise table (mean +- sd over seeds), the claims and the
 * deviations from the papers; files {@code runs.csv} (one row per run), {@code loss-curves.csv}, {@code result.json},
 * {@code distance-vs-width.png}, {@code loss-vs-steps.png} and {@code distance-vs-noise.png}.
 */
final class MinNormReport {
    private MinNormReport() {
    }

    /** The printed tables. */
    static String table(MinNorm.Result r) {
        var c = r.config();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Min-norm convergence: %s; n = %d train, %d test, centred unit-norm"
                + " inputs; NTK ReLU, symmetric init, frozen output; full-batch GD, eta = %.2f, until the train loss"
                + " < %.0e (at most %d steps); %d seeds; mean +- sd over seeds%n%n", r.source(), r.n(), r.testSize(),
                r.learningRate(), c.tolerance(), c.maxSteps(), c.seeds()));
        TextTable w = new TextTable(List.of("width m", "converged", "steps T", "||W_T-W*||/||W*-W0||",
                "linearized, same T", "||W_T-W0||", "sqrt(y'H_m^-1 y)", "sqrt(y'Hinf^-1 y)", "test error"));
        for (int m : c.widths()) {
            List<MinNorm.Run> runs = r.widths().stream().filter(x -> x.width() == m).toList();
            if (runs.isEmpty()) {
                continue;
            }
            w.add(Integer.toString(m), converged(runs), s(runs, x -> x.steps(), "%.0f"),
                    s(runs, MinNorm.Run::relativeDistance, "%.4f"), s(runs, MinNorm.Run::linearRelativeDistance, "%.4f"),
                    s(runs, MinNorm.Run::distance, "%.3f"), s(runs, MinNorm.Run::minNormDistance, "%.3f"),
                    s(runs, MinNorm.Run::complexity, "%.3f"), s(runs, MinNorm.Run::testError, "%.3f"));
        }
        sb.append(w.format());
        sb.append("The linearized column is GD on the network linearized at the same W0 (same width), after the same T"
                + " steps: it converges to W* exactly, so its value is the tolerance's share of the distance.\n\n");
        TextTable t = new TextTable(List.of("label noise", "converged", "steps T", "train error", "||W_T-W0||",
                "test error (clean)", "test error (noisy)", "bound sqrt(2y'Hinf^-1y/n)"));
        for (double p : c.noises()) {
            List<MinNorm.Run> runs = r.noise().stream().filter(x -> x.noise() == p).toList();
            if (runs.isEmpty()) {
                continue;
            }
            t.add(String.format(Locale.ROOT, "%.2f", p), converged(runs), s(runs, x -> x.steps(), "%.0f"),
                    s(runs, MinNorm.Run::trainError, "%.3f"), s(runs, MinNorm.Run::distance, "%.3f"),
                    s(runs, MinNorm.Run::testError, "%.3f"), s(runs, MinNorm.Run::noisyTestError, "%.3f"),
                    s(runs, MinNorm.Run::bound, "%.3f"));
        }
        sb.append(String.format(Locale.ROOT, "Label noise at width %d:%n", c.noiseWidth()));
        sb.append(t.format()).append('\n');
        for (String d : r.diverged()) {
            sb.append("diverged (no row, not in the claims): ").append(d).append('\n');
        }
        sb.append(ClaimTable.format(r.claims()));
        if (r.claims().stream().anyMatch(x -> x.verdict() == Verdict.NOT_JUDGED)) {
            // ClaimTable's count line speaks of diverged runs; here a run at the step cap is the usual reason.
            sb.append("(Here \"not judged\" means: a run the claim needs hit the step cap, or diverged.)\n");
        }
        sb.append('\n');
        sb.append(deviations(r.deviations()));
        return sb.toString();
    }

    /** The deviations from the papers' settings as a table. */
    static String deviations(List<Deviation> ds) {
        TextTable t = new TextTable(List.of("aspect", "paper (as we read it)", "this run", "why it differs"));
        for (Deviation d : ds) {
            t.add(d.aspect(), d.paper(), d.ours(), d.matches() ? "(same)" : d.why());
        }
        return "Deviations from the papers:\n" + t.format();
    }

    /** Writes the CSV, JSON and PNG files into {@code dir}; returns their paths. */
    static List<Path> write(MinNorm.Result r, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        List<List<?>> rows = new ArrayList<>();
        List<MinNorm.Run> all = new ArrayList<>(r.widths());
        r.noise().stream().filter(x -> !all.contains(x)).forEach(all::add);
        for (var x : all) {
            rows.add(List.of(x.seed(), x.width(), x.noise(), x.steps(), x.converged() ? 1 : 0, x.trainLoss(),
                    x.trainError(), x.testError(), x.noisyTestError(), x.relativeDistance(),
                    x.linearRelativeDistance(), x.distance(), x.minNormDistance(), x.complexity(), x.bound(),
                    x.seconds()));
        }
        files.add(ResultFiles.csv(dir.resolve("runs.csv"), List.of("seed", "width", "noise", "steps", "converged",
                "train_loss", "train_error", "test_error", "noisy_test_error", "relative_distance_to_min_norm",
                "linearized_relative_distance", "distance_from_init", "sqrt_yHm_inv_y", "sqrt_yHinf_inv_y", "bound",
                "seconds"), rows));
        List<List<?>> cr = new ArrayList<>();
        for (var lc : r.curves()) {
            for (int i = 0; i < lc.steps().length; i++) {
                cr.add(List.of(lc.noise(), lc.steps()[i], lc.loss().get(i).mean(), lc.loss().get(i).sd()));
            }
        }
        files.add(ResultFiles.csv(dir.resolve("loss-curves.csv"), List.of("noise", "step", "train_loss_mean",
                "train_loss_sd"), cr));
        files.add(ResultFiles.json(dir.resolve("result.json"), r));

        List<Integer> ms = r.config().widths();
        double[] m = ms.stream().mapToDouble(Integer::doubleValue).toArray();
        LineChart dw = new LineChart("||W_T - W*|| / ||W* - W0|| at convergence against width (mean +- sd over seeds)",
                "width m", "relative distance to W*").logX().markers();
        addSpread(dw, "GD on the network", m, ms, r.widths(), MinNorm.Run::relativeDistance);
        addSpread(dw, "GD on the linearized model, same width and T", m, ms, r.widths(),
                MinNorm.Run::linearRelativeDistance);
        files.add(dw.write(dir.resolve("distance-vs-width.png")));

        LineChart lc = new LineChart(String.format(Locale.ROOT, "Training loss against GD steps, m = %d (mean +- sd"
                + " over seeds)", r.config().noiseWidth()), "step", "training loss (mean r^2/2)").logY();
        for (var curve : r.curves()) {
            double[] x = new double[curve.steps().length], y = new double[x.length], e = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = curve.steps()[i];
                y[i] = curve.loss().get(i).mean();
                e[i] = curve.loss().get(i).sd();
            }
            lc.series(String.format(Locale.ROOT, "label noise %.2f", curve.noise()), x, y, e);
        }
        files.add(lc.write(dir.resolve("loss-vs-steps.png")));

        List<Double> ps = r.config().noises();
        double[] p = ps.stream().mapToDouble(Double::doubleValue).toArray();
        LineChart dn = new LineChart(String.format(Locale.ROOT, "||W_T - W0|| at convergence against label noise,"
                + " m = %d (mean +- sd over seeds)", r.config().noiseWidth()), "label noise p", "distance").markers();
        double[][] dist = spreads(ps, r.noise(), MinNorm.Run::distance);
        double[][] cx = spreads(ps, r.noise(), MinNorm.Run::complexity);
        dn.series("||W_T - W0||", p, dist[0], dist[1]);
        dn.series("sqrt(y'Hinf^-1 y)", p, cx[0], cx[1]);
        files.add(dn.write(dir.resolve("distance-vs-noise.png")));
        return files;
    }

    private static void addSpread(LineChart chart, String name, double[] x, List<Integer> ms, List<MinNorm.Run> runs,
                                  ToDoubleFunction<MinNorm.Run> f) {
        double[] y = new double[x.length], e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int m = ms.get(i);
            double[] v = runs.stream().filter(r -> r.width() == m).mapToDouble(f).toArray();
            Spread s = v.length == 0 ? new Spread(Double.NaN, 0, 0) : Spread.of(v);
            y[i] = s.mean();
            e[i] = s.sd();
        }
        chart.series(name, x, y, e);
    }

    /** {means, sds} over seeds per noise level. */
    private static double[][] spreads(List<Double> ps, List<MinNorm.Run> runs, ToDoubleFunction<MinNorm.Run> f) {
        double[][] out = new double[2][ps.size()];
        for (int i = 0; i < ps.size(); i++) {
            double p = ps.get(i);
            double[] v = runs.stream().filter(r -> r.noise() == p).mapToDouble(f).toArray();
            Spread s = v.length == 0 ? new Spread(Double.NaN, 0, 0) : Spread.of(v);
            out[0][i] = s.mean();
            out[1][i] = s.sd();
        }
        return out;
    }

    private static String converged(List<MinNorm.Run> runs) {
        long k = runs.stream().filter(MinNorm.Run::converged).count();
        return k + "/" + runs.size();
    }

    private static String s(List<MinNorm.Run> runs, ToDoubleFunction<MinNorm.Run> f, String fmt) {
        Spread sp = Spread.of(runs.stream().mapToDouble(f).toArray());
        if (Double.isNaN(sp.mean())) {
            return "n/a";
        }
        return String.format(Locale.ROOT, fmt + " +- " + fmt, sp.mean(), sp.sd());
    }
}
