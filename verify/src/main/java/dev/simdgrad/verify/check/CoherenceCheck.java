package dev.simdgrad.verify.check;

import dev.simdgrad.kernels.Coherence;
import dev.simdgrad.kernels.PerExample;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.verify.ErrorBounds;
import dev.simdgrad.verify.ReferenceCoherence;
import dev.simdgrad.verify.ReferencePerExample;
import dev.simdgrad.verify.ReferenceTwoLayerNet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Checks gradient coherence, m-coherence {@code ||sum_i g_i||^2 / sum_i ||g_i||^2} and {@code alpha} = m-coherence /
 * B, against {@link ReferenceCoherence}, which materializes the per-example gradients in double and sums them by
 * plain loops. Three comparisons per random case:
 * <ul>
 *   <li><b>formula</b>: the kernels' {@link Coherence#squaredNorm}, {@link Coherence#mCoherence(double, float[], int,
 *   int)} and {@link Coherence#alpha} on given inputs (a float vector, float norms) against the same sums in double:
 *   within {@code 2 gamma_d(n)} of the value for the sums (u_d = 2^-53), plus a double rounding per quotient;</li>
 *   <li><b>layer</b>: a dense layer's (D, X): the summed gradient from {@link PerExample#weightedGradient} (weights 1),
 *   the per-example norms from {@link PerExample#squaredNorms}, then {@link Coherence#mCoherence(float[], int, int,
 *   float[], int, int)} and {@code alpha(squaredNorm(sum), ...)}, against the reference on {@code g_i = d_i x_i^T}
 *   (and the bias d_i);</li>
 *   <li><b>network</b>: nn's {@link dev.simdgrad.nn.metrics.Coherence#of} on the per-example deltas of a real
 *   {@link TwoLayerNet} backward pass (random shape, activation, loss, parametrization, biases, frozen output),
 *   against the reference on the explicit per-example gradients of {@link ReferenceTwoLayerNet} (all double).</li>
 * </ul>
 *
 * <p>Bounds, derived in {@link ReferenceCoherence} from the kernels' own: the float sum S-hat is within
 * {@code E_q} of the exact S_q, so {@code | ||S-hat||^2 - ||S||^2 | <= 2 ||S|| ||E|| + ||E||^2}; each float
 * per-example norm is within {@code F_i} of {@code ||g_i||^2}, so the denominator is within {@code sum_i F_i}; the
 * quotient is then within {@code (numErr + r denErr) / (D - denErr)} of r, plus the double roundings. For the layer,
 * {@code E_q = gamma(B + 3) sum_i |g_iq|} plus half an ulp (the bound {@code PerExample.weightedGradient} is held to
 * in the per-example check) and {@code F_i = gamma(2) ||g_i||^2} (one float rounding of a product formed in double).
 * For the network, {@code E_q} is {@link ReferenceTwoLayerNet.Pass#sumGradientBound} plus half an ulp (the bound of
 * the network check's summed gradient) and {@code F_i} adds to {@code gamma(L + 1) ||g_i||^2} (L layers) the
 * propagated error {@code 2 ||g_i|| ||e_i|| + ||e_i||^2} of the deltas, with e_i
 * {@link ReferenceTwoLayerNet.Pass#perExampleBound}.
 *
 * <p>Fixed cases: B = 1 (m-coherence exactly 1 in the reference), identical per-example gradients (m-coherence B),
 * pairwise orthogonal ones (one-hot inputs, no bias: m-coherence 1), all-zero gradients (NaN = 0/0, which the kernels
 * document and must return), each over lengths next to every vector width's edge; and networks with B = 1, with
 * identical examples, and with all-zero gradients (one output under cross-entropy, where every delta is 0).
 * An infinite bound (the derivation cannot bound the denominator away from 0) with a finite reference counts as a
 * failure: the check could not vouch for that case.
 *
 * <p>C2: 300 layer and 100 network coherence computations over varied shapes run before the cases.
 */
public final class CoherenceCheck implements KernelCheck {
    private static final int[] EDGES = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129};

    private final DoubleUnaryOperator tamper;

    /** Checks the kernels' and nn's coherence. */
    public CoherenceCheck() {
        this(DoubleUnaryOperator.identity());
    }

    /** A check that passes every value the kernels return through {@code tamper} first (tests use a wrong one). */
    CoherenceCheck(DoubleUnaryOperator tamper) {
        this.tamper = tamper;
    }

    @Override
    public String name() {
        return "coherence";
    }

    /** Random cases: three tallied comparisons each (formula, layer, network); then the fixed cases. */
    @Override
    public CheckResult run(int cases, long seed) {
        if (cases < 0) {
            throw new IllegalArgumentException("cases=" + cases + " < 0");
        }
        SplittableRandom warm = new SplittableRandom(seed ^ 0x6a09_e667_f3bc_c908L);
        for (int i = 0; i < 300; i++) {
            Layer.random(warm).kernel();
            if (i % 3 == 0) {
                Net.kernel(NetCase.random(warm, 24, 16, 5, 33));
            }
        }
        CheckTally tally = new CheckTally();
        SplittableRandom r = new SplittableRandom(seed ^ 0xbb67_ae85_84ca_a73bL);
        for (int i = 0; i < cases; i++) {
            Layer l = Layer.random(r);
            NetCase n = NetCase.random(r, 24, 16, 5, 33);
            tally.add(l.formulaRatio(tamper), () -> "squaredNorm, mCoherence and alpha on the sum and norms of " + l);
            tally.add(l.ratio(tamper), () -> "m-coherence and alpha of " + l);
            tally.add(Net.ratio(n, tamper), () -> "Coherence.of " + n);
        }
        SplittableRandom f = new SplittableRandom(seed ^ 0x3c6e_f372_fe94_f82bL);
        for (Layer l : Layer.fixed(f)) {
            tally.add(l.ratio(tamper), () -> "m-coherence and alpha of " + l);
        }
        for (NetCase n : Net.fixed(f)) {
            tally.add(Net.ratio(n, tamper), () -> "Coherence.of " + n);
        }
        return tally.result(name());
    }

    /** Fixed cases {@link #run} adds to the random ones. */
    static int fixedCases() {
        return Layer.fixed(new SplittableRandom(0)).size() + Net.fixed(new SplittableRandom(0)).size();
    }

    /**
     * The ratio of a double the kernels computed. An infinite bound with a finite reference means the case could not
     * be bounded: NaN, counted as a failure.
     */
    static double ratio(double got, double expected, double bound) {
        if (bound == Double.POSITIVE_INFINITY && !Double.isNaN(expected)) {
            return Double.NaN;
        }
        return ErrorRatio.of(got, expected, bound);
    }

    /**
     * A dense layer's D (B x dOut) and X (B x dIn), optional bias, with the sum and the norms written at offsets
     * into padded arrays.
     */
    private record Layer(String kind, int batch, int dOut, int dIn, boolean bias, float[] d, float[] x,
                         int sumOffset, int normsOffset) {

        /**
         * Gaussian D and X, each row mixed with a shared row ({@code d_i = t d_0 + (1 - t) z_i}, t uniform), so
         * m-coherence ranges from about 1 to about B rather than staying near 1.
         */
        static Layer random(SplittableRandom r) {
            int batch = r.nextInt(4) == 0 ? EDGES[r.nextInt(EDGES.length)] : 1 + r.nextInt(r.nextBoolean() ? 17 : 130);
            int dOut = 1 + r.nextInt(r.nextBoolean() ? 4 : 20);
            int dIn = r.nextInt(4) == 0 ? EDGES[r.nextInt(EDGES.length)] : 1 + r.nextInt(r.nextBoolean() ? 33 : 80);
            double t = r.nextDouble();
            return new Layer("random, shared part " + String.format(Locale.ROOT, "%.2f", t),
                    batch, dOut, dIn, r.nextBoolean(), mixed(r, batch, dOut, t), mixed(r, batch, dIn, t),
                    r.nextInt(4), r.nextInt(4));
        }

        private static float[] mixed(SplittableRandom r, int rows, int cols, double t) {
            float[] shared = new float[cols], a = new float[rows * cols];
            for (int c = 0; c < cols; c++) {
                shared[c] = (float) r.nextGaussian();
            }
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < cols; c++) {
                    a[i * cols + c] = (float) (t * shared[c] + (1 - t) * r.nextGaussian());
                }
            }
            return a;
        }

        /** B = 1, identical, orthogonal and zero gradients, over lengths at every width's edge. */
        static List<Layer> fixed(SplittableRandom r) {
            List<Layer> out = new ArrayList<>();
            for (int e : EDGES) {
                boolean bias = e % 2 == 0;
                // B = 1: the layer's one gradient, P = e (plus the bias).
                out.add(new Layer("one example", 1, 1, e, bias, gaussian(r, 1), gaussian(r, e), e % 4, e % 3));
                // Identical: B copies of one example.
                int b = Math.min(e + 1, 33), dOut = 1 + e % 5;
                float[] d0 = gaussian(r, dOut), x0 = gaussian(r, e);
                float[] d = new float[b * dOut], x = new float[b * e];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(d0, 0, d, i * dOut, dOut);
                    System.arraycopy(x0, 0, x, i * e, e);
                }
                out.add(new Layer("identical examples", b, dOut, e, bias, d, x, 1, 2));
                // Orthogonal: x_i = c_i e_i (one-hot on distinct columns), no bias: g_i = c_i d_i e_i^T.
                int bo = Math.min(e, 40);
                float[] xo = new float[bo * e];
                for (int i = 0; i < bo; i++) {
                    xo[i * e + i] = (float) (0.5 + r.nextDouble());
                }
                out.add(new Layer("orthogonal gradients", bo, dOut, e, false, gaussian(r, bo * dOut), xo, 3, 0));
                // Zero: D = 0 (every g_i = 0, also the bias), and X = 0 without a bias.
                out.add(new Layer("zero deltas", b, dOut, e, bias, new float[b * dOut], gaussian(r, b * e), 0, 1));
                out.add(new Layer("zero inputs", b, dOut, e, false, gaussian(r, b * dOut), new float[b * e], 2, 0));
            }
            return out;
        }

        private static float[] gaussian(SplittableRandom r, int n) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) r.nextGaussian();
            }
            return a;
        }

        int length() {
            return dOut * dIn + (bias ? dOut : 0);
        }

        /** The summed gradient at {@code sumOffset} of a padded array (weights row-major, then the bias). */
        float[] sum() {
            float[] sum = new float[sumOffset + length() + 1];
            float[] ones = new float[batch];
            Arrays.fill(ones, 1f);
            PerExample.weightedGradient(batch, dOut, dIn, ones, 0, d, 0, dOut, x, 0, dIn, 0f, sum, sumOffset, dIn,
                    bias ? sum : null, sumOffset + dOut * dIn);
            return sum;
        }

        /** The per-example squared norms at {@code normsOffset} of a padded array. */
        float[] norms() {
            float[] norms = new float[normsOffset + batch + 1];
            PerExample.squaredNorms(batch, dOut, dIn, d, 0, dOut, x, 0, dIn, bias, false, norms, normsOffset);
            return norms;
        }

        /** The kernel path: {m-coherence, alpha}. */
        double[] kernel() {
            float[] sum = sum(), norms = norms();
            double m = Coherence.mCoherence(sum, sumOffset, length(), norms, normsOffset, batch);
            double a = Coherence.alpha(Coherence.squaredNorm(sum, sumOffset, length()), norms, normsOffset, batch);
            return new double[] {m, a};
        }

        ReferenceCoherence reference() {
            double[][] g = new double[batch][];
            for (int i = 0; i < batch; i++) {
                g[i] = ReferencePerExample.gradient(i, dOut, dIn, d, 0, dOut, x, 0, dIn, bias);
            }
            return ReferenceCoherence.of(g);
        }

        double ratio(DoubleUnaryOperator tamper) {
            double[] k = kernel();
            ReferenceCoherence ref = reference();
            double[] sumError = new double[length()];
            for (int q = 0; q < sumError.length; q++) {
                sumError[q] = ErrorBounds.ofFloatResult(ErrorBounds.gamma(batch + 3) * ref.magnitude()[q],
                        ref.sum()[q]);
            }
            double[] normError = new double[batch];
            for (int i = 0; i < batch; i++) {
                normError[i] = ErrorBounds.gamma(2) * ref.squaredNorms()[i];
            }
            double mb = ref.mCoherenceBound(sumError, normError);
            return Math.max(CoherenceCheck.ratio(tamper.applyAsDouble(k[0]), ref.mCoherence(), mb),
                    CoherenceCheck.ratio(tamper.applyAsDouble(k[1]), ref.alpha(), ref.alphaBound(mb)));
        }

        /** The three kernel functions on the kernel's own sum and norms, against the same sums in double. */
        double formulaRatio(DoubleUnaryOperator tamper) {
            float[] sum = sum(), norms = norms();
            int p = length();
            double ss = Coherence.squaredNorm(sum, sumOffset, p);
            double refSs = ReferenceCoherence.squaredNorm(sum, sumOffset, p);
            double den = 0;
            for (int i = 0; i < batch; i++) {
                den += norms[normsOffset + i];
            }
            double refM = refSs / den;
            double mb = ReferenceCoherence.mCoherenceOfInputsBound(refSs, den, batch);
            double worst = CoherenceCheck.ratio(tamper.applyAsDouble(ss), refSs,
                    ReferenceCoherence.squaredNormBound(p, refSs));
            worst = Math.max(worst, CoherenceCheck.ratio(
                    tamper.applyAsDouble(Coherence.mCoherence(refSs, norms, normsOffset, batch)), refM, mb));
            return Math.max(worst, CoherenceCheck.ratio(
                    tamper.applyAsDouble(Coherence.alpha(refSs, norms, normsOffset, batch)), refM / batch,
                    ReferenceCoherence.alphaBound(refM, mb, batch)));
        }

        @Override
        public String toString() {
            return "a " + dOut + "x" + dIn + " layer " + (bias ? "with" : "without") + " bias over B=" + batch + ", "
                    + kind + " (P=" + length() + ", sum at offset " + sumOffset + ", norms at offset " + normsOffset
                    + ")";
        }
    }

    /** Coherence.of on a network's per-example deltas. */
    private static final class Net {
        private Net() {
        }

        static double[] kernel(NetCase c, TwoLayerNet net, Batch batch) {
            Workspace ws = net.workspace(c.batch());
            net.lossAndDeltas(c.loss(), batch, ws);
            dev.simdgrad.nn.metrics.Coherence k = dev.simdgrad.nn.metrics.Coherence.of(ws,
                    new float[net.trainableCount()]);
            return new double[] {k.mCoherence(), k.alpha()};
        }

        static double[] kernel(NetCase c) {
            return kernel(c, c.net(), c.data());
        }

        static double ratio(NetCase c, DoubleUnaryOperator tamper) {
            TwoLayerNet net = c.net();
            Batch batch = c.data();
            double[] k = kernel(c, net, batch);
            ReferenceTwoLayerNet.Pass pass = new ReferenceTwoLayerNet(net).pass(c.loss(), batch, true);
            ReferenceCoherence ref = ReferenceCoherence.of(pass.perExample);
            double[] sumError = new double[ref.length()];
            for (int q = 0; q < sumError.length; q++) {
                sumError[q] = ErrorBounds.ofFloatResult(pass.sumGradientBound[q], ref.sum()[q]);
            }
            int layers = c.spec().freezeOutput() ? 1 : 2;
            double[] normError = new double[c.batch()];
            for (int i = 0; i < normError.length; i++) {
                normError[i] = ReferenceCoherence.exampleNormBound(pass.perExample[i], pass.perExampleBound[i],
                        layers);
            }
            double mb = ref.mCoherenceBound(sumError, normError);
            return Math.max(CoherenceCheck.ratio(tamper.applyAsDouble(k[0]), ref.mCoherence(), mb),
                    CoherenceCheck.ratio(tamper.applyAsDouble(k[1]), ref.alpha(), ref.alphaBound(mb)));
        }

        /** B = 1, identical examples, and one output under cross-entropy (every gradient 0: NaN). */
        static List<NetCase> fixed(SplittableRandom r) {
            List<NetCase> out = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                NetCase c = NetCase.random(r, 24, 16, 5, 33);
                out.add(c.withBatch(1));
                out.add(c.withBatch(Math.max(2, c.batch())).withIdentical(true));
                NetCase one = NetCase.random(r, 24, 16, 1, 33);
                out.add(new NetCase(one.spec(), one.batch(), true, false, one.seed()));
            }
            return out;
        }
    }
}
