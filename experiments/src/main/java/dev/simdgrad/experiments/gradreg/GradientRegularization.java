package dev.simdgrad.experiments.gradreg;

import dev.simdgrad.experiments.*;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.data.LabelCorruption;
import dev.simdgrad.nn.metrics.Evaluator;
import dev.simdgrad.nn.optim.Objective;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.optim.Trainer;
import dev.simdgrad.nn.optim.TrainingDivergedException;
import dev.simdgrad.nn.strategy.Mean;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Gradient regularization (Karakida et al. 2023), three parts:
 * <ol>
 *   <li>Cost per training step of plain SGD, F-GR, B-GR, DB, SAM and flooding on a 784-256-10 network at B = 128,
 *       measured in this run and reported as a ratio to plain SGD.</li>
 *   <li>Test accuracy on Fashion-MNIST of each method over a small grid of γ and ε. The paper's claims: F-GR is at
 *       least as good as B-GR and DB, and a larger ε helps F-GR and hurts B-GR.</li>
 *   <li>The diagonal linear network β = u ⊙ u - v ⊙ v on a sparse regression ({@link DiagonalLinearNetwork}): the
 *       ℓ1 norm and the distance to the sparse truth of the solution GD reaches, with and without GR, across
 *       initialization scales. The claim: GR, and F-GR more so, moves the solution toward the sparse one.</li>
 * </ol>
 * Computes a {@link Result}; prints nothing.
 */
public final class GradientRegularization {

    /**
     * What to run.
     *
     * @param data         IDX directory, or null for the embedded subset
     * @param trainSize    training examples for part 2
     * @param hidden       hidden units (784-m-10 ReLU)
     * @param epochs       epochs per run of part 2
     * @param batch        minibatch size of part 2
     * @param lr           SGD learning rate
     * @param gammas       γ values of the grid
     * @param epsilons     ε values of the grid (F-GR and B-GR)
     * @param rho          SAM radius
     * @param flood        flooding level
     * @param timingSteps  measured steps per method and round in part 1
     * @param scales       initialization scales α of the diagonal linear network (u = v = α)
     * @param seed         first seed
     * @param seeds        seeds per training run of part 2 (seed, seed + 1, ...: initialization and batch order);
     *                     the accuracy claims are judged on paired differences across them
     */
    public record Config(Path data, int trainSize, int hidden, int epochs, int batch, double lr, List<Float> gammas,
                  List<Float> epsilons, float rho, double flood, int timingSteps, List<Double> scales, long seed,
                  int seeds) {

        /** The default: the 5,000 embedded images, 30 epochs, a 2 x 2 grid, 5 seeds; about 3.5 minutes on 2 cores. */
        public static Config small(Path data, long seed) {
            return new Config(data, 5000, 256, 30, 100, 0.1, List.of(0.02f, 0.1f), List.of(0.01f, 0.1f), 0.05f,
                    0.1, 30, List.of(0.01, 0.1, 0.5, 1.0), seed, 5);
        }

        /**
         * The whole training set, 512 hidden units, a 4 x 4 grid of γ and ε, six initialization scales, 3 seeds.
         * (Scales stop at 1: at 2 the regularized diagonal network diverges with the step size {@link #DLN_LR}.)
         */
        public static Config full(Path data, long seed) {
            return new Config(data, Integer.MAX_VALUE, 512, 30, 100, 0.1, List.of(0.01f, 0.02f, 0.05f, 0.1f),
                    List.of(0.01f, 0.03f, 0.1f, 0.3f), 0.05f, 0.1, 100, List.of(0.01, 0.03, 0.1, 0.3, 0.5, 1.0),
                    seed, 3);
        }
    }

    /**
     * Part 1: one method's cost.
     *
     * @param method       e.g. "F-GR"
     * @param msPerStep    best-of-rounds milliseconds per step
     * @param ratioToPlain msPerStep / plain SGD's
     */
    /** What {@link #run} reports as it goes: a method's cost, an accuracy setting, or a diagonal linear network row. */
    public sealed interface Row permits Cost, Accuracy, Sparsity {
    }

