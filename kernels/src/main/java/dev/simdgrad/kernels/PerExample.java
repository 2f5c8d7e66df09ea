package dev.simdgrad.kernels;

import dev.simdgrad.kernels.internal.agg.AggregateDriver;
import dev.simdgrad.kernels.internal.agg.AggregateKernel;
import dev.simdgrad.kernels.internal.agg.Scratch;
import dev.simdgrad.kernels.internal.gram.GramDriver;

/**
 * Per-example gradients of a dense layer without materializing them: squared norms, clip weights, weighted sums,
 * and, for who wants them, the per-example gradients of a range of coordinates.
 *
 * <p>The layer has inputs X ({@code batch x dIn}, row-major, element (i, c) at {@code x[xOffset + i*ldx + c]}) and
 * output deltas D ({@code batch x dOut}, element (i, r) at {@code d[dOffset + i*ldd + r]}). The gradient of example
 * i is {@code g_i = d_i x_i^T} (dOut x dIn) and, with a bias, {@code d_i}. Its parameters are numbered weight first,
 * row-major ({@code W[r][c]} is coordinate {@code r*dIn + c}), then the bias ({@code b[r]} is {@code dOut*dIn + r}).
 *
 * <p>Key identities: {@code ||g_i||^2 = ||d_i||^2 (||x_i||^2 + [bias])} in O(B (dIn + dOut)), and
 * {@code sum_i s_i g_i = (diag(s) D)^T X}: per-example clipping and weighting fold into one SGEMM.
 *
 * <p>Validation as in {@link Sgemm}: every argument is checked before anything is written
 * ({@link IllegalArgumentException} for sizes, leading dimensions, null arrays, overlapping outputs;
 * {@link IndexOutOfBoundsException} for offsets and short arrays); an exception leaves the outputs unchanged.
 */
public final class PerExample {
    private PerExample() {
    }

    /**
     * Per-example squared gradient norms of a dense layer: {@code n_i = ||d_i||^2 (||x_i||^2 + (bias ? 1 : 0))},
     * written to {@code norms[normsOffset + i]}, or added to it when {@code accumulate} (a network's per-example
     * squared norm is the sum over its layers: call once per layer with {@code accumulate} after the first).
     *
     * <p>The two squared norms are accumulated in double (SIMD: one partial sum per double lane, added in a fixed
     * order) and their product rounded to float once, so {@code n_i} is within one rounding (plus one for the
     * accumulation) of the exact value; NaN or Inf in a row propagate. Cost O(batch (dIn + dOut)), a few percent of
     * the gradient SGEMM.
     */
    public static void squaredNorms(int batch, int dOut, int dIn, float[] d, int dOffset, int ldd,
                                    float[] x, int xOffset, int ldx, boolean bias, boolean accumulate,
                                    float[] norms, int normsOffset) {
        checkLayer(batch, dOut, dIn, d, dOffset, ldd, x, xOffset, ldx);
        Checks.vector("norms", norms, normsOffset, batch, "norms");
        Checks.disjoint("norms", norms, normsOffset, batch, "d", d, dOffset, ldd, batch, dOut);
        Checks.disjoint("norms", norms, normsOffset, batch, "x", x, xOffset, ldx, batch, dIn);
        AggregateKernel k = AggregateDriver.K;
        double[] lanes = Scratch.get().doubles(k.lanes());
        for (int i = 0; i < batch; i++) {
            double dn = k.sumOfSquares(d, dOffset + i * ldd, dOut, lanes);
            double xn = k.sumOfSquares(x, xOffset + i * ldx, dIn, lanes) + (bias ? 1 : 0);
            float n = (float) (dn * xn);
            norms[normsOffset + i] = accumulate ? norms[normsOffset + i] + n : n;
        }
    }

