package dev.simdgrad.experiments.gradreg;

import dev.simdgrad.experiments.Claim;
import dev.simdgrad.experiments.DataSource;
import dev.simdgrad.experiments.Deviation;
import dev.simdgrad.experiments.ProgressSink;
import dev.simdgrad.experiments.Regularizer;
import dev.simdgrad.experiments.Spread;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.metrics.Evaluator;
import dev.simdgrad.nn.optim.BackpropThroughBackwardGR;
import dev.simdgrad.nn.optim.DoubleBackpropGR;
import dev.simdgrad.nn.optim.Flooding;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Objective;
import dev.simdgrad.nn.optim.Schedule;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.optim.Trainer;
import dev.simdgrad.nn.optim.TrainingDivergedException;
import dev.simdgrad.nn.strategy.Mean;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Gradient regularization (Karakida et al., ICML 2023), over seeds, in three parts:
 * <ol>
 *   <li><b>Cost</b> of one step of plain SGD, F-GR, B-GR, true double backprop (DB) and DB by an analytic
 *       Hessian-vector product on the training network: counted in matrix products ({@link CostModel}) and measured
 *       in interleaved rounds (every round times every method on the same batch, in a rotated order), so that a
 *       burst of load on a shared machine hits all methods; the cost claims are judged on the per-round log ratios,
 *       paired by round.</li>
 *   <li><b>Test accuracy</b> of a ReLU MLP trained with the paper's optimizer (SGD, momentum, cosine schedule, weight
 *       decay) with plain gradients, F-GR and B-GR over a grid of γ and ε, DB over γ, and flooding at a level b
 *       taken from plain SGD's own training loss at mid-training (so the level is reached; whether it was is
 *       measured). Every arm trains from the same seeds (initialization and batch order), so the claims are judged
 *       on paired differences.</li>
 *   <li>The <b>diagonal linear network</b> ({@link DiagonalLinearNetwork}) on sparse regression problems, one per
 *       seed: the distance of the interpolating solution to the sparse truth, its ℓ1 norm and its false support,
 *       for GD, DB, F-GR and B-GR over γ, ε and initialization scales α.</li>
 * </ol>
 * Computes a {@link Result} with the claims ({@link GradientRegularizationClaims}) and the deviations from the paper;
 * prints nothing.
 *
 * <p>Cost of a run: the training part dominates, about 2 + |γ|(2 + 4|ε|) plain-step equivalents per step and seed
 * (plain and flooding one, DB about two on one hidden layer, F-GR and B-GR two gradients each).
 */
public final class GradientRegularization {

    /**
     * The diagonal-linear-network part.
     *
     * @param n        examples
     * @param d        coordinates (d &gt; n: many interpolating solutions)
     * @param k        non-zero entries of the truth (±1)
     * @param scales   initialization scales α (u = v = α·1)
     * @param gammas   γ of DB, F-GR and B-GR
     * @param epsilons ε of F-GR and B-GR
     * @param lr       GD step size
     * @param steps    step budget per run (a run stops earlier when L &lt; 1e-10)
     */
    public record DlnConfig(int n, int d, int k, List<Double> scales, List<Double> gammas, List<Double> epsilons,
                            double lr, int steps) {
        public DlnConfig {
            scales = List.copyOf(scales);
            gammas = List.copyOf(gammas);
            epsilons = List.copyOf(epsilons);
            if (n < 1 || d < 1 || k < 1 || k > d || steps < 1 || !(lr > 0)) {
                throw new IllegalArgumentException("diagonal network: need n, d, steps >= 1, 1 <= k <= d, lr > 0");
            }
        }
    }

