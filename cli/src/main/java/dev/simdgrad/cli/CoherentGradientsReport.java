package dev.simdgrad.cli;

import dev.simdgrad.experiments.Spread;
import dev.simdgrad.experiments.TrainingRun;
import dev.simdgrad.experiments.coherent.CoherentGradients;
import dev.simdgrad.experiments.coherent.CoherentGradients.Run;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Renders a {@link CoherentGradients.Result}: the table of end-of-training metrics ({@link Run#atEnd}) per noise level and strategy (mean +- sd
 * over seeds), the early m-coherence of real against random labels, the paper's claims beside our measurements and
 * the deviations from the paper; and the files: {@code runs.csv} (end-of-training metrics per run), {@code epochs.csv} (every
 * epoch of every run), {@code coherence.csv} (the per-step traces), {@code result.json}, and the charts: per noise
 * level the pristine, corrupt and test accuracy per epoch (mean with one-sd error bars over seeds, a series per
 * strategy), the end-of-training accuracies against c as bars, and the early m-coherence per step.
 */
final class CoherentGradientsReport {
    private CoherentGradientsReport() {
    }

    /** The printed tables. */
    static String table(CoherentGradients.Result r) {
        var c = r.config();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Coherent gradients: %s; 784-%s-10 ReLU, SGD lr %s, batch %d, %d"
                + " epochs, %s%n%n", r.source(), String.join("-", c.hidden().stream().map(String::valueOf).toList()),
                c.lr(), c.batch(), c.epochs(), c.seedRange()));
        TextTable t = new TextTable(List.of("noise", "strategy", "correct labels", "train acc", "pristine acc",
                "corrupt acc", "test acc", "train-test", "diverged"));
        for (double p : noises(r)) {
            for (String s : strategies(r)) {
                List<Run> runs = runs(r, p, s);
                List<Run> ok = runs.stream().filter(x -> !x.hasDiverged()).toList();
                if (runs.isEmpty()) {
                    continue;
                }
                t.add(f2(p), s, f3(Spread.of(runs.stream().mapToDouble(Run::correctFraction).toArray()).mean()),
                        pm(ok, x -> x.atEnd(TrainingRun.Epoch::trainAccuracy)),
                        pm(ok, x -> x.atEnd(TrainingRun.Epoch::cleanAccuracy)),
                        p == 0 ? "-" : pm(ok, x -> x.atEnd(TrainingRun.Epoch::corruptedAccuracy)),
                        pm(ok, x -> x.atEnd(TrainingRun.Epoch::testAccuracy)),
                        pm(ok, Run::overfitting), (runs.size() - ok.size()) + "/" + runs.size());
            }
        }
        sb.append("End of training (median of the last ").append(Run.END_EPOCHS).append(" epochs per run), mean +- sd"
                + " over seeds:\n").append(t.format());
        for (String s : r.skipped()) {
            sb.append("not run: ").append(s).append('\n');
        }
        for (var run : r.runs()) {
            if (run.hasDiverged()) {
                sb.append(String.format(Locale.ROOT, "diverged: p=%.2f seed %d %s at %s (its claims are not"
                        + " judged)%n", run.noise(), run.seed(), run.strategy(), run.diverged()));
            }
        }
        if (!r.coherence().isEmpty()) {
            TextTable ct = new TextTable(List.of("labels", "steps", "m-coherence, mean over steps (mean +- sd over"
                    + " seeds)", "first step", "last step"));
            for (double p : new double[] {0, 1}) {
                var traces = r.coherence().stream().filter(x -> x.noise() == p).toList();
                double[] means = traces.stream().mapToDouble(x -> mean(x.mCoherence())).toArray();
                double[] first = traces.stream().mapToDouble(x -> x.mCoherence()[0]).toArray();
                double[] last = traces.stream().mapToDouble(x -> x.mCoherence()[x.mCoherence().length - 1])
                        .toArray();
                ct.add(p == 0 ? "real (p = 0)" : "random (p = 1)", String.valueOf(traces.getFirst().mCoherence()
                        .length), pm(Spread.of(means)), pm(Spread.of(first)), pm(Spread.of(last)));
            }
            sb.append('\n').append("m-coherence of plain SGD early in training (m = ")
                    .append(TrainingRun.COHERENCE_SAMPLE).append(" fixed training examples):\n").append(ct.format());
        }
        sb.append('\n').append(ClaimTable.format(r.claims()));
        sb.append('\n').append("Deviations from the paper:\n").append(DeviationTable.format(r.deviations()));
        return sb.toString();
    }

    /** Writes the CSV, JSON and PNG files into {@code dir}; returns their paths. */
    static List<Path> write(CoherentGradients.Result r, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        List<List<?>> rows = new ArrayList<>();
        List<List<?>> epochRows = new ArrayList<>();
        for (var run : r.runs()) {
            if (run.hasDiverged()) {
                double nan = Double.NaN;
                rows.add(List.of(run.noise(), run.seed(), run.strategy(), run.c(), run.correctFraction(), nan, nan,
                        nan, nan, nan, nan, run.diverged()));
            } else {
                rows.add(List.of(run.noise(), run.seed(), run.strategy(), run.c(), run.correctFraction(),
                        run.atEnd(TrainingRun.Epoch::trainAccuracy), run.atEnd(TrainingRun.Epoch::cleanAccuracy),
                        run.atEnd(TrainingRun.Epoch::corruptedAccuracy), run.atEnd(TrainingRun.Epoch::testAccuracy),
                        run.overfitting(), run.atEnd(TrainingRun.Epoch::mCoherence), ""));
            }
            for (var ep : run.epochs()) {
                epochRows.add(List.of(run.noise(), run.seed(), run.strategy(), ep.epoch(), ep.trainLoss(),
                        ep.trainAccuracy(), ep.cleanAccuracy(), ep.corruptedAccuracy(), ep.testAccuracy(),
                        ep.mCoherence()));
            }
        }
        files.add(ResultFiles.csv(dir.resolve("runs.csv"), List.of("noise", "seed", "strategy", "c",
                "correct_fraction", "train_accuracy", "pristine_accuracy", "corrupt_accuracy", "test_accuracy",
                "train_minus_test", "m_coherence", "diverged"), rows));
        files.add(ResultFiles.csv(dir.resolve("epochs.csv"), List.of("noise", "seed", "strategy", "epoch",
                "train_loss", "train_accuracy", "pristine_accuracy", "corrupt_accuracy", "test_accuracy",
                "m_coherence"), epochRows));
        if (!r.coherence().isEmpty()) {
            List<List<?>> traceRows = new ArrayList<>();
            for (var tr : r.coherence()) {
                for (int s = 0; s < tr.mCoherence().length; s++) {
                    traceRows.add(List.of(tr.noise(), tr.seed(), s + 1, tr.mCoherence()[s]));
                }
            }
            files.add(ResultFiles.csv(dir.resolve("coherence.csv"), List.of("noise", "seed", "step",
                    "m_coherence"), traceRows));
        }
        files.add(ResultFiles.json(dir.resolve("result.json"), r));
        for (double p : noises(r)) {
            String tag = String.format(Locale.ROOT, "p%03d", Math.round(p * 100));
            String what = String.format(Locale.ROOT, " (label noise %.0f%%; mean +- sd over %d seeds)", p * 100,
                    r.config().seeds().size());
            LineChart pristine = new LineChart("Train accuracy on pristine examples" + what, "epoch", "accuracy");
            LineChart corrupt = new LineChart("Train accuracy on corrupt examples (their corrupted labels)" + what,
                    "epoch", "accuracy");
            LineChart test = new LineChart("Test accuracy" + what, "epoch", "accuracy");
            for (String s : strategies(r)) {
                List<Run> ok = runs(r, p, s).stream().filter(x -> !x.hasDiverged()).toList();
                if (ok.isEmpty()) {
                    continue;
                }
                curve(pristine, s, ok, TrainingRun.Epoch::cleanAccuracy);
                curve(corrupt, s, ok, TrainingRun.Epoch::corruptedAccuracy);
                curve(test, s, ok, TrainingRun.Epoch::testAccuracy);
            }
            files.add(pristine.write(dir.resolve("pristine-accuracy-" + tag + ".png")));
            if (p > 0) {
                files.add(corrupt.write(dir.resolve("corrupt-accuracy-" + tag + ".png")));
            }
            files.add(test.write(dir.resolve("test-accuracy-" + tag + ".png")));
            List<String> cs = strategies(r).stream().filter(s -> s.startsWith("winsorize:"))
                    .map(s -> "c = " + s.substring("winsorize:".length())).toList();
            if (!cs.isEmpty()) {
                SeedBarChart bars = new SeedBarChart("Accuracy at the end of training against winsorization level c" + what, "c",
                        "accuracy (overfitting: a difference)", cs);
                addBars(bars, r, p, "train (training labels)", e -> e.trainAccuracy());
                addBars(bars, r, p, "pristine examples", e -> e.cleanAccuracy());
                if (p > 0) {
                    addBars(bars, r, p, "corrupt examples", e -> e.corruptedAccuracy());
                }
                addBars(bars, r, p, "test", e -> e.testAccuracy());
                addBars(bars, r, p, "overfitting (train - test)", e -> e.trainAccuracy() - e.testAccuracy());
                files.add(bars.write(dir.resolve("final-accuracy-vs-c-" + tag + ".png")));
            }
        }
        if (!r.coherence().isEmpty()) {
            LineChart ch = new LineChart("m-coherence of per-example gradients, plain SGD, first steps (m = "
                    + TrainingRun.COHERENCE_SAMPLE + "; mean +- sd over seeds)", "step", "m-coherence");
            for (double p : new double[] {0, 1}) {
                var traces = r.coherence().stream().filter(x -> x.noise() == p).toList();
                int steps = traces.getFirst().mCoherence().length;
                double[] x = new double[steps], y = new double[steps], e = new double[steps];
                for (int s = 0; s < steps; s++) {
                    int step = s;
                    Spread sp = Spread.of(traces.stream().mapToDouble(t -> t.mCoherence()[step]).toArray());
                    x[s] = s + 1;
                    y[s] = sp.mean();
                    e[s] = sp.sd();
                }
                ch.series(p == 0 ? "real labels (p = 0)" : "random labels (p = 1)", x, y, e);
            }
            files.add(ch.write(dir.resolve("m-coherence-early.png")));
        }
        return files;
    }

    /** The mean +- sd curve over the runs' epochs (runs that stopped early contribute to the epochs they have). */
    private static void curve(LineChart chart, String name, List<Run> runs, ToDoubleFunction<TrainingRun.Epoch> m) {
        int epochs = runs.stream().mapToInt(x -> x.epochs().size()).max().orElse(0);
        double[] x = new double[epochs], y = new double[epochs], e = new double[epochs];
        for (int i = 0; i < epochs; i++) {
            int ep = i;
            Spread s = Spread.of(runs.stream().filter(r -> r.epochs().size() > ep)
                    .mapToDouble(r -> m.applyAsDouble(r.epochs().get(ep))).toArray());
            x[i] = i + 1;
            y[i] = s.mean();
            e[i] = s.sd();
        }
        chart.series(name, x, y, e);
    }

    private static void addBars(SeedBarChart chart, CoherentGradients.Result r, double p, String name,
                                ToDoubleFunction<TrainingRun.Epoch> m) {
        List<String> ws = strategies(r).stream().filter(s -> s.startsWith("winsorize:")).toList();
        double[] means = new double[ws.size()], sds = new double[ws.size()];
        for (int i = 0; i < ws.size(); i++) {
            double[] v = runs(r, p, ws.get(i)).stream().filter(x -> !x.hasDiverged())
                    .mapToDouble(x -> x.atEnd(m)).toArray();
            Spread s = v.length == 0 ? new Spread(Double.NaN, Double.NaN, 0) : Spread.of(v);
            means[i] = s.mean();
            sds[i] = s.sd();
        }
        chart.bars(name, means, sds);
    }

    private static List<Double> noises(CoherentGradients.Result r) {
        return r.runs().stream().map(Run::noise).distinct().toList();
    }

    private static List<String> strategies(CoherentGradients.Result r) {
        return r.runs().stream().map(Run::strategy).distinct().toList();
    }

    private static List<Run> runs(CoherentGradients.Result r, double p, String strategy) {
        return r.runs().stream().filter(x -> x.noise() == p && x.strategy().equals(strategy)).toList();
    }

    private static String pm(List<Run> runs, ToDoubleFunction<Run> m) {
        return runs.isEmpty() ? "diverged" : pm(Spread.of(runs.stream().mapToDouble(m).toArray()));
    }

    private static String pm(Spread s) {
        return Double.isNaN(s.mean()) ? "n/a" : String.format(Locale.ROOT, "%.3f +- %.3f", s.mean(), s.sd());
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
