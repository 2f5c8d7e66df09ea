package dev.simdgrad.kernels;

import dev.simdgrad.kernels.internal.gram.FusedRobustDriver;

/**
 * The robust aggregators of {@link Aggregate} that look at whole gradients (Krum, Multi-Krum, geometric median,
 * centered clipping, Bulyan), fused for a network of dense layers: computed from each layer's inputs X and deltas D
 * (a {@link DenseLayer}) without ever holding the B x P matrix of per-example gradients.
 *
 * <p><b>How.</b> Every rule needs the per-example gradients only through their inner products: the Gram matrix
 * {@code G = sum_layers (X X^T + [bias]) o (D D^T)} ({@link PerExample#gram}, B x B, in double), from which
 * {@code d_ij = ||g_i - g_j||^2 = G_ii + G_jj - 2 G_ij} and, for an iterate {@code z = sum_j w_j g_j} with weights
 * summing to 1, {@code ||z - g_i||^2 = (D w)_i - w'D w / 2} (the same rules as the explicit ones, which sum the
 * distances directly). The rule runs in O(B^2) per score pass or iteration, and the
 * result is written per layer: Krum copies the selected example's gradient ({@code fl(D[i, r] X[i, c])}, the
 * materialized value); Multi-Krum, the geometric median and centered clipping form
 * {@code (diag(fl(w)) D)^T X (+ fl(w_c) C)} by one SGEMM over the examples of nonzero weight, as
 * {@link PerExample#weightedGradient} does; Bulyan runs the fused trimmed mean of {@link FusedAggregate} over the
 * selected examples. Cost: the Gram matrix, {@code B(B+1)/2 (dIn + dOut)} double multiply-adds per layer, plus one
 * gradient SGEMM (centered clipping: plus {@code B dIn dOut} double multiply-adds for the inner products with the
 * center); memory O(B^2 + B (dIn + dOut)).
 *
 * <p><b>Definitions, ties, NaN policy</b>: as in {@link Aggregate} (rows = the B examples, each row the example's
 * whole gradient over all the layers, weights then bias, layer after layer).
 *
 * <p><b>Accuracy, and agreement with the explicit rules.</b> G is accumulated in double from exact products (see
 * {@link PerExample#gram}): a squared distance is within {@code gamma_d(K + 2) (||g_i|| + ||g_j||)^2} of the exact
 * one, {@code K = max_l(dIn_l + dOut_l) + 3 + layers}, so the cancellation in {@code G_ii + G_jj - 2 G_ij} costs
 * nothing a float computation could see. The explicit rules on the materialized gradients see the rounded products
 * {@code fl(d x)}, which move a squared distance by up to {@code 3u (||g_i|| + ||g_j||)^2} ({@code u = 2^-24}), and
 * sum their distances in float lanes, within about {@code 7.7e-6} of each distance ({@link Aggregate}):
 * <ul>
 *   <li>Krum and Bulyan select the same examples as the explicit rules whenever the scores differ by more than those
 *   (summed over a score's k distances); then Krum's result is bitwise the materialized row, and Bulyan's bitwise
 *   the explicit Bulyan's;</li>
 *   <li>Multi-Krum with the same selection: both are within {@code gamma(m + 3) sum_i |g_ij| / m} of the exact
 *   mean, so within twice that of each other;</li>
 *   <li>geometric median and centered clipping: the weights come from slightly different distances; centered
 *   clipping moves by at most {@code 2 sqrt(3u + 6 rho) M} per iteration (rho the explicit rules' relative bound) (clipping is a projection, so the update is
 *   1-Lipschitz), M the largest norm of a gradient or the center, plus the float sums
 *   {@code 2 gamma(B + 3) max(|c_j|, max_i |g_ij|)}; the geometric median's objective agrees within the
 *   convergence tolerance.</li>
 * </ul>
 *
 * <p><b>Validation.</b> {@code batch >= 1}; for every layer {@code dOut, dIn >= 0}, {@code ldd >= max(1, dOut)},
 * {@code ldx >= max(1, dIn)}, {@code ldgw >= max(1, dIn)}, arrays non-null and long enough, outputs not
 * overlapping any layer's inputs or each other; the rule's parameters as in {@link Aggregate}. All checked before
 * anything is written ({@link IllegalArgumentException}, {@link IndexOutOfBoundsException} for offsets and short
 * arrays), so an exception leaves the outputs unchanged.
 */
public final class RobustAggregate {
    private RobustAggregate() {
    }

    /**
     * Fused Krum: writes the gradient of the example with the smallest Krum score ({@link Aggregate#krum}).
     *
     * @return the selected example, or -1 if no score is finite (then the outputs are NaN)
     */
    public static int krum(int batch, DenseLayer[] layers, int f) {
        check(batch, layers);
        Aggregate.checkF(f, batch, 2, "Krum");
        return FusedRobustDriver.krum(batch, layers, f);
    }

    /** Fused Multi-Krum ({@link Aggregate#multiKrum}), {@code 1 <= m <= batch}. */
    public static void multiKrum(int batch, DenseLayer[] layers, int f, int m) {
        check(batch, layers);
        Aggregate.checkF(f, batch, 2, "Multi-Krum");
        if (m < 1 || m > batch) {
            throw new IllegalArgumentException("m=" + m + " must satisfy 1 <= m <= batch (batch=" + batch + ")");
        }
        FusedRobustDriver.multiKrum(batch, layers, f, m);
    }

    /**
     * Fused geometric median by smoothed Weiszfeld ({@link Aggregate#geometricMedian}: parameters, early stop and
     * return value).
     */
    public static int geometricMedian(int batch, DenseLayer[] layers, double nu, int maxIterations,
                                      double tolerance) {
        check(batch, layers);
        Aggregate.checkWeiszfeld(nu, maxIterations, tolerance);
        return FusedRobustDriver.geometricMedian(batch, layers, nu, maxIterations, tolerance);
    }

