package dev.simdgrad.spark;

import dev.simdgrad.experiments.DataSource;
import dev.simdgrad.experiments.ProgressSink;
import dev.simdgrad.experiments.Spread;
import dev.simdgrad.nn.data.FashionMnist;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * MLlib's {@code MultilayerPerceptronClassifier} beside {@link SimdgradClassifier} (mean aggregator) in one Spark
 * session, on one DataFrame, with the same widths: seconds per epoch (mean +- sd over repeated fits, each after a
 * warm-up fit) and test accuracy after the same number of epochs, evaluated by the same MLlib evaluator on the same
 * test frame. Then the time to a target accuracy, l-bfgs's after the config's epochs: per method, the fewest epochs
 * whose fit reaches it and that fit's wall time (the per-epoch speed-up alone says nothing about how many epochs a
 * method needs). Then the round overhead of simdgrad's synchronous rounds at several W: per round, the wall time of
 * the Spark job (broadcast, tasks, collect) against the workers' compute inside it.
 *
 * <p>An epoch is one pass over the training set. MLlib's solvers are full-batch: an l-bfgs iteration is one
 * distributed gradient of the whole set plus line-search evaluations, a gd iteration one gradient (maxIter = epochs).
 * simdgrad runs minibatch SGD (K = 1: one round per step, n / (W B) rounds per epoch), local SGD (K = the steps of an
 * epoch: one round per epoch) and full-batch gradient descent (one round per epoch), the last two with as few rounds
 * as MLlib's gd. MLlib's hidden layers are sigmoid, fixed; simdgrad's here tanh (the same function class:
 * sigmoid(x) = (1 + tanh(x / 2)) / 2).
 */
public final class MllibBenchmark {
    private MllibBenchmark() {
    }

    /**
     * What to measure.
     *
     * @param trainSize training examples of the embedded Fashion-MNIST subset (the first ones)
     * @param testSize  test examples
     * @param hidden    the hidden width (784-hidden-10)
     * @param epochs    epochs of every timed fit
     * @param repeats   timed fits per method (after one warm-up fit of one epoch)
     * @param batch     simdgrad's minibatch size
     * @param workers   the W of the round-overhead measurement
     * @param localSteps the K of the round-overhead measurement
     * @param master    the local master (under {@code spark-submit}, the submitted one: {@link LocalSession#open})
     */
    public record Config(int trainSize, int testSize, int hidden, int epochs, int repeats, int batch,
                         List<Integer> workers, List<Integer> localSteps, String master) {
        /**
         * @throws IllegalArgumentException naming a setting out of range
         */
        public Config {
            workers = List.copyOf(workers);
            localSteps = List.copyOf(localSteps);
            if (trainSize < 1 || testSize < 1 || hidden < 1 || epochs < 1 || repeats < 1 || batch < 1) {
                throw new IllegalArgumentException("trainSize, testSize, hidden, epochs, repeats and batch must be"
                        + " >= 1");
            }
            if (workers.stream().anyMatch(w -> w < 1)) {
                throw new IllegalArgumentException("workers " + workers + ": each must be >= 1");
            }
            if (localSteps.stream().anyMatch(k -> k < 1)) {
                throw new IllegalArgumentException("localSteps " + localSteps + ": each must be >= 1");
            }
        }

        /**
         * The default: 5,000 / 1,000 examples, 784-64-10, 10 epochs, 3 repeats, batch 64, W in {2, 8}, K in {1, 8},
         * local[2].
         */
        public static Config standard() {
            return new Config(5000, 1000, 64, 10, 3, 64, List.of(2, 8), List.of(1, 8), "local[2]");
        }
    }

    /**
     * One method's measurement.
     *
     * @param library         "MLlib" or "simdgrad"
     * @param method          the solver and its settings
     * @param roundsPerEpoch  Spark jobs per epoch of training (MLlib: at least one per iteration)
     * @param secondsPerEpoch fit time / epochs over the repeats
     * @param testAccuracy    accuracy on the test frame after the last timed fit
     */
    public record Line(String library, String method, double roundsPerEpoch, Spread secondsPerEpoch,
                       double testAccuracy) {
    }

    /**
     * The round overhead at W workers: per round (mean over the rounds of one epoch after a warm-up fit, the first
     * round left out).
     *
     * @param workers         W
     * @param localSteps      K, the local steps per round
     * @param roundMode       how the rounds ran: {@code job} (a Spark job per round) or {@code barrier} (one barrier
     *                        job, rounds over a TCP channel, the parameters in memory in local mode)
     * @param cores           the cores running the tasks
     * @param rounds          rounds measured
     * @param wallMs          job: the Spark job (broadcast, scheduling, W tasks, collect); barrier: from the previous
     *                        round's parameters sent to all W results received
     * @param computeMs       the workers' local steps, summed over the workers
     * @param aggregateMs     the aggregation on the driver
     * @param overheadMs      wallMs - computeMs / min(W, cores): the part of the job not spent computing even with
     *                        perfect packing of the tasks on the cores
     */
    public record Overhead(int workers, int localSteps, String roundMode, int cores, int rounds, double wallMs, double computeMs,
                           double aggregateMs, double overheadMs) {
        /** The overhead as a fraction of the whole round (job and aggregation). */
        public double fraction() {
            return overheadMs / (wallMs + aggregateMs);
        }
    }