    public record Cost(String method, double msPerStep, double ratioToPlain) implements Row {
    }

    /**
     * Part 2: one method and setting, trained once per seed.
     *
     * @param method      plain, F-GR, B-GR, DB, SAM or flooding
     * @param gamma       γ (NaN where it does not apply)
     * @param epsilon     ε (NaN where it does not apply)
     * @param trainBySeed final training accuracy of each seed's run, in seed order
     * @param testBySeed  final test accuracy of each seed's run, in seed order (NaN for a seed whose training
     *                    diverged)
     * @param seconds     wall time of all the runs
     */
    public record Accuracy(String method, double gamma, double epsilon, List<Double> trainBySeed, List<Double> testBySeed,
                    double seconds) implements Row {

        /** Mean training accuracy over the seeds. */
        public double trainAccuracy() {
            return trainBySeed.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        /** Mean test accuracy over the seeds. */
        public double testAccuracy() {
            return testBySeed.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        /** Sample standard deviation of the test accuracy over the seeds (NaN for one seed). */
        public double testSpread() {
            int k = testBySeed.size();
            double m = testAccuracy(), ss = 0;
            for (double a : testBySeed) {
                ss += (a - m) * (a - m);
            }
            return k < 2 ? Double.NaN : Math.sqrt(ss / (k - 1));
        }
    }

    /**
     * Part 3: one diagonal-linear-network solution.
     *
     * @param scale     α
     * @param method    GD, GR-DB or F-GR
     * @param l1        ‖β_T‖₁ (the sparse truth has ‖β*‖₁ = k)
     * @param error     ‖β_T - β*‖₂
     * @param support   fraction of the k largest |β_T| entries that lie in the true support
     * @param loss      final training loss
     */
    public record Sparsity(double scale, String method, double l1, double error, double support, double loss) implements Row {
    }

    /**
     * The outcome.
     *
     * @param config   what ran
     * @param source   data description
     * @param costs    part 1
     * @param accuracy part 2
     * @param sparsity part 3
     * @param trueL1   ‖β*‖₁
     * @param claims   the paper's claims against our measurements
     */
    public record Result(Config config, String source, List<Cost> costs, List<Accuracy> accuracy, List<Sparsity> sparsity,
                  double trueL1, List<Claim> claims) {
    }

    /** Diagonal linear network problem: n examples, d coordinates, k-sparse truth. */
    public static final int DLN_N = 40, DLN_D = 100, DLN_K = 5;
    /** Its GD step size, γ and ε (F-GR): chosen so every initialization scale converges in the step budget. */
    public static final double DLN_LR = 0.01, DLN_GAMMA = 0.05, DLN_EPSILON = 0.05;
    public static final int DLN_STEPS = 100_000;

    private GradientRegularization() {
    }

    /** Progress units: training steps of part 2 (parts 1 and 3 are short). */
    public static long work(Config c, int n) {
        int runs = 3 + c.gammas().size() * (2 * c.epsilons().size() + 1);
        return (long) runs * c.seeds() * c.epochs() * (n / c.batch());
    }

    /**
     * Runs the three parts; {@code onRow} sees each {@link Cost}, {@link Accuracy} and {@link Sparsity} row as it
     * is measured.
     *
     * @throws IOException if the data cannot be loaded
     */
    public static Result run(Config config, ProgressSink progress, Consumer<Row> onRow) throws IOException {
        FashionMnist.Split split = DataSource.load(config.data(), config.trainSize(), Integer.MAX_VALUE);
        int n = split.train().size() / config.batch() * config.batch();
        Dataset train = split.train().head(n);
        NetSpec spec = NetSpec.standard(train.features(), config.hidden(), FashionMnist.CLASSES, Activation.RELU);
        var loss = new SoftmaxCrossEntropy();

        List<Cost> costs = costs(config, spec, split.train(), loss);
        costs.forEach(onRow);

        List<Accuracy> acc = new ArrayList<>();
        Evaluator ev = new Evaluator(loss, 1000);
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"plain", "NaN", "NaN"});
        for (float g : config.gammas()) {
            for (float e : config.epsilons()) {
                runs.add(new String[] {"F-GR", Float.toString(g), Float.toString(e)});
                runs.add(new String[] {"B-GR", Float.toString(g), Float.toString(e)});
            }
            runs.add(new String[] {"DB", Float.toString(g), "NaN"});
        }
        runs.add(new String[] {"SAM", "NaN", "NaN"});
        runs.add(new String[] {"flooding", "NaN", "NaN"});
        LabelCorruption clean = LabelCorruption.apply(train, 0, config.seed());
        for (String[] r : runs) {
            float g = Float.parseFloat(r[1]), e = Float.parseFloat(r[2]);
            progress.note(r[0] + (Float.isNaN(g) ? "" : " γ=" + g) + (Float.isNaN(e) ? "" : " ε=" + e));
            long t0 = System.nanoTime();
            List<Double> trainAcc = new ArrayList<>(), testAcc = new ArrayList<>();
            for (int k = 0; k < config.seeds(); k++) {
                // Seed k gives every method the same initialization and batch order: the differences between
                // methods are paired, which is what makes a few seeds enough to see an effect of a few images.
                long seed = config.seed() + k;
                TwoLayerNet net = TwoLayerNet.initialize(spec, seed);
                Objective obj = regularizer(r[0]).objective(loss, new Mean(), Float.isNaN(g) ? 0 : g,
                        Float.isNaN(e) ? 1 : e, config.rho(), config.flood());
                Trainer trainer = new Trainer(net, obj, Sgd.plain(config.lr()), config.batch(), seed);
                try {
                    for (int ep = 0; ep < config.epochs(); ep++) {
                        trainer.epoch(clean.data());
                        progress.step(n / config.batch());
                    }
                    trainAcc.add(ev.evaluate(net, train).accuracy());
                    testAcc.add(ev.evaluate(net, split.test()).accuracy());
                } catch (TrainingDivergedException d) {
                    // A diverged seed has no accuracy: NaN, printed as "diverged", and every claim that needs it is
                    // not judged (Claim.ofPairedDifferences).
                    trainAcc.add(Double.NaN);
                    testAcc.add(Double.NaN);
                }
            }
            Accuracy a = new Accuracy(r[0], g, e, List.copyOf(trainAcc), List.copyOf(testAcc),
                    (System.nanoTime() - t0) / 1e9);
            acc.add(a);
            onRow.accept(a);
        }

        double[] betaStar = new double[DLN_D];
        DiagonalLinearNetwork dln = DiagonalLinearNetwork.sparseRegression(DLN_N, DLN_D, DLN_K, config.seed(),
                betaStar);
        List<Sparsity> sparsity = new ArrayList<>();
        for (double scale : config.scales()) {
            for (var m : DiagonalLinearNetwork.Method.values()) {
                double[] beta = dln.train(scale, m, DLN_LR, DLN_GAMMA, DLN_EPSILON, DLN_STEPS);
                Sparsity s = new Sparsity(scale, switch (m) {
                    case GD -> "GD";
                    case DB -> "GR (DB, exact)";
                    case FGR -> "F-GR";
                }, l1(beta), distance(beta, betaStar), support(beta, betaStar), dln.loss(beta));
                sparsity.add(s);
                onRow.accept(s);
            }
        }
        String source = split.source() + ", first " + n + " train / " + split.test().size() + " test";
        return new Result(config, source, costs, acc, sparsity, l1(betaStar), claims(costs, acc, sparsity,
                config));
    }