    /**
     * Clip weights: {@code s_i = scale * min(1, clipNorm / sqrt(n_i))} from squared norms {@code n_i} (of the whole
     * network, see {@link #squaredNorms}). With {@code scale = 1 / batch}, {@link #weightedGradient} then gives the
     * mean of the per-example gradients clipped to norm {@code clipNorm} (DP-SGD's clipping). A zero norm gives
     * weight {@code scale}, an infinite one 0, a NaN one NaN. Computed in double, rounded once.
     *
     * @throws IllegalArgumentException if {@code clipNorm} is not finite and {@code > 0}, {@code scale} is not
     *                                  finite, {@code batch < 0}, an array is null or weights overlaps the norms
     */
    public static void clipWeights(int batch, float[] squaredNorms, int normsOffset, float clipNorm, float scale,
                                   float[] weights, int weightsOffset) {
        Checks.size("batch", batch, 0, "examples");
        if (!(clipNorm > 0) || Float.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm=" + clipNorm + " must be finite and > 0");
        }
        if (!Float.isFinite(scale)) {
            throw new IllegalArgumentException("scale=" + scale + " must be finite");
        }
        Checks.vector("squaredNorms", squaredNorms, normsOffset, batch, "squaredNorms");
        Checks.vector("weights", weights, weightsOffset, batch, "weights");
        if (normsOffset != weightsOffset) {
            Checks.disjointVector("weights", weights, weightsOffset, batch, "squaredNorms", squaredNorms,
                    normsOffset, batch);
        }
        for (int i = 0; i < batch; i++) {
            double n = squaredNorms[normsOffset + i];
            double s = n == 0 ? 1 : Math.min(1.0, clipNorm / Math.sqrt(n));
            weights[weightsOffset + i] = (float) (scale * (n != n ? Double.NaN : s));
        }
    }

    /**
     * Weighted gradient: {@code gradW := (diag(s) D)^T X + beta gradW} (dOut x dIn, element (r, c) at
     * {@code gradW[gradWOffset + r*ldgw + c]}) and, when {@code gradB} is not null,
     * {@code gradB[gradBOffset + r] := sum_i s_i D[i, r] + beta gradB[..]}. Weights {@code s = 1/B} give the mean,
     * {@link #clipWeights} the clipped mean. {@code beta == 0} does not read the outputs.
     *
     * <p>The rows of D are scaled into a per-thread buffer ({@code fl(s_i D[i, r])}, one rounding), then one
     * {@link Sgemm#sgemm} (D transposed) computes the weight part, with its error bound for k = batch on the scaled
     * rows; the bias sums the same scaled values in double. Cost: the plain gradient SGEMM plus O(batch dOut).
     */
    public static void weightedGradient(int batch, int dOut, int dIn, float[] s, int sOffset,
                                        float[] d, int dOffset, int ldd, float[] x, int xOffset, int ldx, float beta,
                                        float[] gradW, int gradWOffset, int ldgw, float[] gradB, int gradBOffset) {
        checkLayer(batch, dOut, dIn, d, dOffset, ldd, x, xOffset, ldx);
        Checks.ld("ldgw", ldgw, dIn, "gradW", dOut);
        Checks.vector("s", s, sOffset, batch, "weights");
        boolean weights = dOut > 0 && dIn > 0, bias = gradB != null && dOut > 0;
        long gwSpan = weights ? (long) (dOut - 1) * ldgw + dIn : 0;
        if (weights) {
            Checks.matrix("gradW", gradW, gradWOffset, ldgw, "gradW", dOut, dIn);
            Checks.disjoint("gradW", gradW, gradWOffset, gwSpan, "d", d, dOffset, ldd, batch, dOut);
            Checks.disjoint("gradW", gradW, gradWOffset, gwSpan, "x", x, xOffset, ldx, batch, dIn);
            Checks.disjoint("gradW", gradW, gradWOffset, gwSpan, "s", s, sOffset, Math.max(1, batch), 1, batch);
        }
        if (bias) {
            Checks.vector("gradB", gradB, gradBOffset, dOut, "gradB");
            Checks.disjoint("gradB", gradB, gradBOffset, dOut, "d", d, dOffset, ldd, batch, dOut);
            Checks.disjoint("gradB", gradB, gradBOffset, dOut, "x", x, xOffset, ldx, batch, dIn);
            Checks.disjoint("gradB", gradB, gradBOffset, dOut, "s", s, sOffset, Math.max(1, batch), 1, batch);
            Checks.disjointOutputs("gradB", gradB, gradBOffset, dOut, "gradW", gradW, gradWOffset, gwSpan);
        }
        if (!weights && !bias) {
            return;
        }
        float[] sd = Scratch.get().shared(batch * dOut);
        for (int i = 0; i < batch; i++) {
            float w = s[sOffset + i];
            for (int r = 0, p = dOffset + i * ldd, q = i * dOut; r < dOut; r++) {
                sd[q + r] = w * d[p + r];
            }
        }
        if (bias) {
            double[] acc = Scratch.get().doubles(dOut);
            for (int r = 0; r < dOut; r++) {
                acc[r] = beta == 0f ? 0 : (double) beta * gradB[gradBOffset + r];
            }
            for (int i = 0; i < batch; i++) {
                for (int r = 0, q = i * dOut; r < dOut; r++) {
                    acc[r] += sd[q + r];
                }
            }
            for (int r = 0; r < dOut; r++) {
                gradB[gradBOffset + r] = (float) acc[r];
            }
        }
        if (weights) {
            Sgemm.sgemm(true, false, dOut, dIn, batch, 1f, sd, 0, dOut, x, xOffset, ldx, beta, gradW, gradWOffset,
                    ldgw);
        }
    }