    /**
     * What to run.
     *
     * @param data        IDX or NPY directory, or null for the embedded Fashion-MNIST subset
     * @param trainSize   training examples (the first ones; rounded down to whole batches)
     * @param testSize    test examples (the first ones; the embedded subset has 1,000)
     * @param hidden      hidden widths of the ReLU MLP (784-h1-...-10)
     * @param epochs      epochs per run
     * @param batch       minibatch size (also the batch of the cost measurement)
     * @param lr          initial learning rate of the cosine schedule (to 0 over the run)
     * @param momentum    heavy-ball momentum
     * @param weightDecay L2 weight decay
     * @param gammas      γ of F-GR, B-GR and DB
     * @param epsilons    ε of F-GR and B-GR
     * @param timingRounds measured rounds of the cost part (after one warm-up round)
     * @param timingSteps steps per method and round
     * @param costDepth   the cost part also times a network of this many hidden layers of the first hidden width
     *                    (the paper's count, about 6L vs 9L products, favours F-GR only with depth; 0: only the
     *                    trained network)
     * @param dln         the diagonal-linear-network part
     * @param seed        first seed
     * @param seeds       seeds (seed, seed + 1, ...): initialization and batch order of the MLP, the problem of the
     *                    diagonal network
     */
    public record Config(Path data, int trainSize, int testSize, List<Integer> hidden, int epochs, int batch, double lr,
                         float momentum, float weightDecay, List<Float> gammas, List<Float> epsilons,
                         int timingRounds, int timingSteps, int costDepth, DlnConfig dln, long seed, int seeds) {
        public Config {
            hidden = List.copyOf(hidden);
            gammas = List.copyOf(gammas);
            epsilons = List.copyOf(epsilons);
            if (hidden.isEmpty() || hidden.stream().anyMatch(h -> h < 1)) {
                throw new IllegalArgumentException("hidden: need at least one width >= 1, got " + hidden);
            }
            if (gammas.isEmpty() || epsilons.isEmpty()) {
                throw new IllegalArgumentException("need at least one gamma and one epsilon");
            }
            if (seeds < 1 || epochs < 1 || batch < 1 || timingRounds < 2 || timingSteps < 1 || costDepth < 0) {
                throw new IllegalArgumentException("need seeds, epochs, batch, timingSteps >= 1 and timingRounds"
                        + " >= 2");
            }
        }

        /**
         * The default: the embedded 5,000 / 1,000 Fashion-MNIST images (with a data directory: its first 5,000 and
         * its whole test set), 784-512-10, the paper's optimizer for 6 epochs, γ ∈ {0.01, 0.1}, ε ∈ {0.01, 0.1, 0.5},
         * 5 seeds; the diagonal network at α ∈ {0.1, 0.5}, γ ∈ {0.03, 0.3}, ε ∈ {0.01, 0.1, 0.5}. About 5 minutes
         * on 2 cores.
         */
        public static Config small(Path data, long seed) {
            return new Config(data, 5000, 10000, List.of(512), 6, 128, 0.1, 0.9f, 1e-4f, List.of(0.01f, 0.1f),
                    List.of(0.01f, 0.1f, 0.5f), 12, 6, 3, new DlnConfig(40, 100, 5, List.of(0.1, 0.5),
                    List.of(0.03, 0.3), List.of(0.01, 0.1, 0.5), 0.01, 40_000), seed, 5);
        }

        /**
         * The paper's grid as we read it (γ ∈ {1e-4, 1e-3, 1e-2, 1e-1}, ε ∈ {0.01, 0.02, 0.05, 0.1, 0.2, 0.5}, 5
         * seeds) on the whole training set (with {@code --data}) for 30 epochs: about 10 hours on 2 cores.
         */
        public static Config full(Path data, long seed) {
            return new Config(data, Integer.MAX_VALUE, 10000, List.of(512), 30, 128, 0.1, 0.9f, 1e-4f,
                    List.of(1e-4f, 1e-3f, 1e-2f, 1e-1f), List.of(0.01f, 0.02f, 0.05f, 0.1f, 0.2f, 0.5f), 20, 10, 3,
                    new DlnConfig(40, 100, 5, List.of(0.03, 0.1, 0.3, 0.5, 1.0), List.of(0.01, 0.03, 0.1, 0.3),
                            List.of(0.01, 0.02, 0.05, 0.1, 0.2, 0.5), 0.01, 100_000), seed, 5);
        }

        /** The network's widths, input and output included. */
        public List<Integer> widths(int inputs, int classes) {
            List<Integer> w = new ArrayList<>();
            w.add(inputs);
            w.addAll(hidden);
            w.add(classes);
            return List.copyOf(w);
        }

        /** The networks of the cost part: the trained one, then (if different) {@code costDepth} hidden layers. */
        public List<List<Integer>> costWidths(int inputs, int classes) {
            List<List<Integer>> out = new ArrayList<>();
            out.add(widths(inputs, classes));
            if (costDepth > 0) {
                List<Integer> deep = new ArrayList<>();
                deep.add(inputs);
                for (int i = 0; i < costDepth; i++) {
                    deep.add(hidden.getFirst());
                }
                deep.add(classes);
                if (!deep.equals(out.getFirst())) {
                    out.add(List.copyOf(deep));
                }
            }
            return List.copyOf(out);
        }
    }