    private static Regularizer regularizer(String method) {
        return switch (method) {
            case "plain" -> Regularizer.NONE;
            case "F-GR" -> Regularizer.FGR;
            case "B-GR" -> Regularizer.BGR;
            case "DB" -> Regularizer.DB;
            case "SAM" -> Regularizer.SAM;
            case "flooding" -> Regularizer.FLOODING;
            default -> throw new IllegalArgumentException(method);
        };
    }

    /**
     * Part 1: every method steps on the same batch of 128 examples, after a warm-up that lets C2 compile the
     * kernels; rounds interleave the methods so a burst of load on a shared machine hits all of them, and the
     * best round counts (the least disturbed one).
     */
    private static List<Cost> costs(Config config, NetSpec spec, Dataset data, SoftmaxCrossEntropy loss) {
        String[] methods = {"plain", "F-GR", "B-GR", "DB", "SAM", "flooding"};
        int b = Math.min(128, data.size());
        Batch batch = Batch.buffer(data, b).gather(data, null, 0, b);
        TwoLayerNet[] nets = new TwoLayerNet[methods.length];
        Objective[] objs = new Objective[methods.length];
        Sgd[] sgds = new Sgd[methods.length];
        float g = config.gammas().getFirst(), e = config.epsilons().getFirst();
        for (int i = 0; i < methods.length; i++) {
            nets[i] = TwoLayerNet.initialize(spec, config.seed());
            objs[i] = regularizer(methods[i]).objective(loss, new Mean(), g, e, config.rho(), config.flood());
            // A tiny rate: the timing should not depend on where training goes.
            sgds[i] = Sgd.plain(1e-4);
        }
        float[] grad = new float[nets[0].trainableCount()];
        double[] best = new double[methods.length];
        java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < methods.length; i++) {
                int steps = round == 0 ? Math.max(20, config.timingSteps()) : config.timingSteps();
                long t0 = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    objs[i].gradient(nets[i], batch, grad);
                    sgds[i].step(nets[i], grad);
                }
                if (round > 0) {   // round 0 is the warm-up
                    best[i] = Math.min(best[i], (System.nanoTime() - t0) / 1e6 / steps);
                }
            }
        }
        List<Cost> out = new ArrayList<>();
        for (int i = 0; i < methods.length; i++) {
            out.add(new Cost(methods[i], best[i], best[i] / best[0]));
        }
        return out;
    }

    /** The paper's claims, judged on the measured rows. */
    public static List<Claim> claims(List<Cost> costs, List<Accuracy> acc, List<Sparsity> sparsity, Config config) {
        List<Claim> claims = new ArrayList<>();
        double fgrCost = cost(costs, "F-GR"), dbCost = cost(costs, "DB");
        claims.add(Claim.judged("F-GR costs less per step than DB (double backprop)", String.format(Locale.ROOT,
                "F-GR %.2fx plain, B-GR %.2fx, DB %.2fx", fgrCost, cost(costs, "B-GR"), dbCost), fgrCost < dbCost));
        // Test-accuracy claims: per seed, the claimed-better arm minus the other, averaged over the grid at matched
        // γ (and ε); the seeds are independent, so their spread is the noise the verdict is judged against.
        int seeds = config.seeds();
        double[] vsB = new double[seeds], vsDb = new double[seeds];
        for (int k = 0; k < seeds; k++) {
            int pairs = 0;
            for (float g : config.gammas()) {
                for (float e : config.epsilons()) {
                    vsB[k] += at(acc, "F-GR", g, e, k) - at(acc, "B-GR", g, e, k);
                    vsDb[k] += at(acc, "F-GR", g, e, k) - at(acc, "DB", g, Float.NaN, k);
                    pairs++;
                }
            }
            vsB[k] /= pairs;
            vsDb[k] /= pairs;
        }
        claims.add(Claim.ofPairedDifferences("F-GR reaches a test accuracy at least as good as B-GR", String.format(
                Locale.ROOT, "mean test acc over the grid: F-GR %.4f, B-GR %.4f (plain %.4f)", mean(acc, "F-GR"),
                mean(acc, "B-GR"), mean(acc, "plain")), vsB));
        claims.add(Claim.ofPairedDifferences("F-GR reaches a test accuracy at least as good as DB", String.format(
                Locale.ROOT, "mean test acc over the grid: F-GR %.4f, DB %.4f", mean(acc, "F-GR"), mean(acc, "DB")),
                vsDb));
        if (config.epsilons().size() >= 2) {
            float small = config.epsilons().getFirst(), large = config.epsilons().getLast();
            double[] helps = new double[seeds], hurts = new double[seeds];
            for (int k = 0; k < seeds; k++) {
                for (float g : config.gammas()) {
                    helps[k] += (at(acc, "F-GR", g, large, k) - at(acc, "F-GR", g, small, k)) / config.gammas().size();
                    hurts[k] += (at(acc, "B-GR", g, small, k) - at(acc, "B-GR", g, large, k)) / config.gammas().size();
                }
            }
            claims.add(Claim.ofPairedDifferences("a larger ε helps F-GR", String.format(Locale.ROOT,
                    "F-GR test acc at ε %s vs %s: %.4f vs %.4f", large, small, meanAt(acc, "F-GR", large),
                    meanAt(acc, "F-GR", small)), helps));
            claims.add(Claim.ofPairedDifferences("a larger ε hurts B-GR", String.format(Locale.ROOT,
                    "B-GR test acc at ε %s vs %s: %.4f vs %.4f", large, small, meanAt(acc, "B-GR", large),
                    meanAt(acc, "B-GR", small)), hurts));
        }
        StringBuilder m = new StringBuilder();
        boolean sparser = true, fgrMore = true;
        for (double s : config.scales()) {
            Sparsity gd = find(sparsity, s, "GD"), dbS = find(sparsity, s, "GR (DB, exact)"),
                    f = find(sparsity, s, "F-GR");
            m.append(String.format(Locale.ROOT, "α=%s: %.2f / %.2f / %.2f; ", s, gd.l1(), dbS.l1(), f.l1()));
            sparser &= dbS.l1() <= gd.l1() + 1e-3 && f.l1() <= gd.l1() + 1e-3;
            fgrMore &= f.l1() <= dbS.l1() + 1e-3;
        }
        claims.add(Claim.judged("diagonal linear net: GR moves the solution toward the sparse one (smaller l1)",
                "l1 GD / GR / F-GR: " + m.toString().strip(), sparser));
        claims.add(Claim.judged("diagonal linear net: F-GR more so than exact GR", "same numbers", fgrMore));
        return claims;
    }

    private static double cost(List<Cost> costs, String method) {
        return costs.stream().filter(c -> c.method().equals(method)).findFirst().map(Cost::ratioToPlain)
                .orElse(Double.NaN);
    }

    /** Mean test accuracy of a method over its settings and seeds. */
    private static double mean(List<Accuracy> acc, String method) {
        return acc.stream().filter(a -> a.method().equals(method)).mapToDouble(Accuracy::testAccuracy).average()
                .orElse(Double.NaN);
    }

    /** Mean test accuracy of a method at one ε, over γ and seeds. */
    private static double meanAt(List<Accuracy> acc, String method, float epsilon) {
        return acc.stream().filter(a -> a.method().equals(method) && (float) a.epsilon() == epsilon)
                .mapToDouble(Accuracy::testAccuracy).average().orElse(Double.NaN);
    }

    /** Test accuracy of seed {@code k}'s run of a method at (γ, ε); ε NaN for DB, which has none. */
    private static double at(List<Accuracy> acc, String method, float gamma, float epsilon, int k) {
        return acc.stream().filter(a -> a.method().equals(method) && (float) a.gamma() == gamma
                && (Float.isNaN(epsilon) ? Double.isNaN(a.epsilon()) : (float) a.epsilon() == epsilon))
                .mapToDouble(a -> a.testBySeed().get(k)).findFirst().orElse(Double.NaN);
    }

    private static Sparsity find(List<Sparsity> s, double scale, String method) {
        return s.stream().filter(x -> x.scale() == scale && x.method().equals(method)).findFirst().orElseThrow();
    }

    private static double l1(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Math.abs(x);
        }
        return s;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    /** Fraction of the k largest |β| entries that are in the support of β*. */
    private static double support(double[] beta, double[] star) {
        int k = 0;
        for (double s : star) {
            k += s != 0 ? 1 : 0;
        }
        Integer[] idx = new Integer[beta.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(Math.abs(beta[b]), Math.abs(beta[a])));
        int hit = 0;
        for (int i = 0; i < k; i++) {
            hit += star[idx[i]] != 0 ? 1 : 0;
        }
        return k == 0 ? Double.NaN : (double) hit / k;
    }
}
