package dev.simdgrad.cli;

import dev.simdgrad.experiments.coherent.CoherentGradients;
import dev.simdgrad.experiments.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link CoherentGradients.Result}: the table of final accuracies per noise level and strategy
 * with the paper's claims beside our measurements, and the files: {@code runs.csv} (final metrics per run),
 * {@code epochs.csv} (every epoch of every run), {@code result.json}, and per noise level the charts of the
 * corrupted-subset accuracy, test accuracy and m-coherence per epoch, plus final accuracy against c.
 */
final class CoherentGradientsReport {
    private CoherentGradientsReport() {
    }

    /** The printed tables. */
    static String table(CoherentGradients.Result r) {
        var c = r.config();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Coherent gradients: %s; 784-%d-10 ReLU, SGD lr %s, batch %d, %d"
                + " epochs, seed %d%n%n", r.source(), c.hidden(), c.lr(), c.batch(), c.epochs(), c.seed()));
        TextTable t = new TextTable(List.of("noise", "strategy", "correct labels", "train acc", "clean acc",
                "corrupted acc", "test acc", "train-test", "m-coherence"));
        for (var run : r.runs()) {
            if (run.hasDiverged()) {
                t.add(f2(run.noise()), run.strategy(), f3(run.correctFraction()), "diverged", "-", "-", "-", "-",
                        "-");
                continue;
            }
            var e = run.last();
            t.add(f2(run.noise()), run.strategy(), f3(run.correctFraction()), f3(e.trainAccuracy()),
                    f3(e.cleanAccuracy()), f3(e.corruptedAccuracy()), f3(e.testAccuracy()), f3(run.overfitting()),
                    String.format(Locale.ROOT, "%.2f", e.mCoherence()));
        }
        sb.append(t.format());
        for (String s : r.skipped()) {
            sb.append("not run: ").append(s).append('\n');
        }
        for (var run : r.runs()) {
            if (run.hasDiverged()) {
                sb.append(String.format(Locale.ROOT, "diverged: p=%.2f %s at %s (its claims are not judged)%n",
                        run.noise(), run.strategy(), run.diverged()));
            }
        }
        sb.append('\n').append(ClaimTable.format(r.claims()));
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
                rows.add(List.of(run.noise(), run.strategy(), run.c(), run.correctFraction(), nan, nan, nan, nan, nan,
                        nan, run.diverged()));
            } else {
                var e = run.last();
                rows.add(List.of(run.noise(), run.strategy(), run.c(), run.correctFraction(), e.trainAccuracy(),
                        e.cleanAccuracy(), e.corruptedAccuracy(), e.testAccuracy(), run.overfitting(), e.mCoherence(),
                        ""));
            }
            for (var ep : run.epochs()) {
                epochRows.add(List.of(run.noise(), run.strategy(), ep.epoch(), ep.trainLoss(), ep.trainAccuracy(),
                        ep.cleanAccuracy(), ep.corruptedAccuracy(), ep.testAccuracy(), ep.mCoherence()));
            }
        }
        files.add(ResultFiles.csv(dir.resolve("runs.csv"), List.of("noise", "strategy", "c", "correct_fraction",
                "train_accuracy", "clean_accuracy", "corrupted_accuracy", "test_accuracy", "train_minus_test",
                "m_coherence", "diverged"), rows));
        files.add(ResultFiles.csv(dir.resolve("epochs.csv"), List.of("noise", "strategy", "epoch", "train_loss",
                "train_accuracy", "clean_accuracy", "corrupted_accuracy", "test_accuracy", "m_coherence"), epochRows));
        files.add(ResultFiles.json(dir.resolve("result.json"), r));
        for (double p : r.runs().stream().map(CoherentGradients.Run::noise).distinct().toList()) {
            var runs = r.runs().stream().filter(x -> x.noise() == p).toList();
            String tag = String.format(Locale.ROOT, "p%03d", Math.round(p * 100));
            String what = String.format(Locale.ROOT, " (label noise %.0f%%)", p * 100);
            LineChart corrupted = new LineChart("Train accuracy on corrupted examples" + what, "epoch", "accuracy");
            LineChart test = new LineChart("Test accuracy" + what, "epoch", "accuracy");
            LineChart coherence = new LineChart("m-coherence of per-example gradients (m = "
                    + TrainingRun.COHERENCE_SAMPLE + ")" + what, "epoch", "m-coherence").logY();
            LineChart train = new LineChart("Train accuracy on the training labels" + what, "epoch", "accuracy");
            for (var run : runs) {
                if (run.epochs().isEmpty()) {   // diverged in its first epoch: nothing to draw
                    continue;
                }
                double[] x = run.epochs().stream().mapToDouble(TrainingRun.Epoch::epoch).toArray();
                corrupted.series(run.strategy(), x, run.epochs().stream()
                        .mapToDouble(TrainingRun.Epoch::corruptedAccuracy).toArray());
                test.series(run.strategy(), x, run.epochs().stream().mapToDouble(TrainingRun.Epoch::testAccuracy)
                        .toArray());
                coherence.series(run.strategy(), x, run.epochs().stream().mapToDouble(TrainingRun.Epoch::mCoherence)
                        .toArray());
                train.series(run.strategy(), x, run.epochs().stream().mapToDouble(TrainingRun.Epoch::trainAccuracy)
                        .toArray());
            }
            if (p > 0) {
                files.add(corrupted.write(dir.resolve("corrupted-accuracy-" + tag + ".png")));
            }
            files.add(train.write(dir.resolve("train-accuracy-" + tag + ".png")));
            files.add(test.write(dir.resolve("test-accuracy-" + tag + ".png")));
            files.add(coherence.write(dir.resolve("m-coherence-" + tag + ".png")));
        }
        LineChart byC = new LineChart("Final accuracy against winsorization level c", "c", "accuracy").markers();
        for (double p : r.runs().stream().map(CoherentGradients.Run::noise).distinct().toList()) {
            var ws = r.runs().stream().filter(x -> x.noise() == p && x.c() >= 0 && !x.hasDiverged()).toList();
            if (ws.isEmpty()) {
                continue;
            }
            double[] cs = ws.stream().mapToDouble(CoherentGradients.Run::c).toArray();
            String label = String.format(Locale.ROOT, "p=%.2f ", p);
            byC.series(label + "train", cs, ws.stream().mapToDouble(x -> x.last().trainAccuracy()).toArray());
            byC.series(label + "test", cs, ws.stream().mapToDouble(x -> x.last().testAccuracy()).toArray());
            if (p > 0) {
                byC.series(label + "corrupted", cs, ws.stream().mapToDouble(x -> x.last().corruptedAccuracy())
                        .toArray());
            }
        }
        files.add(byC.write(dir.resolve("accuracy-vs-c.png")));
        return files;
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
