package dev.simdgrad.benchmarks;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.kernels.Simd;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.optim.BackpropThroughBackwardGR;
import dev.simdgrad.nn.optim.BackwardDifferenceGR;
import dev.simdgrad.nn.optim.DoubleBackpropGR;
import dev.simdgrad.nn.optim.Flooding;
import dev.simdgrad.nn.optim.ForwardDifferenceGR;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Objective;
import dev.simdgrad.nn.optim.Sam;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.strategy.ClipNorm;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.Median;
import dev.simdgrad.nn.strategy.MedianOfMeans;
import dev.simdgrad.nn.strategy.RM3;
import dev.simdgrad.nn.strategy.Trim;
import dev.simdgrad.nn.strategy.Winsorize;
import dev.simdgrad.verify.ReferenceAggregate;
import dev.simdgrad.verify.ReferenceDenseNetwork;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full training step of a dense ReLU network: forward, softmax cross-entropy, backward, the gradient strategy or
 * regularizer, and a plain SGD step, at B = 128. Shapes ({@code -p shape=...}, the widths, so also the depth): any
 * {@code 784-...-10} with at least one hidden layer, by default {@code 784-256-10} and {@code 784-1024-10} (two
 * layers), and for depth {@code 784-512-512-10} (three) and {@code 784-1024-1024-1024-10} (four); He initialization,
 * biases everywhere, built with {@link DenseNetwork#builder()} (the two-layer shapes are bit for bit the
 * {@code TwoLayerNet} of the same seed).
 *
 * <p>Objectives ({@code -p objective=...}): the strategies {@code mean}, {@code clip} (ClipNorm(1)),
 * {@code winsorize4}, {@code trim4}, {@code median}, {@code mom8} (MedianOfMeans(8)), {@code rm3}; the regularizers
 * over the mean loss {@code fgr}, {@code bgr} (γ = ε = 0.01), {@code db} (γ = 0.01, Hessian-vector product
 * forward-over-reverse), {@code sam} (ρ = 0.05), {@code flooding} (b = 0.1), and, with -p only,
 * {@code doublebackprop} (γ = 0.01, true double backpropagation, reverse-over-reverse), and {@code products}: only
 * the plain step's 3L - 1 weight products, by {@code Sgemm} on the same shapes (per layer the forward
 * {@code Z = A W^T}, NT; the gradient {@code D^T A}, TN; below the first layer the delta {@code D W}, NN), plus the
 * same SGD step: the SGEMM rate of the step's own shapes, measured in the same run, so
 * {@code products / mean} is the share of that rate the plain step's products reach. Report: ms per step
 * (average time); the targets are relative to {@code mean}.
 *
 * <p>{@code @Setup} refuses to measure unless (1) on the same batch with hidden layers narrowed to 32 units (784-32-10,
 * 784-32-32-10, ..., where the double reference can hold the B x P per-example gradients), the objective's gradient
 * matches the definition computed in double from {@link ReferenceDenseNetwork}'s per-example gradients, in relative
 * ℓ2 error, and (2) on the benchmarked shape, ten steps keep the loss finite and lower it.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar TrainStepBenchmark
 * -f 1 -wi 3 -i 5 -p shape=784-256-10,784-512-512-10,784-1024-1024-1024-10
 * -p objective=mean,clip,winsorize4,median,fgr,db,doublebackprop -p threads=1,2}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TrainStepBenchmark {
    /** Input size, output size and batch size: fixed; the shape parameter sets the hidden layers. */
    public static final int INPUTS = 784, CLASSES = 10, BATCH = 128;
    static final float LEARNING_RATE = 0.01f;

    /** The network, its batch, objective and optimizer. */
    @State(Scope.Benchmark)
    public static class Step {
        // The default lists are those the command line's train-step suite plans and tabulates (two-layer shapes);
        // the deeper shapes and doublebackprop are measured with -p (see the class comment).
        @Param({"784-256-10", "784-1024-10"})
        public String shape;
        @Param({"mean", "clip", "winsorize4", "trim4", "median", "mom8", "rm3", "fgr", "bgr", "db", "sam",
                "flooding"})
        public String objective;
        @Param({"1", "2"})
        public int threads;

        DenseNetwork net;
        Batch batch;
        Objective step;
        Sgd sgd;
        float[] gradient;

        @Setup(Level.Trial)
        public void setUp() {
            Parallelism.setThreads(threads);
            System.out.println("# simdgrad: " + Simd.describe() + ", threads " + threads);
            int[] widths = widths(shape);
            batch = teacherBatch(17);
            Loss loss = new SoftmaxCrossEntropy();
            int[] narrow = widths.clone();
            for (int l = 1; l < narrow.length - 1; l++) {
                narrow[l] = 32;
            }
            net = network(widths, 1);
            gradient = new float[net.trainableCount()];
            sgd = Sgd.plain(LEARNING_RATE);
            if (objective.equals("products")) {
                step = new ProductsOnly(widths);
                return;
            }
            checkAgainstReference(objective, loss, batch, narrow);
            step = objective(objective, loss);
            double first = step.gradient(net, batch, gradient), last = first;
            for (int i = 0; i < 10; i++) {
                last = step.gradient(net, batch, gradient);
                sgd.step(net, gradient);
            }
            if (!Double.isFinite(last) || !(last < first)) {
                throw new IllegalStateException(objective + " on " + shape + ": loss " + first + " -> " + last
                        + " over ten steps; refusing to measure");
            }
        }
    }

    @Benchmark
    public double trainStep(Step s) {
        double loss = s.step.gradient(s.net, s.batch, s.gradient);
        s.sgd.step(s.net, s.gradient);
        return loss;
    }

    /** The plain step's weight products alone (see the class comment); the gradient it writes is zero. */
    static final class ProductsOnly implements Objective {
        private final int[] w;
        private final float[][] a, z, d, weights, grads;

        ProductsOnly(int[] widths) {
            w = widths;
            int layers = w.length - 1;
            a = new float[layers][];
            z = new float[layers][];
            d = new float[layers][];
            weights = new float[layers][];
            grads = new float[layers][];
            SplittableRandom r = new SplittableRandom(3);
            for (int l = 0; l < layers; l++) {
                a[l] = fill(new float[BATCH * w[l]], r);
                z[l] = new float[BATCH * w[l + 1]];
                d[l] = fill(new float[BATCH * w[l + 1]], r);
                weights[l] = fill(new float[w[l + 1] * w[l]], r);
                grads[l] = new float[w[l + 1] * w[l]];
            }
        }

        private static float[] fill(float[] x, SplittableRandom r) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextDouble() - 0.5);
            }
            return x;
        }

        @Override
        public double gradient(DenseNetwork net, Batch batch, float[] gradient) {
            int layers = w.length - 1;
            for (int l = 0; l < layers; l++) {
                int in = w[l], out = w[l + 1];
                Sgemm.sgemm(false, true, BATCH, out, in, 1f, a[l], 0, in, weights[l], 0, in, 0f, z[l], 0, out);
            }
            for (int l = layers - 1; l >= 0; l--) {
                int in = w[l], out = w[l + 1];
                Sgemm.sgemm(true, false, out, in, BATCH, 1f, d[l], 0, out, a[l], 0, in, 0f, grads[l], 0, in);
                if (l > 0) {
                    Sgemm.sgemm(false, false, BATCH, in, out, 1f, d[l], 0, out, weights[l], 0, in, 0f, a[l], 0, in);
                }
            }
            java.util.Arrays.fill(gradient, 0f);
            return 0;
        }
    }

    /** The widths of a shape such as {@code 784-512-512-10}: input 784, output 10, at least one hidden layer. */
    static int[] widths(String shape) {
        int[] w = Arrays.stream(shape.split("-")).mapToInt(Integer::parseInt).toArray();
        if (w.length < 3 || w[0] != INPUTS || w[w.length - 1] != CLASSES) {
            throw new IllegalArgumentException("shape " + shape + ": expected " + INPUTS + "-...-" + CLASSES);
        }
        return w;
    }

    static DenseNetwork network(int[] widths, long seed) {
        return DenseNetwork.builder().widths(widths).activation(Activation.RELU).build(seed);
    }

    static Objective objective(String name, Loss loss) {
        return switch (name) {
            case "fgr" -> new ForwardDifferenceGR(new LossGradient(loss, new Mean()), 0.01f, 0.01f);
            case "bgr" -> new BackwardDifferenceGR(new LossGradient(loss, new Mean()), 0.01f, 0.01f);
            case "db" -> new DoubleBackpropGR(loss, 0.01f);
            case "doublebackprop" -> new BackpropThroughBackwardGR(loss, 0.01f);
            case "sam" -> new Sam(new LossGradient(loss, new Mean()), 0.05f);
            case "flooding" -> new Flooding(new LossGradient(loss, new Mean()), 0.1);
            default -> new LossGradient(loss, strategy(name));
        };
    }

    static GradientStrategy strategy(String name) {
        return switch (name) {
            case "mean" -> new Mean();
            case "clip" -> new ClipNorm(1f);
            case "winsorize4" -> new Winsorize(4);
            case "trim4" -> new Trim(4);
            case "median" -> new Median();
            case "mom8" -> new MedianOfMeans(8);
            case "rm3" -> new RM3();
            default -> throw new IllegalArgumentException("unknown objective " + name);
        };
    }

    /** B inputs N(0, 1/784·4) labelled by a random linear teacher (argmax), so the gradients are coherent. */
    static Batch teacherBatch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[BATCH * INPUTS], teacher = new float[CLASSES * INPUTS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextGaussian() / Math.sqrt(INPUTS));
        }
        for (int i = 0; i < teacher.length; i++) {
            teacher[i] = (float) r.nextGaussian();
        }
        int[] y = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                double z = 0;
                for (int j = 0; j < INPUTS; j++) {
                    z += teacher[c * INPUTS + j] * x[i * INPUTS + j];
                }
                if (z > best) {
                    best = z;
                    y[i] = c;
                }
            }
        }
        return Batch.of(Dataset.classification(BATCH, INPUTS, x, y, CLASSES));
    }

    /**
     * The objective's gradient on the narrowed network against its definition in double, relative ℓ2 error at most
     * 1e-4 for the strategies (float rounding; an order statistic may pick another example only between nearly tied
     * values) and 1e-3 for the regularizers (their second gradient is taken at a point that depends on the first, and with ReLU a
     * unit that flips between the float and the double point changes it by more than rounding).
     */
    static void checkAgainstReference(String name, Loss loss, Batch batch, int[] widths) {
        DenseNetwork small = network(widths, 3);
        float[] got = new float[small.trainableCount()];
        objective(name, loss).gradient(small, batch, got);
        ReferenceDenseNetwork ref = new ReferenceDenseNetwork(small);
        ReferenceDenseNetwork.Pass pass = ref.pass(loss, batch, false);
        double[] g = pass.meanGradient;
        double[][] pe = pass.perExample;
        double[] expected = switch (name) {
            case "mean", "rm3" -> g;   // RM3's first step is its first minibatch gradient
            case "clip" -> clipped(pe, 1.0);
            case "winsorize4" -> coordinatewise(pe, v -> winsorizedMean(v, 4));
            case "trim4" -> coordinatewise(pe, v -> trimmedMean(v, 4));
            case "median" -> coordinatewise(pe, ReferenceAggregate::median);
            case "mom8" -> coordinatewise(pe, v -> medianOfMeans(v, 8));
            case "fgr" -> difference(ref, loss, batch, g, 0.01, 0.01);
            case "bgr" -> difference(ref, loss, batch, g, 0.01, -0.01);
            case "db", "doublebackprop" -> {
                double[] hg = ref.hessianVectorProductByDifferences(loss, batch, g, 1e-5);
                double[] out = g.clone();
                for (int p = 0; p < out.length; p++) {
                    out[p] += 0.01 * hg[p];
                }
                yield out;
            }
            case "sam" -> ref.shifted(g, 0.05 / norm(g)).gradient(loss, batch);
            case "flooding" -> pass.loss < 0.1 ? scaled(g, -1) : g;
            default -> throw new IllegalArgumentException(name);
        };
        double diff = 0;
        for (int p = 0; p < got.length; p++) {
            diff += (got[p] - expected[p]) * (got[p] - expected[p]);
        }
        double rel = Math.sqrt(diff) / norm(expected);
        double tolerance = name.matches("fgr|bgr|db|doublebackprop|sam") ? 1e-3 : 1e-4;
        if (!(rel <= tolerance)) {
            throw new IllegalStateException(name + ": relative l2 error " + rel + " against the double reference"
                    + " exceeds " + tolerance + "; refusing to measure");
        }
        System.out.printf("# %s: relative l2 error %.2e against the double reference (tolerance %.0e)%n", name, rel,
                tolerance);
    }

    interface Rule {
        double apply(double[] values);
    }

    static double[] coordinatewise(double[][] pe, Rule rule) {
        int b = pe.length, n = pe[0].length;
        double[] out = new double[n], v = new double[b];
        for (int p = 0; p < n; p++) {
            for (int i = 0; i < b; i++) {
                v[i] = pe[i][p];
            }
            out[p] = rule.apply(v);
        }
        return out;
    }

    static double winsorizedMean(double[] values, int c) {
        double[] v = values.clone();
        Arrays.sort(v);
        int b = v.length;
        double s = 0;
        for (int i = 0; i < b; i++) {
            s += v[Math.min(Math.max(i, c), b - 1 - c)];
        }
        return s / b;
    }

    static double trimmedMean(double[] values, int c) {
        double[] v = values.clone();
        Arrays.sort(v);
        double s = 0;
        for (int i = c; i < v.length - c; i++) {
            s += v[i];
        }
        return s / (v.length - 2 * c);
    }

    static double medianOfMeans(double[] v, int groups) {
        double[] means = new double[groups];
        for (int k = 0; k < groups; k++) {
            int from = ReferenceAggregate.groupStart(k, v.length, groups);
            int to = ReferenceAggregate.groupStart(k + 1, v.length, groups);
            for (int i = from; i < to; i++) {
                means[k] += v[i] / (to - from);
            }
        }
        return ReferenceAggregate.median(means);
    }

    static double[] clipped(double[][] pe, double clip) {
        int b = pe.length, n = pe[0].length;
        double[] out = new double[n];
        for (double[] gi : pe) {
            double norm = norm(gi), s = (norm == 0 ? 1 : Math.min(1, clip / norm)) / b;
            for (int p = 0; p < n; p++) {
                out[p] += s * gi[p];
            }
        }
        return out;
    }

    /** (1 - γ/t) g + (γ/t) ∇L(θ + t g): F-GR with t = ε, B-GR with t = -ε. */
    static double[] difference(ReferenceDenseNetwork ref, Loss loss, Batch batch, double[] g, double gamma, double t) {
        double[] shifted = ref.shifted(g, t).gradient(loss, batch);
        double[] out = new double[g.length];
        for (int p = 0; p < g.length; p++) {
            out[p] = (1 - gamma / t) * g[p] + gamma / t * shifted[p];
        }
        return out;
    }

    static double[] scaled(double[] v, double a) {
        double[] out = v.clone();
        for (int p = 0; p < out.length; p++) {
            out[p] *= a;
        }
        return out;
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