    /**
     * How soon a method reaches the target accuracy (MLlib's default solver's test accuracy after the config's
     * epochs): the fewest epochs e (1, 2, ..., up to the config's epochs) whose fit of e epochs reaches it, timed as
     * one fit (after the method's warm-up).
     *
     * @param library  "MLlib" or "simdgrad"
     * @param method   as in its {@link Line}
     * @param target   the accuracy to reach
     * @param epochs   the fewest epochs that reached it, 0 if none up to the config's epochs
     * @param seconds  the wall time of that fit (NaN if none reached it)
     * @param accuracy the test accuracy of that fit (NaN if none reached it)
     */
    public record ToTarget(String library, String method, double target, int epochs, double seconds,
                           double accuracy) {
    }

    /**
     * The outcome.
     *
     * @param config    what ran
     * @param source    the data
     * @param master    the master and its cores
     * @param partitions the partitions of the training frame (= simdgrad's W in the comparison)
     * @param lines     MLlib's methods, then simdgrad's
     * @param toTarget  the time to the target accuracy, per method (all but simdgrad's job per round, which gives
     *                  the barrier job's bits more slowly)
     * @param overheads one per W of the config
     */
    public record Result(Config config, String source, String master, int partitions, List<Line> lines,
                         List<ToTarget> toTarget, List<Overhead> overheads) {
    }

    /**
     * A method of the comparison: how to fit it for e epochs, and whether its time to the target is measured (not
     * for a method that gives another's bits more slowly).
     */
    private record Method(String library, String method, double roundsPerEpoch, boolean toTarget,
                          IntFunction<Model<?>> fit) {
    }

    /**
     * Runs the comparison and the overhead measurement; {@code progress} counts fits.
     *
     * @throws IOException if the embedded data cannot be read
     */
    public static Result run(Config c, ProgressSink progress) throws IOException {
        FashionMnist.Split split = DataSource.load(null, c.trainSize(), c.testSize());
        try (LocalSession spark = LocalSession.open(c.master())) {
            // the task slots (what a barrier stage needs W of), which spark.default.parallelism may overstate; on a
            // cluster LocalSession has waited for the executors to register
            int slots = BarrierRounds.slots(JavaSparkContext.fromSparkContext(spark.session().sparkContext()));
            int cores = slots > 0 ? slots : spark.cores();
            org.apache.spark.sql.Dataset<Row> train = DataFrames.of(spark.session(), split.train(), cores).cache();
            org.apache.spark.sql.Dataset<Row> test = DataFrames.of(spark.session(), split.test(), cores).cache();
            train.count();
            test.count();
            int n = split.train().size();
            int[] layers = {split.train().features(), c.hidden(), split.train().classes()};
            long shard = (n + cores - 1) / cores;
            long stepsPerEpoch = (shard + c.batch() - 1) / c.batch();
            double fullLr = 0.5;
            List<Method> methods = new ArrayList<>();
            MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier().setLayers(layers).setSeed(1)
                    .setTol(0).setBlockSize(128);
            methods.add(new Method("MLlib", "l-bfgs (default solver), maxIter = epochs", 1, true,
                    e -> mlp.copy(ParamMap.empty()).setMaxIter(e).fit(train)));
            methods.add(new Method("MLlib", "gd, stepSize " + fullLr + ", maxIter = epochs", 1, true,
                    e -> mlp.copy(ParamMap.empty()).setSolver("gd").setStepSize(fullLr).setMaxIter(e).fit(train)));
            SimdgradClassifier ours = new SimdgradClassifier().setLayers(layers).setActivation("tanh")
                    .setNumWorkers(cores).setAggregator("mean").setSeed(1);
            for (String mode : new String[]{"job", "barrier"}) {
                methods.add(new Method("simdgrad", "minibatch SGD, K = 1, B = " + c.batch() + ", lr 0.1, "
                        + (mode.equals("job") ? "a Spark job per round" : "one barrier job"),
                        stepsPerEpoch, mode.equals("barrier"), e -> ours.copy(ParamMap.empty()).setRoundMode(mode).setLocalSteps(1).setBatchSize(c.batch())
                                .setLearningRate(0.1).setEpochs(e).fit(train)));
            }
            // SGD's classic setting (momentum 0.9, lr 0.01), added after plain SGD at lr 0.1 ended below l-bfgs here;
            // not the best of the learning rates tried with it (the README gives them)
            methods.add(new Method("simdgrad", "minibatch SGD with momentum 0.9, K = 1, B = " + c.batch() + ", lr"
                    + " 0.01, one barrier job", stepsPerEpoch, true, e -> ours.copy(ParamMap.empty())
                    .setRoundMode("barrier").setLocalSteps(1).setBatchSize(c.batch()).setLearningRate(0.01)
                    .setMomentum(0.9).setEpochs(e).fit(train)));
            methods.add(new Method("simdgrad", "local SGD, K = " + stepsPerEpoch + " (an epoch per round), B = "
                    + c.batch() + ", lr 0.1", 1, true, e -> ours.copy(ParamMap.empty()).setLocalSteps((int) stepsPerEpoch)
                    .setBatchSize(c.batch()).setLearningRate(0.1).setEpochs(e).fit(train)));
            methods.add(new Method("simdgrad", "full-batch GD, K = 1, lr " + fullLr, 1, true,
                    e -> ours.copy(ParamMap.empty()).setLocalSteps(1).setBatchSize(Integer.MAX_VALUE)
                            .setLearningRate(fullLr).setEpochs(e).fit(train)));
            List<Line> lines = new ArrayList<>();
            for (Method m : methods) {
                lines.add(time(m, c, progress, test));
            }
            double target = lines.getFirst().testAccuracy();
            List<ToTarget> toTarget = new ArrayList<>();
            for (Method m : methods) {
                if (m.toTarget()) {
                    toTarget.add(toTarget(m, target, c, progress, test));
                }
            }
            List<Overhead> overheads = new ArrayList<>();
            for (int w : c.workers()) {
                for (int k : c.localSteps()) {
                    for (String mode : new String[]{"job", "barrier"}) {
                        if (mode.equals("barrier") && w > slots) {
                            continue;   // a barrier stage needs its W tasks running at once
                        }
                        overheads.add(overhead(ours.copy(ParamMap.empty()).setRoundMode(mode).setNumWorkers(w)
                                .setLocalSteps(k).setBatchSize(c.batch()).setLearningRate(0.1).setEpochs(1), train,
                                w, k, cores, mode));
                        progress.step(2);
                    }
                }
            }
            train.unpersist();
            test.unpersist();
            String source = split.source() + ", first " + n + " train / " + split.test().size() + " test";
            return new Result(c, source, spark.session().sparkContext().master() + " (" + cores + " cores)",
                    train.rdd().getNumPartitions(), lines, toTarget, overheads);
        }
    }