    /** What {@link #run} reports as it goes: a method's cost, an arm's accuracy, or a diagonal-network setting. */
    public sealed interface Row permits Cost, Accuracy, Sparsity {
    }

    /**
     * Part 1: one method's cost on one network.
     *
     * @param widths       the network's layer widths (input, hidden..., output)
     * @param method       how the gradient is computed
     * @param products     matrix products per step ({@link CostModel#products})
     * @param multiplyAdds multiply-adds per example ({@link CostModel#multiplyAdds})
     * @param msByRound    measured milliseconds per step, one per measured round (rounds are shared by all methods)
     */
    public record Cost(List<Integer> widths, CostModel.Method method, int products, long multiplyAdds,
                       List<Double> msByRound) implements Row {
        public Cost {
            widths = List.copyOf(widths);
            msByRound = List.copyOf(msByRound);
        }

        /** Weight layers L. */
        public int layers() {
            return widths.size() - 1;
        }

        /** Mean and sd of the milliseconds per step over the rounds. */
        public Spread ms() {
            return Spread.of(msByRound.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** The arms of the accuracy part. */
    public enum Arm {
        PLAIN("plain"), FGR("F-GR"), BGR("B-GR"), DB("DB"), FLOODING("flooding");

        private final String label;

        Arm(String label) {
            this.label = label;
        }

        /** The name the tables print. */
        public String label() {
            return label;
        }
    }

    /**
     * Part 2: one arm and setting, trained once per seed.
     *
     * @param arm            the method
     * @param gamma          γ (NaN where it does not apply)
     * @param epsilon        ε (NaN where it does not apply)
     * @param trainBySeed    final training accuracy per seed (NaN: diverged)
     * @param testBySeed     final test accuracy per seed (NaN: diverged)
     * @param lossBySeed     per seed, the mean minibatch loss of each epoch (before each step); empty for a seed that
     *                       diverged in its first epoch
     * @param belowLevelBySeed flooding only: per seed, the fraction of steps whose batch loss was below the level
     *                       (steps of gradient ascent); empty for the other arms
     * @param seconds        wall time of all the seeds
     */
    public record Accuracy(Arm arm, double gamma, double epsilon, List<Double> trainBySeed, List<Double> testBySeed,
                           List<List<Double>> lossBySeed, List<Double> belowLevelBySeed, double seconds)
            implements Row {
        public Accuracy {
            trainBySeed = List.copyOf(trainBySeed);
            testBySeed = List.copyOf(testBySeed);
            lossBySeed = lossBySeed.stream().map(List::copyOf).toList();
            belowLevelBySeed = List.copyOf(belowLevelBySeed);
        }

        /** Mean and sd of the test accuracy over seeds (mean NaN if a seed diverged). */
        public Spread test() {
            return Spread.of(testBySeed.stream().mapToDouble(Double::doubleValue).toArray());
        }

        /** Mean and sd of the training accuracy over seeds. */
        public Spread train() {
            return Spread.of(trainBySeed.stream().mapToDouble(Double::doubleValue).toArray());
        }

        /** Whether this is flooding and its level was reached on every seed (some step descended below it). */
        public boolean levelReachedOnEverySeed() {
            return arm == Arm.FLOODING && !belowLevelBySeed.isEmpty()
                    && belowLevelBySeed.stream().allMatch(f -> f > 0);
        }
    }

    /**
     * Part 3: one diagonal-network setting over the problems (one per seed). A NaN entry: that seed's run diverged.
     *
     * @param scale            α
     * @param method           GD, DB, F-GR or B-GR
     * @param gamma            γ (NaN for GD)
     * @param epsilon          ε (NaN for GD and DB)
     * @param errorBySeed      ‖β_T - β*‖₂
     * @param l1BySeed         ‖β_T‖₁ (the truth has k)
     * @param falseSupportBySeed coordinates off the true support with |β_j| &gt; 0.1 (a tenth of the truth's entries)
     * @param lossBySeed       final training loss
     */
    public record Sparsity(double scale, DiagonalLinearNetwork.Method method, double gamma, double epsilon,
                           List<Double> errorBySeed, List<Double> l1BySeed, List<Double> falseSupportBySeed,
                           List<Double> lossBySeed) implements Row {
        public Sparsity {
            errorBySeed = List.copyOf(errorBySeed);
            l1BySeed = List.copyOf(l1BySeed);
            falseSupportBySeed = List.copyOf(falseSupportBySeed);
            lossBySeed = List.copyOf(lossBySeed);
        }

        /** Mean and sd of the distance to the truth over seeds. */
        public Spread error() {
            return Spread.of(errorBySeed.stream().mapToDouble(Double::doubleValue).toArray());
        }

        /** Mean and sd of the ℓ1 norm over seeds. */
        public Spread l1() {
            return Spread.of(l1BySeed.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /**
     * The outcome.
     *
     * @param config     what ran
     * @param source     data description
     * @param trainSize  training examples used
     * @param testSize   test examples used
     * @param costs      part 1
     * @param accuracy   part 2
     * @param floodLevel the flooding level b (plain SGD's mean training loss at mid-training, over seeds)
     * @param sparsity   part 3
     * @param claims     the paper's claims against our measurements
     * @param deviations how this run differs from the paper
     */
    public record Result(Config config, String source, int trainSize, int testSize, List<Cost> costs,
                         List<Accuracy> accuracy, double floodLevel, List<Sparsity> sparsity, List<Claim> claims,
                         List<Deviation> deviations) {
    }

    /** Relative threshold of the false-support count: a tenth of the truth's entries (±1). */
    public static final double SUPPORT_THRESHOLD = 0.1;

    private GradientRegularization() {
    }

    /** Progress units: MLP training steps (parts 1 and 3 are short beside part 2). */
    public static long work(Config c, int n) {
        int runs = 2 + c.gammas().size() * (2 * c.epsilons().size() + 1);
        return (long) runs * c.seeds() * c.epochs() * Math.max(1, n / c.batch());
    }

    /**
     * Runs the three parts; {@code onRow} sees each row as it is measured.
     *
     * @throws IOException if the data cannot be loaded
     */
    public static Result run(Config config, ProgressSink progress, Consumer<Row> onRow) throws IOException {
        FashionMnist.Split split = DataSource.load(config.data(), config.trainSize(), config.testSize());
        int n = Math.max(config.batch(), split.train().size() / config.batch() * config.batch());
        Dataset train = split.train().head(Math.min(n, split.train().size()));
        n = train.size();
        List<Integer> widths = config.widths(train.features(), FashionMnist.CLASSES);
        var loss = new SoftmaxCrossEntropy();

        List<Cost> costs = new ArrayList<>();
        for (List<Integer> w : config.costWidths(train.features(), FashionMnist.CLASSES)) {
            progress.note("cost rounds, " + w);
            List<Cost> cs = costs(config, w, train, loss);
            cs.forEach(onRow);
            costs.addAll(cs);
        }

        List<Accuracy> acc = new ArrayList<>();
        Accuracy plain = train(config, Arm.PLAIN, Float.NaN, Float.NaN, Double.NaN, widths, train, split.test(), loss,
                progress);
        acc.add(plain);
        onRow.accept(plain);
        for (float g : config.gammas()) {
            Accuracy db = train(config, Arm.DB, g, Float.NaN, Double.NaN, widths, train, split.test(), loss,
                    progress);
            acc.add(db);
            onRow.accept(db);
            for (float e : config.epsilons()) {
                for (Arm arm : List.of(Arm.FGR, Arm.BGR)) {
                    Accuracy a = train(config, arm, g, e, Double.NaN, widths, train, split.test(), loss, progress);
                    acc.add(a);
                    onRow.accept(a);
                }
            }
        }
        double level = floodLevel(plain, config.epochs());
        Accuracy flood = train(config, Arm.FLOODING, Float.NaN, Float.NaN, level, widths, train, split.test(), loss,
                progress);
        acc.add(flood);
        onRow.accept(flood);

        progress.note("diagonal linear network");
        List<Sparsity> sparsity = diagonal(config, onRow);
        String source = split.source() + ", first " + n + " train / " + split.test().size() + " test";
        return new Result(config, source, n, split.test().size(), List.copyOf(costs), List.copyOf(acc), level,
                sparsity,
                GradientRegularizationClaims.of(config, costs, acc, sparsity),
                GradientRegularizationClaims.deviations(config, n, split.test().size(), config.data() == null));
    }

    /**
     * The flooding level: plain SGD's mean minibatch loss in epoch ⌈3E/4⌉, averaged over the seeds that got there.
     * Flooding follows plain SGD step for step (same seed) until a batch loss falls below the level, and plain SGD
     * gets there by that epoch, so the level is reachable; NaN if no seed got there.
     */
    public static double floodLevel(Accuracy plain, int epochs) {
        int mid = floodEpoch(epochs) - 1;
        return plain.lossBySeed().stream().filter(l -> l.size() > mid).mapToDouble(l -> l.get(mid)).average()
                .orElse(Double.NaN);
    }

    /** The 1-based epoch whose plain-SGD loss sets the flooding level: ⌈3E/4⌉. */
    public static int floodEpoch(int epochs) {
        return (3 * epochs + 3) / 4;
    }

    private static Objective objective(Arm arm, float gamma, float epsilon, double level, SoftmaxCrossEntropy loss) {
        return switch (arm) {
            case PLAIN -> new LossGradient(loss, new Mean());
            case FGR -> Regularizer.FGR.objective(loss, new Mean(), gamma, epsilon, 0, 0);
            case BGR -> Regularizer.BGR.objective(loss, new Mean(), gamma, epsilon, 0, 0);
            // The paper's DB: the gradient of (γ/2)‖∇L‖² by backpropagating through the backward pass.
            case DB -> new BackpropThroughBackwardGR(loss, gamma);
            case FLOODING -> new LevelCounter(new Flooding(new LossGradient(loss, new Mean()), level), level);
        };
    }

    private static Accuracy train(Config c, Arm arm, float gamma, float epsilon, double level, List<Integer> widths,
                                  Dataset train, Dataset test, SoftmaxCrossEntropy loss, ProgressSink progress) {
        progress.note(arm.label() + (Float.isNaN(gamma) ? "" : " γ=" + gamma) + (Float.isNaN(epsilon) ? ""
                : " ε=" + epsilon));
        long t0 = System.nanoTime();
        Evaluator ev = new Evaluator(loss, 1000);
        int steps = Math.max(1, train.size() / c.batch());
        List<Double> trainAcc = new ArrayList<>(), testAcc = new ArrayList<>(), below = new ArrayList<>();
        List<List<Double>> losses = new ArrayList<>();
        for (int k = 0; k < c.seeds(); k++) {
            // Seed k gives every arm the same initialization and batch order: the differences between arms are
            // paired, which is what lets five seeds resolve effects of a few tenths of a percent.
            long seed = c.seed() + k;
            DenseNetwork net = DenseNetwork.builder().widths(widths.stream().mapToInt(Integer::intValue).toArray())
                    .activation(Activation.RELU).build(seed);
            Objective obj = objective(arm, gamma, epsilon, level, loss);
            Sgd sgd = new Sgd(Schedule.cosine(c.lr(), 0, (long) steps * c.epochs()), c.momentum(), false,
                    c.weightDecay());
            Trainer trainer = Trainer.of(net, obj, sgd).batch(c.batch()).seed(seed).dropLast();
            List<Double> perEpoch = new ArrayList<>();
            try {
                for (int ep = 0; ep < c.epochs(); ep++) {
                    perEpoch.add(trainer.epoch(train));
                    progress.step(steps);
                }
                trainAcc.add(ev.evaluate(net, train).accuracy());
                testAcc.add(ev.evaluate(net, test).accuracy());
            } catch (TrainingDivergedException d) {
                // A diverged seed has no accuracy: NaN, printed as "diverged"; every claim that needs it is not
                // judged (Claim.ofPairedDifferences).
                trainAcc.add(Double.NaN);
                testAcc.add(Double.NaN);
            }
            losses.add(perEpoch);
            if (obj instanceof LevelCounter lc) {
                below.add(lc.fractionBelow());
            }
        }
        return new Accuracy(arm, gamma, epsilon, trainAcc, testAcc, losses, below, (System.nanoTime() - t0) / 1e9);
    }

    /** Flooding that counts the steps whose batch loss was below the level (the steps it ascends). */
    private static final class LevelCounter implements Objective {
        private final Objective flooding;
        private final double level;
        private long steps, below;

        LevelCounter(Objective flooding, double level) {
            this.flooding = flooding;
            this.level = level;
        }

        @Override
        public double gradient(DenseNetwork net, Batch batch, float[] gradient) {
            double l = flooding.gradient(net, batch, gradient);
            steps++;
            below += l < level ? 1 : 0;
            return l;
        }

        double fractionBelow() {
            return steps == 0 ? 0 : (double) below / steps;
        }
    }

    /**
     * Part 1. Every method steps on the same batch; a warm-up round lets C2 compile the kernels; then every round
     * times every method for {@code timingSteps} steps, in an order rotated by one each round so that no method
     * always runs first (or right after the most expensive one).
     */
    private static List<Cost> costs(Config config, List<Integer> widths, Dataset data, SoftmaxCrossEntropy loss) {
        CostModel.Method[] methods = CostModel.Method.values();
        int b = Math.min(config.batch(), data.size());
        Batch batch = Batch.buffer(data, b).gather(data, null, 0, b);
        float g = config.gammas().getLast(), e = config.epsilons().getLast();
        int[] w = widths.stream().mapToInt(Integer::intValue).toArray();
        DenseNetwork[] nets = new DenseNetwork[methods.length];
        Objective[] objs = new Objective[methods.length];
        Sgd[] sgds = new Sgd[methods.length];
        for (int i = 0; i < methods.length; i++) {
            nets[i] = DenseNetwork.builder().widths(w).activation(Activation.RELU).build(config.seed());
            objs[i] = switch (methods[i]) {
                case PLAIN -> new LossGradient(loss, new Mean());
                case FGR -> Regularizer.FGR.objective(loss, new Mean(), g, e, 0, 0);
                case BGR -> Regularizer.BGR.objective(loss, new Mean(), g, e, 0, 0);
                case DB -> new BackpropThroughBackwardGR(loss, g);
                case HVP -> new DoubleBackpropGR(loss, g);
            };
            // A tiny rate: the timing should not depend on where training goes.
            sgds[i] = Sgd.plain(1e-5);
        }
        float[] grad = new float[nets[0].trainableCount()];
        double[][] ms = new double[methods.length][config.timingRounds()];
        for (int round = -1; round < config.timingRounds(); round++) {
            for (int j = 0; j < methods.length; j++) {
                int i = Math.floorMod(j + round, methods.length);
                int steps = round < 0 ? Math.max(30, 3 * config.timingSteps()) : config.timingSteps();
                long t0 = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    objs[i].gradient(nets[i], batch, grad);
                    sgds[i].step(nets[i], grad);
                }
                if (round >= 0) {   // round -1 is the warm-up
                    ms[i][round] = (System.nanoTime() - t0) / 1e6 / steps;
                }
            }
        }
        List<Cost> out = new ArrayList<>();
        int layers = widths.size() - 1;
        for (int i = 0; i < methods.length; i++) {
            out.add(new Cost(widths, methods[i], CostModel.products(methods[i], layers),
                    CostModel.multiplyAdds(methods[i], widths), Arrays.stream(ms[i]).boxed().toList()));
        }
        return out;
    }

    /** Part 3: every setting on the problems of every seed. */
    private static List<Sparsity> diagonal(Config config, Consumer<Row> onRow) {
        DlnConfig c = config.dln();
        DiagonalLinearNetwork[] problems = new DiagonalLinearNetwork[config.seeds()];
        double[][] truths = new double[config.seeds()][c.d()];
        for (int k = 0; k < config.seeds(); k++) {
            problems[k] = DiagonalLinearNetwork.sparseRegression(c.n(), c.d(), c.k(), config.seed() + k, truths[k]);
        }
        List<Sparsity> out = new ArrayList<>();
        for (double scale : c.scales()) {
            List<double[]> settings = new ArrayList<>();   // {method ordinal, γ, ε}
            settings.add(new double[] {DiagonalLinearNetwork.Method.GD.ordinal(), Double.NaN, Double.NaN});
            for (double g : c.gammas()) {
                settings.add(new double[] {DiagonalLinearNetwork.Method.DB.ordinal(), g, Double.NaN});
                for (double e : c.epsilons()) {
                    settings.add(new double[] {DiagonalLinearNetwork.Method.FGR.ordinal(), g, e});
                    settings.add(new double[] {DiagonalLinearNetwork.Method.BGR.ordinal(), g, e});
                }
            }
            for (double[] s : settings) {
                var m = DiagonalLinearNetwork.Method.values()[(int) s[0]];
                List<Double> err = new ArrayList<>(), l1 = new ArrayList<>(), fs = new ArrayList<>(),
                        loss = new ArrayList<>();
                for (int k = 0; k < config.seeds(); k++) {
                    double[] beta = problems[k].train(scale, m, c.lr(), Double.isNaN(s[1]) ? 0 : s[1],
                            Double.isNaN(s[2]) ? 1 : s[2], c.steps());
                    if (beta == null) {
                        err.add(Double.NaN);
                        l1.add(Double.NaN);
                        fs.add(Double.NaN);
                        loss.add(Double.NaN);
                    } else {
                        err.add(distance(beta, truths[k]));
                        l1.add(l1(beta));
                        fs.add((double) falseSupport(beta, truths[k]));
                        loss.add(problems[k].loss(beta));
                    }
                }
                Sparsity row = new Sparsity(scale, m, s[1], s[2], err, l1, fs, loss);
                out.add(row);
                onRow.accept(row);
            }
        }
        return List.copyOf(out);
    }

    static double l1(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Math.abs(x);
        }
        return s;
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    /** Coordinates off the support of β* whose |β_j| exceeds {@link #SUPPORT_THRESHOLD} times the truth's entries. */
    static int falseSupport(double[] beta, double[] star) {
        double min = Double.POSITIVE_INFINITY;
        for (double s : star) {
            if (s != 0) {
                min = Math.min(min, Math.abs(s));
            }
        }
        int count = 0;
        for (int j = 0; j < beta.length; j++) {
            count += star[j] == 0 && Math.abs(beta[j]) > SUPPORT_THRESHOLD * min ? 1 : 0;
        }
        return count;
    }
}
