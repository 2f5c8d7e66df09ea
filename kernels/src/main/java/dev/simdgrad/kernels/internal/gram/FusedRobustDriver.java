package dev.simdgrad.kernels.internal.gram;

import dev.simdgrad.kernels.DenseLayer;
import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.internal.agg.AggregateDriver;
import dev.simdgrad.kernels.internal.agg.Plan;
import dev.simdgrad.kernels.internal.gemm.GemmDriver;
import java.util.Arrays;

/**
 * The robust aggregators fused for dense layers: the Gram matrix of the per-example gradients from the layers
 * ({@link GramDriver#denseLayer}, summed over the layers), the rule on it ({@link RobustRules}), then the result
 * per layer from (D, X): one example's gradient (Krum), a weighted sum by one GEMM over the examples of nonzero
 * weight (Multi-Krum, geometric median, centered clipping), or the fused trimmed mean over the selected examples
 * (Bulyan).
 *
 * <p>Unchecked: {@code RobustAggregate} validates first. Same bits for every thread count (the Gram matrix and the
 * rules run on the calling thread; the GEMM and the fused trimmed mean are thread-count invariant).
 */
public final class FusedRobustDriver {
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private FusedRobustDriver() {
    }

    private static final class Buffers {
        double[] gram = new double[0], w = new double[0], cross = new double[0], acc = new double[0];
        int[] selected = new int[0], rows = new int[0];
        float[] sd = new float[0], sx = new float[0], fw = new float[0];

        static double[] grow(double[] a, int n) {
            return a.length < n ? new double[n] : a;
        }

        static float[] grow(float[] a, int n) {
            return a.length < n ? new float[n] : a;
        }

        static int[] grow(int[] a, int n) {
            return a.length < n ? new int[n] : a;
        }
    }

    /**
     * The Gram matrix of the per-example gradients over every layer into this thread's buffer (leading dimension
     * n = batch, or batch + 1 with the center, the current content of the layers' outputs, as row and column n).
     */
    private static double[] gram(int batch, DenseLayer[] layers, boolean center) {
        Buffers b = BUFFERS.get();
        int n = batch + (center ? 1 : 0);
        double[] g = b.gram = Buffers.grow(b.gram, n * n);
        Arrays.fill(g, 0, n * n, 0.0);
        for (DenseLayer l : layers) {
            GramDriver.denseLayer(batch, l.dOut(), l.dIn(), l.d(), l.dOffset(), l.ldd(), l.x(), l.xOffset(), l.ldx(),
                    l.hasBias(), g, 0, n, true);
        }
        if (center) {
            // <g_i, c> = sum_r d_ir (C x_i)_r + d_i . c_b, and ||c||^2, all in double
            double cc = 0;
            for (DenseLayer l : layers) {
                int dOut = l.dOut(), dIn = l.dIn();
                double[] cx = b.cross = Buffers.grow(b.cross, dOut * batch);
                GramDriver.cross(l.gradW(), l.gradWOffset(), l.ldgw(), dOut, l.x(), l.xOffset(), l.ldx(), batch, dIn,
                        cx, 0, batch);
                for (int r = 0; r < dOut; r++) {
                    double cb = l.hasBias() ? l.gradB()[l.gradBOffset() + r] : 0.0;
                    for (int i = 0; i < batch; i++) {
                        g[i * n + batch] += l.d()[l.dOffset() + i * l.ldd() + r] * (cx[r * batch + i] + cb);
                    }
                    for (int c = 0; c < dIn; c++) {
                        double v = l.gradW()[l.gradWOffset() + r * l.ldgw() + c];
                        cc += v * v;
                    }
                    cc += cb * cb;
                }
            }
            for (int i = 0; i < batch; i++) {
                g[batch * n + i] = g[i * n + batch];
            }
            g[batch * n + batch] = cc;
        }
        return g;
    }

