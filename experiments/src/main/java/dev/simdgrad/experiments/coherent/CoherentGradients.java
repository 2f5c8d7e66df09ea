package dev.simdgrad.experiments.coherent;

import dev.simdgrad.experiments.Claim;
import dev.simdgrad.experiments.DataSource;
import dev.simdgrad.experiments.Deviation;
import dev.simdgrad.experiments.Experiment;
import dev.simdgrad.experiments.ProgressSink;
import dev.simdgrad.experiments.StrategyFactory;
import dev.simdgrad.experiments.TrainingRun;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
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
 * Coherent Gradients (Chatterjee, ICLR 2020): winsorized SGD against plain SGD under label noise, over seeds. For
 * every noise level p and seed, the training labels of a fraction p of the examples are permuted among themselves,
 * and a ReLU network is trained from the same initialization with each winsorization level c (c = 0 is plain SGD:
 * the mean of the per-example gradients; c &gt; 0 clips the c largest and c smallest values of every coordinate in
 * every minibatch to the next ones before averaging). Per epoch it records the accuracy on the pristine and on the
 * corrupt training examples (the paper's figures), the test accuracy and the m-coherence; and, for the follow-up
 * paper's coherence claim (Chatterjee &amp; Zielinski 2020), the m-coherence of plain SGD at every step early in
 * training on real (p = 0) against random (p = 1) labels.
 *
 * <p>The claims are judged on paired differences over seeds (arms at one noise level share the seed: the same
 * corrupted labels, initialization and batch order), so every verdict is "yes", "NO" or "within noise"
 * ({@link Claim#ofPairedDifferences}). Computes a {@link Result}; prints nothing.
 *
 * <p>Cost: per seed and noise level, one run per c of {@code epochs} epochs of n / batch steps; a winsorized step
 * materializes the B x P per-example gradients and sorts every coordinate, about 2-3x a plain step at the default
 * size.
 */
public final class CoherentGradients {
    /** The experiment, as {@code ./simdgrad reproduce coherent-gradients} runs it. */
    public static final Experiment<Config, Run, Result> EXPERIMENT = new Experiment<>("coherent-gradients",
            "Chatterjee, Coherent Gradients, ICLR 2020 (and Chatterjee & Zielinski 2020 for m-coherence)",
            CoherentGradients::run);

    /**
     * What to run.
     *
     * @param data           IDX or NPY directory, or null for the embedded subset {@code dataset}
     * @param dataset        the embedded subset used when {@code data} is null
     * @param trainSize      training examples (the first ones; rounded down to whole batches)
     * @param testSize       test examples
     * @param hidden         hidden widths of the ReLU network (784-h1-...-10)
     * @param epochs         epochs per run
     * @param batch          minibatch size (the paper: 100)
     * @param lr             learning rate of every arm (the paper: 0.1)
     * @param noises         label-noise fractions
     * @param cs             winsorization levels (0 = plain SGD)
     * @param extras         further strategies as {@link StrategyFactory} names (RM3, median of means), run once
     *                       per noise level and seed as well
     * @param seeds          seeds of the noise, the initialization and the batch order
     * @param coherenceSteps steps of the real-versus-random-labels m-coherence trace (0: not run)
     */
    public record Config(Path data, DataSource.Embedded dataset, int trainSize, int testSize, List<Integer> hidden,
                         int epochs, int batch, double lr, List<Double> noises, List<Integer> cs, List<String> extras,
                         List<Long> seeds, int coherenceSteps) {

        public Config {
            hidden = List.copyOf(hidden);
            noises = List.copyOf(noises);
            cs = List.copyOf(cs);
            extras = List.copyOf(extras);
            seeds = List.copyOf(seeds);
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("seeds: none");
            }
            if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1)) {
                throw new IllegalArgumentException("hidden: need at least one width >= 1, got " + hidden);
            }
        }

        /**
         * The default run, about 6.5 minutes on 2 cores: the embedded MNIST subset (first 1,000 training images), the
         * paper's depth (three ReLU hidden layers) at 128 units instead of 2,048, 80 epochs (800 steps), noise 0
         * and 0.5, c in {0, 1, 2, 4, 8}, the given seeds (the command line's default: 5). At this size plain SGD memorizes: at 50 % noise its training
         * accuracy passes 0.99 by epoch 60 (seed 1), far above the 0.5 of correct labels.
         */
        public static Config small(Path data, List<Long> seeds) {
            return new Config(data, DataSource.Embedded.MNIST, 1000, 1000, List.of(128, 128, 128), 80, 100, 0.1,
                    List.of(0.0, 0.5), List.of(0, 1, 2, 4, 8), List.of(), seeds, 30);
        }

        /**
         * The paper's grid: every training example of {@code data} (MNIST's 60,000 with
         * {@code scripts/fetch-mnist}; the embedded 5,000 without), three hidden layers of 2,048 ReLU units, noise
         * 0 to 100 %, c in {0, 1, 2, 4, 8}, plus RM3 and median of means. Days on 2 cores at full MNIST.
         */
        public static Config full(Path data, List<Long> seeds) {
            return new Config(data, DataSource.Embedded.MNIST, Integer.MAX_VALUE, Integer.MAX_VALUE,
                    List.of(2048, 2048, 2048), 60, 100, 0.1, List.of(0.0, 0.25, 0.5, 0.75, 1.0),
                    List.of(0, 1, 2, 4, 8), List.of("rm3", "mom:10"), seeds, 200);
        }

        /** The first seed, and the count: "seeds 1..3". */
        public String seedRange() {
            return seeds.size() == 1 ? "seed " + seeds.getFirst()
                    : "seeds " + seeds.getFirst() + ".." + seeds.getLast() + " (" + seeds.size() + ")";
        }
    }

    /**
     * One training run.
     *
     * @param noise           p
     * @param seed            the seed of its labels, initialization and batch order
     * @param strategy        the strategy's name ("winsorize:4", "rm3", ...)
     * @param c               the winsorization level, -1 for the extra strategies
     * @param correctFraction fraction of training labels equal to the true label (1 - p plus the selected labels
     *                        that the permutation left in place)
     * @param epochs          per-epoch metrics; the last is the final state (of a diverged run: the epochs before
     *                        it diverged)
     * @param diverged        null, or where training diverged ("epoch 3, step 7: the loss"); a diverged run is
     *                        listed as such and its claims are not judged
     */
    public record Run(double noise, long seed, String strategy, int c, double correctFraction,
                      List<TrainingRun.Epoch> epochs, String diverged) {
        /** How many final epochs {@link #atEnd} takes the median of. */
        public static final int END_EPOCHS = 5;

        public TrainingRun.Epoch last() {
            return epochs.getLast();
        }

        /**
         * A metric at the end of training: its median over the last {@value #END_EPOCHS} epochs (fewer if the run
         * has fewer). A median, not the last epoch: at lr 0.1 near memorization SGD has loss spikes that undo an
         * epoch's fit and recover in the next (seed 1, c = 1, 50 % noise: loss 0.08 to 1.47 in epoch 80), and one
         * such epoch would decide a claim.
         */
        public double atEnd(java.util.function.ToDoubleFunction<TrainingRun.Epoch> metric) {
            double[] v = epochs.subList(Math.max(0, epochs.size() - END_EPOCHS), epochs.size()).stream()
                    .mapToDouble(metric).sorted().toArray();
            int k = v.length;
            return k == 0 ? Double.NaN : k % 2 == 1 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
        }

        public boolean hasDiverged() {
            return diverged != null;
        }

        /** Train accuracy (on the training labels) minus test accuracy at the end ({@link #atEnd}). */
        public double overfitting() {
            return atEnd(e -> e.trainAccuracy() - e.testAccuracy());
        }
    }

    /**
     * The m-coherence of plain SGD's per-example gradients on a fixed sample of training examples, before each of
     * the first steps of training.
     *
     * @param noise      0 (real labels) or 1 (every label permuted)
     * @param seed       the run's seed
     * @param mCoherence one value per step
     */
    public record CoherenceTrace(double noise, long seed, double[] mCoherence) {
    }

    /**
     * The outcome.
     *
     * @param config     what ran
     * @param source     where the data came from
     * @param runs       every run, by noise, then seed, then strategy
     * @param coherence  the real-versus-random m-coherence traces, by seed
     * @param skipped    strategies that could not be built, with the reason
     * @param claims     the paper's claims against our measurements
     * @param deviations how this run differs from the paper
     */
    public record Result(Config config, String source, List<Run> runs, List<CoherenceTrace> coherence,
                         List<String> skipped, List<Claim> claims, List<Deviation> deviations) {
    }

    private CoherentGradients() {
    }

    /** Total minibatch steps of a configuration (for the progress bar), given the training-set size used. */
    public static long steps(Config c, int n) {
        long perRun = (long) c.epochs() * Math.max(1, n / c.batch());
        return perRun * c.noises().size() * c.seeds().size() * (c.cs().size() + c.extras().size())
                + 2L * c.coherenceSteps() * c.seeds().size();
    }

    /**
     * Runs everything; {@code onRun} sees each training run as it finishes.
     *
     * @throws IOException              if the data cannot be read
     * @throws IllegalArgumentException if the training set holds less than one whole batch
     */
    public static Result run(Config config, ProgressSink progress, Consumer<Run> onRun) throws IOException {
        FashionMnist.Split split = DataSource.load(config.data(), config.dataset(), config.trainSize(),
                config.testSize());
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
            for (long seed : config.seeds()) {
                LabelCorruption noisy = LabelCorruption.apply(clean, p, seed);
                double correct = 1 - count(noisy.changed(clean)) / (double) n;
                for (int i = 0; i < names.size(); i++) {
                    GradientStrategy strategy;
                    try {
                        strategy = StrategyFactory.create(names.get(i));
                        strategy.checkBatchSize(config.batch());
                    } catch (IllegalArgumentException e) {
                        if (!skipped.contains(names.get(i) + ": " + e.getMessage())) {
                            skipped.add(names.get(i) + ": " + e.getMessage());
                        }
                        progress.step((long) config.epochs() * (n / config.batch()));
                        continue;
                    }
                    progress.note(String.format(Locale.ROOT, "p=%.2f seed %d %s", p, seed, names.get(i)));
                    // The same initialization for every strategy at a noise level and seed: differences are the
                    // strategy's.
                    DenseNetwork net = network(clean.features(), config.hidden(), seed);
                    var loss = new SoftmaxCrossEntropy();
                    TrainingRun.Outcome o = TrainingRun.run(net, loss, new LossGradient(loss, strategy),
                            Sgd.plain(config.lr()), config.batch(), true, config.epochs(), noisy, split.test(), seed,
                            progress, e -> { });
                    Run run = new Run(p, seed, names.get(i), levels.get(i), correct, o.epochs(), o.hasDiverged()
                            ? "epoch " + o.diverged().epoch() + ", step " + o.diverged().step() + ": "
                            + o.diverged().what() : null);
                    runs.add(run);
                    onRun.accept(run);
                }
            }
        }
        List<CoherenceTrace> traces = new ArrayList<>();
        if (config.coherenceSteps() > 0) {
            for (long seed : config.seeds()) {
                for (double p : new double[] {0, 1}) {
                    progress.note(String.format(Locale.ROOT, "m-coherence p=%.0f seed %d", p, seed));
                    traces.add(new CoherenceTrace(p, seed, CoherenceTraceRun.trace(network(clean.features(),
                            config.hidden(), seed), LabelCorruption.apply(clean, p, seed).data(), config.batch(),
                            config.lr(), config.coherenceSteps(), seed, progress)));
                }
            }
        }
        String source = split.source() + ", first " + n + " train / " + split.test().size() + " test";
        return new Result(config, source, runs, traces, skipped, CoherentGradientsClaims.of(runs, traces),
                CoherentGradientsClaims.deviations(config, n, split.test().size(), config.data() == null));
    }

    /** The ReLU network 784-h1-...-10 with He initialization, seeded. */
    static DenseNetwork network(int features, List<Integer> hidden, long seed) {
        int[] widths = new int[hidden.size() + 2];
        widths[0] = features;
        for (int i = 0; i < hidden.size(); i++) {
            widths[i + 1] = hidden.get(i);
        }
        widths[widths.length - 1] = FashionMnist.CLASSES;
        return DenseNetwork.builder().widths(widths).activation(Activation.RELU).build(seed);
    }

    private static int count(boolean[] mask) {
        int c = 0;
        for (boolean b : mask) {
            c += b ? 1 : 0;
        }
        return c;
    }
}
