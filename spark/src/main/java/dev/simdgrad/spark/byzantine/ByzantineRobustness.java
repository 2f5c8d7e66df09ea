package dev.simdgrad.spark.byzantine;

import dev.simdgrad.experiments.Claim;
import dev.simdgrad.experiments.DataSource;
import dev.simdgrad.experiments.Deviation;
import dev.simdgrad.experiments.Experiment;
import dev.simdgrad.experiments.ProgressSink;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.metrics.Evaluator;
import dev.simdgrad.spark.Attack;
import dev.simdgrad.spark.DataFrames;
import dev.simdgrad.spark.LocalSession;
import dev.simdgrad.spark.LockstepFits;
import dev.simdgrad.spark.SimdgradClassificationModel;
import dev.simdgrad.spark.SimdgradClassifier;
import dev.simdgrad.spark.WorkerAggregator;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Byzantine-robust data-parallel training (Yin, Chen, Ramchandran and Bartlett, ICML 2018), on Spark in local mode:
 * W workers each hold a shard of the training set; per round every worker computes from the broadcast parameters,
 * f of them are Byzantine (their results replaced by an attack on the driver, knowing the honest ones), and the
 * driver aggregates the W results with the mean or a robust rule. For every number of Byzantine workers f, attack,
 * aggregator and seed it records the test accuracy after training; f = 0 runs once per aggregator and seed (no
 * attack then matters). The claims ({@link ByzantineClaims}) compare, seed by seed, each run under attack with the
 * attack-free mean of the same seed.
 *
 * <p>The default ({@link Config#small}) is Yin et al.'s algorithm, robust gradient descent: one full-batch gradient
 * step per worker per round (K = 1, the batch the whole shard), so the aggregated rows are θ - lr g_w and every rule
 * here aggregates the gradients themselves (they are translation-equivariant). Computes a {@link Result}; prints
 * nothing.
 *
 * <p>Cost: per seed, one lockstep fit of all A arms ({@link LockstepFits}): the shards built once, then per round one
 * Spark job whose W tasks each run A full-batch steps on n / W examples, and A aggregations on the driver.
 */
public final class ByzantineRobustness {
    /** The experiment, as {@code ./simdgrad reproduce byzantine} runs it. */
    public static final Experiment<Config, Run, Result> EXPERIMENT = new Experiment<>("byzantine",
            "Yin, Chen, Ramchandran and Bartlett, Byzantine-Robust Distributed Learning: Towards Optimal Statistical"
                    + " Rates, ICML 2018", ByzantineRobustness::run);

    /** The attack of an attack-free run. */
    public static final String NO_ATTACK = "none";

    /** The aggregator every claim compares with. */
    public static final String MEAN = "mean";

    /**
     * What to run.
     *
     * @param data        IDX or NPY directory, or null for the embedded Fashion-MNIST subset
     * @param trainSize   training examples (the first ones)
     * @param testSize    test examples
     * @param hidden      hidden widths of the ReLU network (empty: softmax regression, 784-10)
     * @param workers     W
     * @param fs          the numbers of Byzantine workers (0 runs without attack)
     * @param attacks     attacks by name (see {@code dev.simdgrad.spark.Attack}), run for every f &gt; 0
     * @param aggregators aggregators by name (see {@code dev.simdgrad.spark.WorkerAggregator}); must contain
     *                    {@value #MEAN}, the reference
     * @param localSteps  K, steps per worker per round
     * @param batch       examples per local step (&gt;= the shard size: full batch)
     * @param lr          the SGD learning rate
     * @param epochs      epochs of the largest shard (with full batches and K = 1: rounds)
     * @param seeds       seeds of the initialization, the Byzantine workers' identity and the Gaussian attack
     * @param master      the Spark master: local mode ({@code local[2]}), or under {@code spark-submit} the submitted
     *                    one ({@link LocalSession#open})
     */
    public record Config(Path data, int trainSize, int testSize, List<Integer> hidden, int workers, List<Integer> fs,
                         List<String> attacks, List<String> aggregators, int localSteps, int batch, double lr,
                         int epochs, List<Long> seeds, String master) {

        /**
         * @throws IllegalArgumentException naming the setting that is out of range
         */
        public Config {
            hidden = List.copyOf(hidden);
            fs = List.copyOf(fs);
            attacks = List.copyOf(attacks);
            aggregators = List.copyOf(aggregators);
            seeds = List.copyOf(seeds);
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("seeds: none");
            }
            if (workers < 1) {
                throw new IllegalArgumentException("workers=" + workers + " must be >= 1");
            }
            if (!fs.contains(0)) {
                throw new IllegalArgumentException("fs " + fs + ": must contain 0, the attack-free reference");
            }
            for (int f : fs) {
                if (f < 0 || f >= workers) {
                    throw new IllegalArgumentException("fs " + fs + ": every f must be in [0, W) = [0, " + workers
                            + ")");
                }
            }
            if (!aggregators.contains(MEAN)) {
                throw new IllegalArgumentException("aggregators " + aggregators + ": must contain " + MEAN
                        + ", the reference");
            }
            if (trainSize < workers) {
                throw new IllegalArgumentException("trainSize=" + trainSize + " must be >= workers=" + workers);
            }
            if (testSize < 1 || localSteps < 1 || batch < 1 || epochs < 1) {
                throw new IllegalArgumentException("testSize, localSteps, batch and epochs must be >= 1");
            }
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("lr=" + lr + " must be finite and > 0");
            }
        }

        /**
         * The default run, about 5 minutes on 2 cores: the embedded Fashion-MNIST subset (5,000 train, 1,000 test),
         * softmax regression (Yin et al.'s convex experiment), W = 8 workers, f in {0, 1, 2, 3}, five attacks, six
         * aggregators (the trimmed mean drops c = 2 values at each end, since at W = 8 c = 3 is the median itself;
         * Krum tolerates f = 2, its limit W &gt;= 2f + 3: at f = 3 both are past what they are built for), robust
         * gradient descent: K = 1 full-batch step per round, lr 0.2, 40 rounds.
         */
        public static Config small(Path data, List<Long> seeds) {
            return new Config(data, 5000, 1000, List.of(), 8, List.of(0, 1, 2, 3),
                    List.of("signFlip", "scaled:-10", "gaussian:1", "alie", "ipm"),
                    List.of(MEAN, "median", "trimmedMean:2", "krum:2", "geometricMedian", "centeredClipping:0.5"),
                    1, Integer.MAX_VALUE, 0.2, 40, seeds, "local[2]");
        }

        /** The first seed and the count: "seeds 1..3 (3)". */
        public String seedRange() {
            return seeds.size() == 1 ? "seed " + seeds.getFirst()
                    : "seeds " + seeds.getFirst() + ".." + seeds.getLast() + " (" + seeds.size() + ")";
        }

        /** The fits this configuration runs. */
        public int runCount() {
            int withAttack = (int) fs.stream().filter(f -> f > 0).count();
            return (1 + withAttack * attacks.size()) * aggregators.size() * seeds.size();
        }
    }

    /**
     * One fit.
     *
     * @param attack       the attack ({@value #NO_ATTACK} when f = 0)
     * @param f            the Byzantine workers
     * @param aggregator   the aggregator
     * @param seed         the seed
     * @param testAccuracy accuracy on the test set (NaN if training diverged)
     * @param trainLoss    the honest workers' mean loss in the last round (NaN if diverged)
     * @param byzantine    which workers were Byzantine
     * @param seconds      wall-clock time of the lockstep fit of all arms of this seed (shared by them)
     * @param diverged     null, or why training stopped (a parameter became non-finite)
     */
    public record Run(String attack, int f, String aggregator, long seed, double testAccuracy, double trainLoss,
                      int[] byzantine, double seconds, String diverged) {
        public boolean hasDiverged() {
            return diverged != null;
        }
    }

    /**
     * The outcome.
     *
     * @param config     what ran
     * @param source     where the data came from
     * @param master     the Spark master and its cores
     * @param chance     the accuracy of guessing (1 / classes): what a diverged run counts as in the claims
     * @param runs       every fit, in the order run
     * @param claims     Yin et al.'s claims against our measurements
     * @param deviations how this run differs from the paper
     */
    public record Result(Config config, String source, String master, double chance, List<Run> runs,
                         List<Claim> claims, List<Deviation> deviations) {
    }

    private ByzantineRobustness() {
    }

    /**
     * Runs everything, one lockstep fit ({@link LockstepFits}) of every (f, attack, aggregator) arm per seed;
     * {@code onRun} sees each run as its seed finishes; {@code progress} counts runs.
     *
     * @throws IOException              if the data cannot be read
     * @throws IllegalArgumentException if a setting is invalid for Spark (an unknown attack or aggregator, an
     *                                  aggregator not defined for W workers), before any fit
     */
    public static Result run(Config config, ProgressSink progress, Consumer<Run> onRun) throws IOException {
        FashionMnist.Split split = DataSource.load(config.data(), config.trainSize(), config.testSize());
        dev.simdgrad.nn.data.Dataset train = split.train(), test = split.test();
        int[] layers = new int[config.hidden().size() + 2];
        layers[0] = train.features();
        for (int i = 0; i < config.hidden().size(); i++) {
            layers[i + 1] = config.hidden().get(i);
        }
        layers[layers.length - 1] = train.classes();
        check(config);
        Evaluator evaluator = new Evaluator(new SoftmaxCrossEntropy(), 1000);
        List<Run> runs = new ArrayList<>();
        String master;
        try (LocalSession spark = LocalSession.open(config.master())) {
            master = spark.session().sparkContext().master() + " (" + spark.cores() + " cores)";
            org.apache.spark.sql.Dataset<Row> frame = DataFrames.of(spark.session(), train, config.workers())
                    .cache();
            frame.count();
            try {
                List<LockstepFits.Arm> arms = new ArrayList<>();
                for (int f : config.fs()) {
                    for (String attack : f == 0 ? List.of(NO_ATTACK) : config.attacks()) {
                        for (String agg : config.aggregators()) {
                            arms.add(new LockstepFits.Arm(agg, attack, f));
                        }
                    }
                }
                for (long seed : config.seeds()) {
                    progress.note("seed " + seed + ": " + arms.size() + " arms in lockstep");
                    long t0 = System.nanoTime();
                    List<LockstepFits.Fit> fits = LockstepFits.fit(estimator(config, layers, seed), frame, arms);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    for (LockstepFits.Fit fit : fits) {
                        LockstepFits.Arm arm = fit.arm();
                        Run run;
                        if (fit.diverged() != null) {
                            run = new Run(arm.attack(), arm.byzantineWorkers(), arm.aggregator(), seed, Double.NaN,
                                    Double.NaN, new int[0], seconds, fit.diverged());
                        } else {
                            double[] loss = fit.model().trainingLoss();
                            run = new Run(arm.attack(), arm.byzantineWorkers(), arm.aggregator(), seed,
                                    evaluator.evaluate(fit.model().network(), test).accuracy(),
                                    loss[loss.length - 1], fit.model().byzantineWorkers(), seconds, null);
                        }
                        runs.add(run);
                        onRun.accept(run);
                    }
                    progress.step(arms.size());
                }
            } finally {
                frame.unpersist();
            }
        }
        double chance = 1.0 / train.classes();
        String source = split.source() + ", first " + train.size() + " train / " + test.size() + " test";
        return new Result(config, source, master, chance, runs, ByzantineClaims.of(runs, chance),
                ByzantineClaims.deviations(config, train.size(), test.size(), config.data() == null));
    }

    /**
     * Checks the names in {@code config} (every attack and aggregator known, every aggregator defined for W workers),
     * so that a typo in the last aggregator does not cost the whole grid.
     *
     * @throws IllegalArgumentException naming the first bad setting
     */
    public static void check(Config config) {
        for (String agg : config.aggregators()) {
            WorkerAggregator.parse(agg).checkWorkers(config.workers());
        }
        for (String attack : config.attacks()) {
            Attack.parse(attack);
        }
    }

    /** The estimator of a seed's fits (the arms set aggregator, attack and f). */
    static SimdgradClassifier estimator(Config c, int[] layers, long seed) {
        return new SimdgradClassifier().setLayers(layers).setActivation("relu").setNumWorkers(c.workers())
                .setLocalSteps(c.localSteps()).setBatchSize(c.batch()).setLearningRate(c.lr()).setEpochs(c.epochs())
                .setSeed(seed);
    }
}