    private static void fillNaN(DenseLayer[] layers) {
        for (DenseLayer l : layers) {
            for (int r = 0; r < l.dOut(); r++) {
                int o = l.gradWOffset() + r * l.ldgw();
                Arrays.fill(l.gradW(), o, o + l.dIn(), Float.NaN);
            }
            if (l.hasBias()) {
                Arrays.fill(l.gradB(), l.gradBOffset(), l.gradBOffset() + l.dOut(), Float.NaN);
            }
        }
    }

    /** Krum: the selected example's gradient, {@code fl(d_r x_c)} and {@code d_r}; returns it, or -1 (NaN). */
    public static int krum(int batch, DenseLayer[] layers, int f) {
        int best = RobustRules.krum(Distances.fromGram(gram(batch, layers, false), batch), f, null);
        if (best < 0) {
            fillNaN(layers);
            return -1;
        }
        for (DenseLayer l : layers) {
            int dp = l.dOffset() + best * l.ldd(), xp = l.xOffset() + best * l.ldx();
            for (int r = 0; r < l.dOut(); r++) {
                float dv = l.d()[dp + r];
                int o = l.gradWOffset() + r * l.ldgw();
                for (int c = 0; c < l.dIn(); c++) {
                    l.gradW()[o + c] = dv * l.x()[xp + c];
                }
                if (l.hasBias()) {
                    l.gradB()[l.gradBOffset() + r] = dv;
                }
            }
        }
        return best;
    }

    /** Multi-Krum: weights fl(1/m) on the m selected examples. */
    public static void multiKrum(int batch, DenseLayer[] layers, int f, int m) {
        Buffers b = BUFFERS.get();
        int[] sel = b.selected = Buffers.grow(b.selected, m);
        if (!RobustRules.multiKrum(Distances.fromGram(gram(batch, layers, false), batch), f, m, sel)) {
            fillNaN(layers);
            return;
        }
        double[] w = b.w = Buffers.grow(b.w, batch);
        Arrays.fill(w, 0, batch, 0.0);
        for (int q = 0; q < m; q++) {
            w[sel[q]] = 1.0 / m;
        }
        weighted(batch, layers, w, Double.NaN);
    }

    /** Smoothed Weiszfeld from the Gram matrix; returns the iterations (0 and NaN if an example is not finite). */
    public static int geometricMedian(int batch, DenseLayer[] layers, double nu, int maxIterations,
                                      double tolerance) {
        Distances g = Distances.fromGram(gram(batch, layers, false), batch);
        if (!g.allFinite()) {
            fillNaN(layers);
            return 0;
        }
        Buffers b = BUFFERS.get();
        double[] w = b.w = Buffers.grow(b.w, batch);
        int it = RobustRules.weiszfeld(g, nu, maxIterations, tolerance, w);
        weighted(batch, layers, w, Double.NaN);
        return it;
    }

    /** Centered clipping from the current content of the outputs (the center), replaced by the result. */
    public static void centeredClipping(int batch, DenseLayer[] layers, double tau, int iterations) {
        int n = batch + 1;
        Distances g = Distances.fromGram(gram(batch, layers, true), n);
        if (!g.allFinite()) {
            fillNaN(layers);
            return;
        }
        Buffers b = BUFFERS.get();
        double[] w = b.w = Buffers.grow(b.w, n);
        RobustRules.centeredClipping(g, tau, iterations, w);
        weighted(batch, layers, w, w[batch]);
    }