    /**
     * Fused centered clipping ({@link Aggregate#centeredClipping}). The center is the current content of every
     * layer's outputs ({@code gradW}, and {@code gradB} for a layer with bias), e.g. the previous aggregate; it is
     * replaced by the result.
     */
    public static void centeredClipping(int batch, DenseLayer[] layers, float tau, int iterations) {
        check(batch, layers);
        Aggregate.checkClipping(tau, iterations);
        FusedRobustDriver.centeredClipping(batch, layers, tau, iterations);
    }

    /** Fused Bulyan ({@link Aggregate#bulyan}), {@code batch >= 4f + 3}. */
    public static void bulyan(int batch, DenseLayer[] layers, int f) {
        check(batch, layers);
        Aggregate.checkF(f, batch, 4, "Bulyan");
        FusedRobustDriver.bulyan(batch, layers, f);
    }

    /**
     * Validates the layers against the batch. The checks name their argument without the layer; a failure is
     * rethrown with the prefix {@code layers[q].}, so a call that passes builds no strings (no allocation per step).
     */
    private static void check(int batch, DenseLayer[] layers) {
        Checks.size("batch", batch, 1, "examples");
        if (layers == null) {
            throw new IllegalArgumentException("layers is null");
        }
        for (int q = 0; q < layers.length; q++) {
            if (layers[q] == null) {
                throw new IllegalArgumentException("layers[" + q + "] is null");
            }
        }
        int q = 0, s = 0;
        try {
            for (q = 0; q < layers.length; q++) {
                checkLayer(batch, layers[q]);
            }
            for (q = 0; q < layers.length; q++) {
                for (s = 0; s < layers.length; s++) {
                    checkOutputs(batch, layers[q], layers[s], s > q);
                }
                DenseLayer l = layers[q];
                s = q;
                if (l.hasBias()) {
                    Checks.disjointOutputs("gradB", l.gradB(), l.gradBOffset(), l.dOut(), "gradW", l.gradW(),
                            l.gradWOffset(), span(l));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix(e.getMessage(), q, s), e);
        } catch (IndexOutOfBoundsException e) {
            IndexOutOfBoundsException x = new IndexOutOfBoundsException(prefix(e.getMessage(), q, s));
            x.initCause(e);
            throw x;
        }
    }

    /** "layers[q]." before the message; a message about another layer's inputs names it as "(inputs of layers[s])". */
    private static String prefix(String message, int q, int s) {
        return "layers[" + q + "]." + message + (s != q ? " (inputs or outputs of layers[" + s + "])" : "");
    }

    private static void checkLayer(int batch, DenseLayer l) {
        int dOut = l.dOut(), dIn = l.dIn();
        Checks.size("dOut", dOut, 0, "rows of W");
        Checks.size("dIn", dIn, 0, "columns of W");
        Checks.ld("ldd", l.ldd(), dOut, "D", batch);
        Checks.ld("ldx", l.ldx(), dIn, "X", batch);
        Checks.ld("ldgw", l.ldgw(), dIn, "gradW", dOut);
        Checks.matrix("d", l.d(), l.dOffset(), l.ldd(), "D", batch, dOut);
        Checks.matrix("x", l.x(), l.xOffset(), l.ldx(), "X", batch, dIn);
        Checks.matrix("gradW", l.gradW(), l.gradWOffset(), l.ldgw(), "gradW", dOut, dIn);
        if (l.hasBias()) {
            Checks.vector("gradB", l.gradB(), l.gradBOffset(), dOut, "gradB");
        }
    }

    /** l's outputs against in's inputs, and, when {@code outputs}, against in's outputs. */
    private static void checkOutputs(int batch, DenseLayer l, DenseLayer in, boolean outputs) {
        long wSpan = span(l);
        Checks.disjoint("gradW", l.gradW(), l.gradWOffset(), wSpan, "d", in.d(), in.dOffset(), in.ldd(), batch,
                in.dOut());
        Checks.disjoint("gradW", l.gradW(), l.gradWOffset(), wSpan, "x", in.x(), in.xOffset(), in.ldx(), batch,
                in.dIn());
        if (l.hasBias()) {
            Checks.disjoint("gradB", l.gradB(), l.gradBOffset(), l.dOut(), "d", in.d(), in.dOffset(), in.ldd(), batch,
                    in.dOut());
            Checks.disjoint("gradB", l.gradB(), l.gradBOffset(), l.dOut(), "x", in.x(), in.xOffset(), in.ldx(), batch,
                    in.dIn());
        }
        if (!outputs) {
            return;
        }
        Checks.disjointOutputs("gradW", l.gradW(), l.gradWOffset(), wSpan, "gradW", in.gradW(), in.gradWOffset(),
                span(in));
        if (in.hasBias()) {
            Checks.disjointOutputs("gradW", l.gradW(), l.gradWOffset(), wSpan, "gradB", in.gradB(), in.gradBOffset(),
                    in.dOut());
        }
        if (l.hasBias()) {
            Checks.disjointOutputs("gradB", l.gradB(), l.gradBOffset(), l.dOut(), "gradW", in.gradW(),
                    in.gradWOffset(), span(in));
            if (in.hasBias()) {
                Checks.disjointOutputs("gradB", l.gradB(), l.gradBOffset(), l.dOut(), "gradB", in.gradB(),
                        in.gradBOffset(), in.dOut());
            }
        }
    }

    private static long span(DenseLayer l) {
        return l.dOut() > 0 && l.dIn() > 0 ? (long) (l.dOut() - 1) * l.ldgw() + l.dIn() : 0;
    }
}
