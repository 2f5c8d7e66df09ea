package dev.simdgrad.experiments.coherent;

import dev.simdgrad.experiments.*;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.data.LabelCorruption;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.strategy.GradientStrategy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Coherent Gradients (Chatterjee 2020): winsorized SGD against plain SGD under label noise. For every noise level p
 * the training labels of a fraction p of the examples are permuted among themselves, and a network is trained from
 * the same initialization with each aggregation: winsorization c ∈ {0, 1, 2, 4, 8} (c = 0 is SGD), plus RM3 and
 * median of means. The paper's claim: with c &gt;= 2 the network does not memorize the corrupted labels (training
 * accuracy stays below the fraction of correct labels) and overfitting falls monotonically with c; and (Chatterjee &amp;
 * Zielinski 2020) real labels give more coherent per-example gradients than random ones. Computes a {@link Result};
 * prints nothing.
 */
public final class CoherentGradients {

    /**
     * What to run.
     *
     * @param data       IDX directory, or null for the embedded subset
     * @param trainSize  training examples (the first ones)
     * @param testSize   test examples
     * @param hidden     hidden units of the 784-m-10 ReLU network
     * @param epochs     epochs per run
     * @param batch      minibatch size (the paper: 100)
     * @param lr         learning rate of plain SGD (the paper: 0.1)
     * @param noises     label-noise fractions
     * @param cs         winsorization levels
     * @param extras     further strategies as {@link StrategyFactory} names (RM3, median of means)
     * @param seed       seed of the noise, the initialization and the batch order
     */
    public record Config(Path data, int trainSize, int testSize, int hidden, int epochs, int batch, double lr,
                  List<Double> noises, List<Integer> cs, List<String> extras, long seed) {

        /** The default run: minutes on 2 cores, on the embedded subset. */
        public static Config small(Path data, long seed) {
            // 1,000 examples and 60 epochs: long enough for SGD to start memorizing the corrupted half (about 48 %
            // fitted) and short enough for 14 runs in under two minutes; across seeds 1-4 c = 4 fitted 25-28 %.
            return new Config(data, 1000, 1000, 256, 60, 100, 0.1, List.of(0.0, 0.5), List.of(0, 1, 2, 4, 8),
                    List.of("rm3", "mom:10"), seed);
        }

        /** The paper's scale: every training example, a wider network, noise 0 to 100 %. */
        public static Config full(Path data, long seed) {
            return new Config(data, Integer.MAX_VALUE, Integer.MAX_VALUE, 1024, 60, 100, 0.1,
                    List.of(0.0, 0.25, 0.5, 0.75, 1.0), List.of(0, 1, 2, 4, 8), List.of("rm3", "mom:10"), seed);
        }
    }

    /**
     * One training run.
     *
     * @param noise            p
     * @param strategy         the strategy's name ("winsorize:4", "rm3", ...)
     * @param c                the winsorization level, -1 for the extra strategies
     * @param correctFraction  fraction of training labels equal to the true label (1 - p plus the selected labels
     *                         that the permutation left in place)
     * @param epochs           per-epoch metrics; the last is the final state (of a diverged run: the epochs before
     *                         it diverged)
     * @param diverged         null, or where training diverged ("epoch 3, step 7: the loss"); a diverged run is
     *                         listed as such and takes no part in the claims
     */
    public record Run(double noise, String strategy, int c, double correctFraction, List<TrainingRun.Epoch> epochs,
               String diverged) {
        public TrainingRun.Epoch last() {
            return epochs.getLast();
        }

        public boolean hasDiverged() {
            return diverged != null;
        }

        /** Train accuracy (on the training labels) minus test accuracy at the end. */
        public double overfitting() {
            return last().trainAccuracy() - last().testAccuracy();
        }
    }

    /**
     * The outcome.
     *
     * @param config  what ran
     * @param source  where the data came from
     * @param runs    every run, by noise then strategy
     * @param skipped strategies that could not be built, with the reason
     * @param claims  the paper's claims against our measurements
     */
    public record Result(Config config, String source, List<Run> runs, List<String> skipped, List<Claim> claims) {
    }

    private CoherentGradients() {
    }

    /** Total minibatch steps of a configuration (for the progress bar), given the training-set size used. */
    public static long steps(Config c, int n) {
        long perRun = (long) c.epochs() * ((n + c.batch() - 1) / c.batch());
        return perRun * c.noises().size() * (c.cs().size() + c.extras().size());
    }