    /** Bulyan: iterated-Krum selection, then the fused trimmed mean (c = f) over the selected examples. */
    public static void bulyan(int batch, DenseLayer[] layers, int f) {
        Buffers b = BUFFERS.get();
        int theta = batch - 2 * f;
        int[] sel = b.selected = Buffers.grow(b.selected, theta);
        if (!RobustRules.bulyan(Distances.fromGram(gram(batch, layers, false), batch), f, sel)) {
            fillNaN(layers);
            return;
        }
        Plan plan = AggregateDriver.plan(Plan.TRIMMED, theta, f);
        for (DenseLayer l : layers) {
            int dOut = l.dOut(), dIn = l.dIn();
            float[] sd = b.sd = Buffers.grow(b.sd, theta * dOut);
            float[] sx = b.sx = Buffers.grow(b.sx, theta * dIn);
            for (int q = 0; q < theta; q++) {
                System.arraycopy(l.d(), l.dOffset() + sel[q] * l.ldd(), sd, q * dOut, dOut);
                System.arraycopy(l.x(), l.xOffset() + sel[q] * l.ldx(), sx, q * dIn, dIn);
            }
            if (dOut > 0 && dIn > 0) {
                AggregateDriver.fused(plan, theta, dOut, dIn, sd, 0, dOut, sx, 0, dIn, l.gradW(), l.gradWOffset(),
                        l.ldgw());
            }
            if (l.hasBias() && dOut > 0) {
                AggregateDriver.explicit(plan, sd, 0, dOut, dOut, l.gradB(), l.gradBOffset());
            }
        }
    }

    /**
     * Per layer {@code gradW := (diag(fl(w)) D)^T X + fl(wc) gradW} over the examples whose float weight is not 0
     * (so a zero-weight example with a NaN is not read), bias {@code sum_i fl(fl(w_i) d_ir) + wc gradB} in double
     * rounded once; {@code wc} NaN means no center (beta = 0, the outputs are not read). The rows of D are scaled
     * into a buffer (one rounding each), as in {@code PerExample.weightedGradient}, and one unchecked SGEMM (D
     * transposed) forms the weight part.
     */
    private static void weighted(int batch, DenseLayer[] layers, double[] w, double wc) {
        Buffers b = BUFFERS.get();
        int[] rows = b.rows = Buffers.grow(b.rows, batch);
        float[] fw = b.fw = Buffers.grow(b.fw, batch);
        int count = 0;
        for (int i = 0; i < batch; i++) {
            float v = (float) w[i];
            if (v != 0f) {
                rows[count] = i;
                fw[count++] = v;
            }
        }
        boolean center = !Double.isNaN(wc);
        float beta = center ? (float) wc : 0f;
        for (DenseLayer l : layers) {
            int dOut = l.dOut(), dIn = l.dIn();
            float[] sd = b.sd = Buffers.grow(b.sd, count * dOut);
            for (int q = 0; q < count; q++) {
                for (int r = 0, p = l.dOffset() + rows[q] * l.ldd(); r < dOut; r++) {
                    sd[q * dOut + r] = fw[q] * l.d()[p + r];
                }
            }
            if (l.hasBias() && dOut > 0) {
                double[] acc = b.acc = Buffers.grow(b.acc, dOut);
                for (int r = 0; r < dOut; r++) {
                    acc[r] = center ? (double) beta * l.gradB()[l.gradBOffset() + r] : 0.0;
                }
                for (int q = 0; q < count; q++) {
                    for (int r = 0; r < dOut; r++) {
                        acc[r] += sd[q * dOut + r];
                    }
                }
                for (int r = 0; r < dOut; r++) {
                    l.gradB()[l.gradBOffset() + r] = (float) acc[r];
                }
            }
            if (dOut == 0 || dIn == 0) {
                continue;
            }
            if (count == 0) {
                for (int r = 0; r < dOut; r++) {
                    int o = l.gradWOffset() + r * l.ldgw();
                    for (int c = 0; c < dIn; c++) {
                        l.gradW()[o + c] = beta == 0f ? 0f : beta * l.gradW()[o + c];
                    }
                }
                continue;
            }
            float[] xs = l.x();
            int xo = l.xOffset(), ldx = l.ldx();
            if (count < batch) {
                float[] sx = b.sx = Buffers.grow(b.sx, count * dIn);
                for (int q = 0; q < count; q++) {
                    System.arraycopy(l.x(), l.xOffset() + rows[q] * l.ldx(), sx, q * dIn, dIn);
                }
                xs = sx;
                xo = 0;
                ldx = dIn;
            }
            GemmDriver.sgemm(true, false, dOut, dIn, count, 1f, sd, 0, dOut, xs, xo, ldx, beta, l.gradW(),
                    l.gradWOffset(), l.ldgw(), Parallelism.threads());
        }
    }
}