    /** The fits a run makes (for a progress bar). */
    public static long fits(Config c) {
        // at most: a W above the task slots runs no barrier job
        return 7L * (1 + c.repeats()) + 6L * c.epochs() + 4L * c.workers().size() * c.localSteps().size();
    }

    private static Line time(Method m, Config c, ProgressSink progress, org.apache.spark.sql.Dataset<Row> test) {
        progress.note(m.library() + " " + m.method());
        m.fit().apply(1);   // warm-up: JIT, Spark's first jobs on these frames
        progress.step(1);
        double[] perEpoch = new double[c.repeats()];
        Model<?> last = null;
        for (int i = 0; i < c.repeats(); i++) {
            long t0 = System.nanoTime();
            last = m.fit().apply(c.epochs());
            perEpoch[i] = (System.nanoTime() - t0) / 1e9 / c.epochs();
            progress.step(1);
        }
        return new Line(m.library(), m.method(), m.roundsPerEpoch(), Spread.of(perEpoch), accuracy(last, test));
    }

    /** Fits of 1, 2, ... epochs until one reaches {@code target} on the test frame (or the config's epochs end). */
    private static ToTarget toTarget(Method m, double target, Config c, ProgressSink progress,
                                     org.apache.spark.sql.Dataset<Row> test) {
        progress.note(m.library() + " " + m.method() + " to accuracy " + target);
        for (int e = 1; e <= c.epochs(); e++) {
            long t0 = System.nanoTime();
            Model<?> model = m.fit().apply(e);
            double seconds = (System.nanoTime() - t0) / 1e9;
            progress.step(1);
            double acc = accuracy(model, test);
            if (acc >= target) {
                return new ToTarget(m.library(), m.method(), target, e, seconds, acc);
            }
        }
        return new ToTarget(m.library(), m.method(), target, 0, Double.NaN, Double.NaN);
    }

    private static double accuracy(Model<?> model, org.apache.spark.sql.Dataset<Row> test) {
        return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    }

    private static Overhead overhead(SimdgradClassifier est, org.apache.spark.sql.Dataset<Row> train, int w,
                                     int k, int cores, String mode) {
        est.fit(train);   // warm-up
        double[] sums = new double[3];
        int[] count = {0};
        DataParallelTrainer.roundListener = (round, wall, compute, aggregate) -> {
            if (round == 0) {
                return;   // the first round of a fit also pays for building the shards' batch buffers
            }
            long sum = 0;
            for (long x : compute) {
                sum += x;
            }
            sums[0] += wall / 1e6;
            sums[1] += sum / 1e6;
            sums[2] += aggregate / 1e6;
            count[0]++;
        };
        try {
            est.fit(train);
        } finally {
            DataParallelTrainer.roundListener = null;
        }
        int rounds = Math.max(1, count[0]);
        double wall = sums[0] / rounds, compute = sums[1] / rounds, aggregate = sums[2] / rounds;
        return new Overhead(w, k, mode, cores, count[0], wall, compute, aggregate,
                wall - compute / Math.min(w, cores));
    }
}