    /** Runs everything; {@code onRun} sees each run as it finishes. */
    public static Result run(Config config, ProgressSink progress, Consumer<Run> onRun) throws IOException {
        FashionMnist.Split split = DataSource.load(config.data(), config.trainSize(), config.testSize());
        // Whole batches only: winsorizing c values at each end needs more than 2c examples in every batch.
        int n = split.train().size() / config.batch() * config.batch();
        if (n == 0) {
            throw new IllegalArgumentException("need at least one batch of " + config.batch() + " examples, have "
                    + split.train().size());
        }
        Dataset clean = split.train().head(n);
        List<String> names = new ArrayList<>();
        List<Integer> levels = new ArrayList<>();
        for (int c : config.cs()) {
            names.add("winsorize:" + c);
            levels.add(c);
        }
        for (String e : config.extras()) {
            names.add(e);
            levels.add(-1);
        }
        List<Run> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (double p : config.noises()) {
            LabelCorruption noisy = LabelCorruption.apply(clean, p, config.seed());
            double correct = 1 - count(noisy.changed(clean)) / (double) n;
            for (int i = 0; i < names.size(); i++) {
                GradientStrategy strategy;
                try {
                    strategy = StrategyFactory.create(names.get(i));
                } catch (IllegalArgumentException e) {
                    if (!skipped.contains(names.get(i) + ": " + e.getMessage())) {
                        skipped.add(names.get(i) + ": " + e.getMessage());
                    }
                    progress.step((long) config.epochs() * (n / config.batch()));
                    continue;
                }
                progress.note(String.format(Locale.ROOT, "p=%.2f %s", p, names.get(i)));
                // The same initialization for every strategy at a noise level: differences are the strategy's.
                TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(clean.features(), config.hidden(),
                        FashionMnist.CLASSES, Activation.RELU), config.seed());
                var loss = new SoftmaxCrossEntropy();
                TrainingRun.Outcome o = TrainingRun.run(net, loss, new LossGradient(loss, strategy),
                        Sgd.plain(config.lr()), config.batch(), true, config.epochs(), noisy, split.test(), config.seed(),
                        progress, e -> { });
                Run run = new Run(p, names.get(i), levels.get(i), correct, o.epochs(), o.hasDiverged()
                        ? "epoch " + o.diverged().epoch() + ", step " + o.diverged().step() + ": " + o.diverged().what()
                        : null);
                runs.add(run);
                onRun.accept(run);
            }
        }
        return new Result(config, split.source() + ", first " + n + " train / " + split.test().size() + " test",
                runs, skipped, claims(runs));
    }

    /**
     * The paper's claims, per noise level p &gt; 0, checked on the final epoch of each run; diverged runs take no
     * part (a claim that needs one is not judged).
     */
    public static List<Claim> claims(List<Run> allRuns) {
        List<Run> runs = allRuns.stream().filter(r -> !r.hasDiverged()).toList();
        List<Claim> claims = new ArrayList<>();
        List<Double> noises = runs.stream().map(Run::noise).distinct().filter(p -> p > 0).toList();
        for (double p : noises) {
            List<Run> ws = runs.stream().filter(r -> r.noise() == p && r.c() >= 0).toList();
            Run c0 = ws.stream().filter(r -> r.c() == 0).findFirst().orElse(null);
            Run c4 = ws.stream().filter(r -> r.c() == 4).findFirst().orElse(null);
            String pct = String.format(Locale.ROOT, "p = %.2f", p);
            if (c0 != null && c4 != null) {
                double a0 = c0.last().corruptedAccuracy(), a4 = c4.last().corruptedAccuracy();
                claims.add(Claim.judged(pct + ": winsorizing (c = 4) fits the corrupted labels less than SGD (c = 0)",
                        String.format(Locale.ROOT, "corrupted-subset train acc %.3f (c=4) vs %.3f (c=0)", a4, a0),
                        a4 < a0));
            }
            List<Run> robust = ws.stream().filter(r -> r.c() >= 2).toList();
            if (!robust.isEmpty()) {
                StringBuilder m = new StringBuilder("train acc vs correct-label fraction ");
                boolean all = true;
                for (Run r : robust) {
                    m.append(String.format(Locale.ROOT, "c=%d: %.3f%s ", r.c(), r.last().trainAccuracy(),
                            r.last().trainAccuracy() < r.correctFraction() ? "<" : ">="));
                    all &= r.last().trainAccuracy() < r.correctFraction();
                }
                m.append(String.format(Locale.ROOT, "%.3f", robust.getFirst().correctFraction()));
                claims.add(Claim.judged(pct + ": with c >= 2 train accuracy stays below the fraction of correct labels"
                        + " (no memorization)", m.toString(), all));
            }
            if (ws.size() >= 2) {
                StringBuilder m = new StringBuilder("train - test acc by c: ");
                boolean monotone = true;
                for (int i = 0; i < ws.size(); i++) {
                    m.append(String.format(Locale.ROOT, "%s%d: %.3f", i == 0 ? "" : ", ", ws.get(i).c(),
                            ws.get(i).overfitting()));
                    // A 0.005 tolerance: one test example in 200 is noise, not a trend.
                    if (i > 0 && ws.get(i).overfitting() > ws.get(i - 1).overfitting() + 0.005) {
                        monotone = false;
                    }
                }
                claims.add(Claim.judged(pct + ": overfitting (train - test accuracy) falls monotonically with c",
                        m.toString(), monotone));
            }
        }
        Run clean = runs.stream().filter(r -> r.noise() == 0 && r.c() == 0).findFirst().orElse(null);
        for (double p : noises) {
            Run noisy = runs.stream().filter(r -> r.noise() == p && r.c() == 0).findFirst().orElse(null);
            if (clean != null && noisy != null) {
                double a = meanCoherence(clean, Integer.MAX_VALUE), b = meanCoherence(noisy, Integer.MAX_VALUE);
                claims.add(Claim.judged(String.format(Locale.ROOT, "p = %.2f: real labels give more coherent per-example"
                        + " gradients than partly random ones (SGD, mean m-coherence over training)", p),
                        String.format(Locale.ROOT, "p=0: %.2f vs p=%.2f: %.2f (first 10 epochs: %.2f vs %.2f)", a, p,
                                b, meanCoherence(clean, 10), meanCoherence(noisy, 10)), a > b));
            }
        }
        return claims;
    }

    /** Mean m-coherence over the first {@code epochs} epochs of a run (NaN epochs skipped). */
    private static double meanCoherence(Run run, int epochs) {
        return run.epochs().stream().limit(epochs).mapToDouble(TrainingRun.Epoch::mCoherence)
                .filter(Double::isFinite).average().orElse(Double.NaN);
    }

    private static int count(boolean[] mask) {
        int c = 0;
        for (boolean b : mask) {
            c += b ? 1 : 0;
        }
        return c;
    }
}