    /**
     * Materializes the per-example gradients of coordinates {@code from .. from + count - 1} (numbered as in the
     * class documentation): {@code out[outOffset + i*ldo + q] = g_i[from + q]}, i.e. {@code D[i, r] * X[i, c]}
     * (one float multiply) for weight (r, c) and {@code D[i, r]} for bias r. A B x count block, for users who want
     * the matrix; {@link Aggregate} takes it as input.
     *
     * @param bias whether the layer has a bias (its coordinates follow the weights)
     * @param ldo  row stride of out, {@code >= max(1, count)}
     */
    public static void gradients(int batch, int dOut, int dIn, float[] d, int dOffset, int ldd,
                                 float[] x, int xOffset, int ldx, boolean bias, int from, int count,
                                 float[] out, int outOffset, int ldo) {
        checkLayer(batch, dOut, dIn, d, dOffset, ldd, x, xOffset, ldx);
        long params = (long) dOut * dIn + (bias ? dOut : 0);
        if (from < 0 || count < 0 || from + (long) count > params) {
            throw new IllegalArgumentException("coordinates from=" + from + ", count=" + count + " are outside the "
                    + params + " parameters of the layer (dOut=" + dOut + ", dIn=" + dIn + ", bias=" + bias + ")");
        }
        Checks.ld("ldo", ldo, count, "out", batch);
        if (count == 0 || batch == 0) {
            return;
        }
        Checks.matrix("out", out, outOffset, ldo, "out", batch, count);
        long span = (long) (batch - 1) * ldo + count;
        Checks.disjoint("out", out, outOffset, span, "d", d, dOffset, ldd, batch, dOut);
        Checks.disjoint("out", out, outOffset, span, "x", x, xOffset, ldx, batch, dIn);
        // Coordinates in long: a layer may have more than 2^31 weights (dOut * dIn), and from + count may pass 2^31.
        long weightsEnd = (long) dOut * dIn;
        for (int i = 0; i < batch; i++) {
            int o = outOffset + i * ldo, dp = dOffset + i * ldd, xp = xOffset + i * ldx;
            long p = from, end = from + (long) count;
            while (p < end) {
                int q0 = (int) (p - from);
                if (p >= weightsEnd) {
                    out[o + q0] = d[dp + (int) (p - weightsEnd)];
                    p++;
                    continue;
                }
                int r = (int) (p / dIn), c = (int) (p - (long) r * dIn);
                int n = (int) Math.min(end - p, dIn - c);
                AggregateDriver.ROWS.scale(out, o + q0, d[dp + r], x, xp + c, n);
                p += n;
            }
        }
    }

