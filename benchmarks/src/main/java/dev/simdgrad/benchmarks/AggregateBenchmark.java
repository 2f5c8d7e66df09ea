package dev.simdgrad.benchmarks;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.kernels.FusedAggregate;
import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.PerExample;
import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.kernels.Simd;
import dev.simdgrad.verify.ReferenceAggregate;
import java.util.Random;
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
 * Robust aggregation of per-example gradients of one dense layer (issue 3): fused (from D and X, without the B x P
 * matrix) and explicit (over a materialized B x P matrix) winsorized / trimmed mean, median, median of means; the
 * per-example norms and the clipped gradient; and the plain gradient {@code D^T X} (one SGEMM) as the unit.
 *
 * <p>Single thread by default ({@code -p threads=...} to change). Report: ms per call (average time), the ratio to
 * {@link #plainGradient}, and GB/s of the equivalent B x P float matrix ({@code 4 B P / time}). The explicit path,
 * the peer of the fused one, is {@link #materialize} (writing the B x P matrix) followed by an {@code explicit*}
 * aggregator over it; the two halves are timed separately. The explicit benchmarks materialize at most 2^27 floats
 * (512 MiB): above that they cover the first {@link #explicitColumns} coordinates only; the per-coordinate cost is
 * what to compare.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar AggregateBenchmark
 * -f 1 -wi 3 -i 5}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AggregateBenchmark {

    /** The layer: D (batch x dOut), X (batch x dIn), outputs. */
    @State(Scope.Benchmark)
    public static class Layer {
        @Param({"784x256", "784x1024"})
        public String shape;
        @Param({"32", "128", "512"})
        public int batch;
        @Param({"1", "4", "8"})
        public int c;
        @Param({"1"})
        public int threads;

        int dIn, dOut;
        float[] d, x, gw, gb, norms, weights;

        @Setup(Level.Trial)
        public void setUp() {
            String[] s = shape.split("x");
            dIn = Integer.parseInt(s[0]);
            dOut = Integer.parseInt(s[1]);
            Random r = new Random(42);
            d = gaussian(r, batch * dOut);
            x = gaussian(r, batch * dIn);
            gw = new float[dOut * dIn];
            gb = new float[dOut];
            norms = new float[batch];
            weights = new float[batch];
            Parallelism.setThreads(threads);
            System.out.println("# simdgrad: " + Simd.describe());
            checkAgreement(batch, c);
        }
    }

    /**
     * Coordinates the explicit benchmarks cover: all P = dOut x dIn, or the first 2^27 / B when the B x P matrix would
     * exceed 2^27 floats (512 MiB). Public so that reports scale the explicit times by the same rule.
     */
    public static int explicitColumns(int batch, int dOut, int dIn) {
        return (int) Math.min((long) dOut * dIn, (1L << 27) / batch);
    }

    /** The materialized B x P matrix (P = dOut x dIn, capped at {@link #explicitColumns} columns). */
    @State(Scope.Benchmark)
    public static class Explicit {
        float[] g, out;
        int cols;
        float fill = 0.5f;

        @Setup(Level.Trial)
        public void setUp(Layer l) {
            cols = explicitColumns(l.batch, l.dOut, l.dIn);
            g = new float[l.batch * cols];
            out = new float[cols];
            PerExample.gradients(l.batch, l.dOut, l.dIn, l.d, 0, l.dOut, l.x, 0, l.dIn, false, 0, cols, g, 0, cols);
        }
    }

    static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /**
     * Refuses to measure if the kernels disagree with the scalar reference on a small case (order statistics
     * exactly) or the fused path with the explicit one (bitwise).
     */
    static void checkAgreement(int batch, int c) {
        Random r = new Random(7);
        int dOut = 5, dIn = 37, p = dOut * dIn;
        float[] d = gaussian(r, batch * dOut), x = gaussian(r, batch * dIn), g = new float[batch * p];
        PerExample.gradients(batch, dOut, dIn, d, 0, dOut, x, 0, dIn, false, 0, p, g, 0, p);
        float[] med = new float[p], fused = new float[p], expl = new float[p];
        Aggregate.median(g, 0, batch, p, p, med, 0);
        double[] ref = ReferenceAggregate.median(g, 0, batch, p, p);
        for (int j = 0; j < p; j++) {
            if (Math.abs(med[j] - ref[j]) > Math.ulp(med[j])) {
                throw new IllegalStateException("median disagrees with the reference at " + j + ": " + med[j]
                        + " vs " + ref[j]);
            }
        }
        FusedAggregate.winsorizedMean(batch, dOut, dIn, d, 0, dOut, x, 0, dIn, c, fused, 0, dIn, null, 0);
        Aggregate.winsorizedMean(g, 0, batch, p, p, c, expl, 0);
        for (int j = 0; j < p; j++) {
            if (Float.floatToIntBits(fused[j]) != Float.floatToIntBits(expl[j])) {
                throw new IllegalStateException("fused winsorized mean differs from explicit at " + j);
            }
        }
    }

    // ---- the unit: the plain gradient D^T X ----

    @Benchmark
    public float[] plainGradient(Layer l) {
        Sgemm.sgemm(true, false, l.dOut, l.dIn, l.batch, 1f, l.d, 0, l.dOut, l.x, 0, l.dIn, 0f, l.gw, 0, l.dIn);
        return l.gw;
    }

    // ---- per-example norms and the clipped gradient (ghost clipping) ----

    @Benchmark
    public float[] norms(Layer l) {
        PerExample.squaredNorms(l.batch, l.dOut, l.dIn, l.d, 0, l.dOut, l.x, 0, l.dIn, true, false, l.norms, 0);
        return l.norms;
    }

    @Benchmark
    public float[] normsAndClippedGradient(Layer l) {
        PerExample.squaredNorms(l.batch, l.dOut, l.dIn, l.d, 0, l.dOut, l.x, 0, l.dIn, true, false, l.norms, 0);
        PerExample.clipWeights(l.batch, l.norms, 0, 1f, 1f / l.batch, l.weights, 0);
        PerExample.weightedGradient(l.batch, l.dOut, l.dIn, l.weights, 0, l.d, 0, l.dOut, l.x, 0, l.dIn, 0f, l.gw, 0,
                l.dIn, l.gb, 0);
        return l.gw;
    }

    // ---- fused ----

    @Benchmark
    public float[] fusedWinsorized(Layer l) {
        FusedAggregate.winsorizedMean(l.batch, l.dOut, l.dIn, l.d, 0, l.dOut, l.x, 0, l.dIn, l.c, l.gw, 0, l.dIn,
                l.gb, 0);
        return l.gw;
    }

    @Benchmark
    public float[] fusedTrimmed(Layer l) {
        FusedAggregate.trimmedMean(l.batch, l.dOut, l.dIn, l.d, 0, l.dOut, l.x, 0, l.dIn, l.c, l.gw, 0, l.dIn, l.gb, 0);
        return l.gw;
    }

    /** Independent of c (runs for each c value). */
    @Benchmark
    public float[] fusedMedian(Layer l) {
        FusedAggregate.median(l.batch, l.dOut, l.dIn, l.d, 0, l.dOut, l.x, 0, l.dIn, l.gw, 0, l.dIn, l.gb, 0);
        return l.gw;
    }

    /** Median of 2c + 1 group means (c = 1, 4, 8: 3, 9, 17 groups). */
    @Benchmark
    public float[] fusedMedianOfMeans(Layer l) {
        FusedAggregate.medianOfMeans(l.batch, l.dOut, l.dIn, l.d, 0, l.dOut, l.x, 0, l.dIn, 2 * l.c + 1, l.gw, 0, l.dIn,
                l.gb, 0);
        return l.gw;
    }

    // ---- explicit ----

    /**
     * The read-bandwidth reference of the explicit aggregators: one pass over the same B x P matrix by {@link
     * ReadBandwidth}'s vector sum (four independent accumulators), on one thread. {@code explicitMean / readMatrix}
     * is the mean's share of what one core can read here.
     */
    @Benchmark
    public float readMatrix(Explicit e) {
        int n = e.g.length - e.g.length % (4 * ReadBandwidth.lanes());
        return ReadBandwidth.kernel(e.g, n);
    }

    /**
     * The write-bandwidth reference of {@link #materialize}: {@code Arrays.fill} of the same B x P matrix (C2's fill
     * intrinsic, plain stores: the JVM issues no non-temporal stores, so each written line is also read for
     * ownership, as in materialize). {@code materialize / writeMatrix} is materialize's share of it.
     */
    @Benchmark
    public float[] writeMatrix(Explicit e) {
        java.util.Arrays.fill(e.g, e.fill);
        e.fill = -e.fill;
        return e.g;
    }

    /** The explicit path's first half: writes the B x P per-example gradient matrix every explicit aggregator reads. */
    @Benchmark
    public float[] materialize(Layer l, Explicit e) {
        PerExample.gradients(l.batch, l.dOut, l.dIn, l.d, 0, l.dOut, l.x, 0, l.dIn, false, 0, e.cols, e.g, 0, e.cols);
        return e.g;
    }

    @Benchmark
    public float[] explicitMean(Layer l, Explicit e) {
        Aggregate.mean(e.g, 0, l.batch, e.cols, e.cols, e.out, 0);
        return e.out;
    }

    /**
     * The bandwidth reference: the same column mean by native OpenBLAS, {@code cblas_sgemv} of the B x P matrix
     * (transposed) with x = (1/B, ..., 1/B). Refused in setup when no OpenBLAS loads ({@link NativeBlas}).
     */
    @Benchmark
    public float[] explicitMeanOpenBlas(Layer l, Explicit e, NativeMean n) {
        n.blas.sgemv(true, l.batch, e.cols, 1f, e.g, e.cols, n.weights, 0f, e.out);
        return e.out;
    }

    /** OpenBLAS for {@link #explicitMeanOpenBlas}, with the layer's threads; checked against {@code Aggregate.mean}. */
    @State(Scope.Benchmark)
    public static class NativeMean {
        NativeBlas blas;
        float[] weights;

        @Setup(Level.Trial)
        public void setUp(Layer l, Explicit e) {
            blas = NativeBlas.openBlas().orElseThrow(() -> new IllegalStateException(NativeBlas.unavailableReason()));
            blas.setThreads(l.threads);
            weights = new float[l.batch];
            java.util.Arrays.fill(weights, 1f / l.batch);
            float[] mine = new float[e.cols], theirs = new float[e.cols];
            Aggregate.mean(e.g, 0, l.batch, e.cols, e.cols, mine, 0);
            blas.sgemv(true, l.batch, e.cols, 1f, e.g, e.cols, weights, 0f, theirs);
            // Both are sums of B products in float, in possibly different orders, plus the rounding of 1/B:
            // |difference| <= (2 gamma(B) + 2u) sum_i |g_ij| / B.
            double u = Math.ulp(1f) / 2, gamma = l.batch * u / (1 - l.batch * u);
            for (int j = 0; j < e.cols; j++) {
                double abs = 0;
                for (int i = 0; i < l.batch; i++) {
                    abs += Math.abs(e.g[i * e.cols + j]);
                }
                if (Math.abs(mine[j] - theirs[j]) > (2 * gamma + 2 * u) * abs / l.batch + Float.MIN_NORMAL) {
                    throw new IllegalStateException("OpenBLAS's column mean disagrees with Aggregate.mean at " + j
                            + ": " + theirs[j] + " vs " + mine[j]);
                }
            }
        }
    }

    @Benchmark
    public float[] explicitWinsorized(Layer l, Explicit e) {
        Aggregate.winsorizedMean(e.g, 0, l.batch, e.cols, e.cols, l.c, e.out, 0);
        return e.out;
    }

    @Benchmark
    public float[] explicitTrimmed(Layer l, Explicit e) {
        Aggregate.trimmedMean(e.g, 0, l.batch, e.cols, e.cols, l.c, e.out, 0);
        return e.out;
    }

    @Benchmark
    public float[] explicitMedian(Layer l, Explicit e) {
        Aggregate.median(e.g, 0, l.batch, e.cols, e.cols, e.out, 0);
        return e.out;
    }

    @Benchmark
    public float[] explicitMedianOfMeans(Layer l, Explicit e) {
        Aggregate.medianOfMeans(e.g, 0, l.batch, e.cols, e.cols, 2 * l.c + 1, e.out, 0);
        return e.out;
    }
}
