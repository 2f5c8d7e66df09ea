package dev.simdgrad.benchmarks;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.PerExample;
import dev.simdgrad.kernels.Simd;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.DenseLayerBatch;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.PerExampleDeltas;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Objective;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.strategy.GeometricMedian;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Krum;
import dev.simdgrad.nn.strategy.Mean;
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
 * The whole-gradient robust rules of issue 12, Krum and the geometric median, two ways (one JMH run prints them
 * side by side):
 * <ul>
 *   <li>{@link #trainStep}: one training step of 784-256-10 (ReLU, B = 128, softmax cross-entropy, plain SGD) with
 *   the strategy {@code mean} (the plain step), {@code krum} (Krum(8), fused: Gram matrix from (Δ, X)),
 *   {@code geomed} (GeometricMedian with exactly 10 Weiszfeld iterations, fused), and the same two rules through
 *   materialize + explicit ({@code krum-explicit}, {@code geomed-explicit}: the B x P per-example gradients written
 *   by {@code PerExample.gradients}, then {@code Aggregate.krum} / {@code geometricMedian}). The target: fused
 *   &lt;= 1.8x {@code mean} at 1 thread.</li>
 *   <li>{@link #explicitKrum}, {@link #explicitGeometricMedian}: the explicit rules over a 32 x 4,000,000 matrix
 *   (512 MB), Krum(4) and 10 Weiszfeld iterations. Read bandwidth counting two passes:
 *   {@code GB/s = 2 * 4 B * 32 * 4e6 / time = 1.024 GB / (s/op)}; the target is &gt;= 70 % of the single-core read
 *   bandwidth, measured in the same run by {@link #readMatrix} (one pass of {@link ReadBandwidth}'s kernel over
 *   the same matrix): the fraction is {@code 2 * readMatrix / explicitKrum}. {@code -p matrixThreads=1,2} also
 *   measures the rules on two threads (the read stays on one).</li>
 * </ul>
 *
 * <p>{@code @Setup} refuses to measure unless the fused and the materialized versions agree on the benchmarked
 * batch: Krum bitwise (the same example), the geometric median's objective {@code sum_i ||z - g_i||} within
 * (1 + 1e-4) of each other; and unless ten steps keep the loss finite.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar RobustBenchmark
 * -f 1 -wi 3 -i 5 -p threads=1}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx3g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RobustBenchmark {
    static final int HIDDEN = 256, KRUM_F = 8, GEOMED_ITERATIONS = 10;
    static final double NU = 1e-6;

    /** The network, its batch and the step's objective. */
    @State(Scope.Benchmark)
    public static class Step {
        @Param({"mean", "krum", "geomed", "krum-explicit", "geomed-explicit"})
        public String objective;
        @Param({"1"})
        public int threads;

        TwoLayerNet net;
        Batch batch;
        Objective step;
        Sgd sgd;
        float[] gradient;

        @Setup(Level.Trial)
        public void setUp() {
            Parallelism.setThreads(threads);
            System.out.println("# simdgrad: " + Simd.describe() + ", threads " + threads);
            batch = TrainStepBenchmark.teacherBatch(17);
            Loss loss = new SoftmaxCrossEntropy();
            net = TwoLayerNet.initialize(NetSpec.standard(TrainStepBenchmark.INPUTS, HIDDEN,
                    TrainStepBenchmark.CLASSES, Activation.RELU), 1);
            checkFusedAgainstExplicit(net, batch, loss);
            step = new LossGradient(loss, strategy(objective));
            sgd = Sgd.plain(TrainStepBenchmark.LEARNING_RATE);
            gradient = new float[net.trainableCount()];
            for (int i = 0; i < 10; i++) {
                double l = step.gradient(net, batch, gradient);
                sgd.step(net, gradient);
                if (!Double.isFinite(l)) {
                    throw new IllegalStateException(objective + ": loss " + l + "; refusing to measure");
                }
            }
        }
    }

    /** A 32 x 4,000,000 matrix of Gaussian rows around a common center, a few of them far off. */
    @State(Scope.Benchmark)
    public static class Matrix {
        static final int ROWS = 32, COLS = 4_000_000;
        /** Threads of the explicit rules (the distance and output passes); {@link #readMatrix} is always one. */
        @Param({"1"})
        public int matrixThreads;
        float[] g, out;

        @Setup(Level.Trial)
        public void setUp() {
            Parallelism.setThreads(matrixThreads);
            g = new float[ROWS * COLS];
            out = new float[COLS];
            SplittableRandom r = new SplittableRandom(5);
            for (int i = 0; i < ROWS; i++) {
                float shift = i < 3 ? 50f : 0f; // three outliers
                for (int j = 0; j < COLS; j++) {
                    g[i * COLS + j] = shift + (float) r.nextGaussian();
                }
            }
            int k = Aggregate.krum(g, 0, ROWS, COLS, COLS, 4, out, 0);
            if (k < 3) {
                throw new IllegalStateException("Krum selected outlier row " + k + "; refusing to measure");
            }
        }
    }

    @Benchmark
    public double trainStep(Step s) {
        double loss = s.step.gradient(s.net, s.batch, s.gradient);
        s.sgd.step(s.net, s.gradient);
        return loss;
    }

    /** One read of the 32 x 4,000,000 matrix: the single-core read bandwidth of this run, for the ratio. */
    @Benchmark
    public float readMatrix(Matrix m) {
        return ReadBandwidth.kernel(m.g, m.g.length);
    }

    @Benchmark
    public int explicitKrum(Matrix m) {
        return Aggregate.krum(m.g, 0, Matrix.ROWS, Matrix.COLS, Matrix.COLS, 4, m.out, 0);
    }

    @Benchmark
    public int explicitGeometricMedian(Matrix m) {
        return Aggregate.geometricMedian(m.g, 0, Matrix.ROWS, Matrix.COLS, Matrix.COLS, NU, GEOMED_ITERATIONS, 0.0,
                m.out, 0);
    }

    static GradientStrategy strategy(String name) {
        return switch (name) {
            case "mean" -> new Mean();
            case "krum" -> new Krum(KRUM_F);
            case "geomed" -> new GeometricMedian(NU, GEOMED_ITERATIONS, 0.0);
            case "krum-explicit" -> new Materialized(true);
            case "geomed-explicit" -> new Materialized(false);
            default -> throw new IllegalArgumentException("unknown objective " + name);
        };
    }

    /** Materialize + explicit: the B x n per-example gradients in the flat layout, then the explicit rule. */
    static final class Materialized implements GradientStrategy {
        final boolean krum;
        float[] g = new float[0], layer = new float[0];

        Materialized(boolean krum) {
            this.krum = krum;
        }

        @Override
        public void aggregate(PerExampleDeltas deltas, float[] gradient) {
            int b = deltas.batchSize(), n = deltas.gradientLength();
            if (g.length < b * n) {
                g = new float[b * n];
            }
            for (int l = 0; l < deltas.layerCount(); l++) {
                DenseLayerBatch y = deltas.layer(l);
                int w = y.out() * y.in();
                // weights straight into place (row i of g at i*n + weightOffset), the bias through a small buffer
                PerExample.gradients(b, y.out(), y.in(), y.delta(), 0, y.deltaStride(), y.input(), y.inputOffset(),
                        y.inputStride(), false, 0, w, g, y.weightOffset(), n);
                if (y.hasBias()) {
                    for (int i = 0; i < b; i++) {
                        System.arraycopy(y.delta(), i * y.deltaStride(), g, i * n + y.biasOffset(), y.out());
                    }
                }
            }
            if (krum) {
                Aggregate.krum(g, 0, b, n, n, KRUM_F, gradient, 0);
            } else {
                Aggregate.geometricMedian(g, 0, b, n, n, NU, GEOMED_ITERATIONS, 0.0, gradient, 0);
            }
        }
    }

    /** Refuses to measure unless fused and materialized agree (see the class comment). */
    static void checkFusedAgainstExplicit(TwoLayerNet net, Batch batch, Loss loss) {
        int n = net.trainableCount();
        float[] fk = new float[n], ek = new float[n], fg = new float[n], eg = new float[n];
        new LossGradient(loss, strategy("krum")).gradient(net, batch, fk);
        new LossGradient(loss, strategy("krum-explicit")).gradient(net, batch, ek);
        if (!Arrays.equals(fk, ek)) {
            throw new IllegalStateException("fused Krum differs from materialize + explicit; refusing to measure");
        }
        new LossGradient(loss, strategy("geomed")).gradient(net, batch, fg);
        Materialized m = new Materialized(false);
        new LossGradient(loss, m).gradient(net, batch, eg);
        int b = TrainStepBenchmark.BATCH;
        double objF = 0, objE = 0;
        for (int i = 0; i < b; i++) {
            double sf = 0, se = 0;
            for (int j = 0; j < n; j++) {
                double v = m.g[i * n + j];
                sf += (fg[j] - v) * (fg[j] - v);
                se += (eg[j] - v) * (eg[j] - v);
            }
            objF += Math.sqrt(sf);
            objE += Math.sqrt(se);
        }
        if (!(objF <= (1 + 1e-4) * objE && objE <= (1 + 1e-4) * objF)) {
            throw new IllegalStateException("geometric median objectives: fused " + objF + ", explicit " + objE
                    + "; refusing to measure");
        }
    }
}