    /**
     * Per-example Gram matrix of a dense layer, {@code G := (X X^T + [bias]) o (D D^T)} (o: element-wise), or
     * {@code G += ...} when {@code accumulate}: entry (i, j) is the inner product {@code <g_i, g_j>} of the
     * per-example gradients of examples i and j, {@code (x_i . x_j + (bias ? 1 : 0)) (d_i . d_j)}, written to
     * {@code gram[gramOffset + i*ldgram + j]} for {@code i, j < batch} (both triangles, exactly symmetric). A
     * network's Gram matrix is the sum over its layers: call once per layer with {@code accumulate} after the first.
     * The robust aggregators of {@link Aggregate} ({@link Aggregate#krum} ...) and {@link RobustAggregate} need only
     * this matrix, never the B x P per-example gradients.
     *
     * <p><b>Precision.</b> The Gram matrix feeds squared distances {@code ||g_i - g_j||^2 = G_ii + G_jj - 2 G_ij},
     * which cancel when {@code g_i ~ g_j}: an absolute error e in the entries becomes an error 4e in a squared
     * distance however small that distance is. So the products are accumulated in double: a product of two floats is
     * exact in double, the dot products {@code x_i . x_j} and {@code d_i . d_j} are sums of exact products rounded
     * only by double additions, and their product is rounded once, so
     * {@code |G_ij - <g_i, g_j>| <= gamma_d(dIn + dOut + 3) ||g_i|| ||g_j||} ({@code gamma_d(k) = k 2^-53 /
     * (1 - k 2^-53)}; {@code sum_c |x_ic x_jc| + [bias] <= sqrt(||x_i||^2 + [bias]) sqrt(||x_j||^2 + [bias])} by
     * Cauchy-Schwarz), and over the layers of a network, {@code gamma_d(max_l(dIn_l + dOut_l) + 3 + layers)
     * ||g_i|| ||g_j||}. A squared distance formed from G is then within {@code gamma_d(.. + 2)
     * (||g_i|| + ||g_j||)^2} of the exact one, i.e. distances are resolved to about {@code 2^-26 sqrt(dIn + dOut)}
     * times the gradient norms, where float accumulation (the SGEMM's {@code gamma(dIn + 2)}) would resolve only
     * {@code 2^-12 sqrt(dIn)}. These are distances of the exact per-example gradients {@code d_i x_i^T}; the
     * materialized float gradients ({@link #gradients}) differ from them by one rounding per element.
     *
     * <p>Cost: {@code B(B+1)/2 (dIn + dOut)} multiply-adds in double (SIMD on the Vector API), plus converting X and
     * D to double block by block; on the calling thread only, in a fixed order, so the result is the same bits for
     * every thread count (its last bits may differ between vector widths). NaN or Inf in a row of D or X make that
     * row and column of G non-finite.
     *
     * @param ldgram row stride of gram, {@code >= max(1, batch)}
     * @throws IllegalArgumentException  for sizes, leading dimensions, null arrays; nothing is written
     * @throws IndexOutOfBoundsException for offsets and short arrays; nothing is written
     */
    public static void gram(int batch, int dOut, int dIn, float[] d, int dOffset, int ldd, float[] x, int xOffset,
                            int ldx, boolean bias, boolean accumulate, double[] gram, int gramOffset, int ldgram) {
        checkLayer(batch, dOut, dIn, d, dOffset, ldd, x, xOffset, ldx);
        Checks.ld("ldgram", ldgram, batch, "gram", batch);
        Checks.matrix("gram", gram, gramOffset, ldgram, "gram", batch, batch);
        if (batch == 0) {
            return;
        }
        GramDriver.denseLayer(batch, dOut, dIn, d, dOffset, ldd, x, xOffset, ldx, bias, gram, gramOffset, ldgram,
                accumulate);
    }

    private static void checkLayer(int batch, int dOut, int dIn, float[] d, int dOffset, int ldd,
                                   float[] x, int xOffset, int ldx) {
        Checks.size("batch", batch, 0, "examples");
        Checks.size("dOut", dOut, 0, "rows of W");
        Checks.size("dIn", dIn, 0, "columns of W");
        Checks.ld("ldd", ldd, dOut, "D", batch);
        Checks.ld("ldx", ldx, dIn, "X", batch);
        Checks.matrix("d", d, dOffset, ldd, "D", batch, dOut);
        Checks.matrix("x", x, xOffset, ldx, "X", batch, dIn);
    }
}
