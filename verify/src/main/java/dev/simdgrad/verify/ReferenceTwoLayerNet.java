package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.SquaredLoss;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.Batch;

/**
 * The scalar twin of {@link TwoLayerNet}: plain loops, one example at a time, everything in double. Same
 * parameter layout as the network (W₁, b₁, W₂, b₂), same mean-loss and per-example-delta conventions as
 * {@link Loss}, and its own double implementation of the losses. Used as the ground truth of the kernel path and,
 * being all double, as the subject of gradient checks by central finite differences.
 *
 * <p>Alongside every quantity it can carry a first-order bound on the error of the float kernel path (see
 * {@link Pass}), derived from {@link ErrorBounds#gamma}, the Lipschitz constants of the activation and the local
 * derivatives of σ' and of the softmax (so that a saturated unit or a confident prediction, whose delta is tiny, gets
 * a bound of its own size rather than one of the size of z). The property tests and the {@code network} and
 * {@code coherence} checks of {@code ./simdgrad verify} all hold the kernel path to these bounds.
 */
public final class ReferenceTwoLayerNet {
    private final NetSpec spec;
    private final double[] theta;
    private final int d, m, k, w1, b1, w2, b2, trainable;
    private final double s;

    /** A reference with the network's spec and its current parameters (converted exactly to double). */
    public ReferenceTwoLayerNet(TwoLayerNet net) {
        this(net.spec(), toDouble(net.parameters()));
    }

    /** A reference with these parameters (layout of {@link TwoLayerNet#parameters()}); not copied. */
    public ReferenceTwoLayerNet(NetSpec spec, double[] theta) {
        this.spec = spec;
        this.theta = theta;
        d = spec.inputs();
        m = spec.hidden();
        k = spec.outputs();
        w1 = 0;
        b1 = spec.hiddenBias() ? m * d : -1;
        int p1 = m * d + (spec.hiddenBias() ? m : 0);
        w2 = p1;
        b2 = spec.outputBias() ? p1 + k * m : -1;
        int p = p1 + k * m + (spec.outputBias() ? k : 0);
        if (theta.length != p) {
            throw new IllegalArgumentException("theta has " + theta.length + " entries, spec needs " + p);
        }
        trainable = spec.freezeOutput() ? p1 : p;
        // The kernel path rounds 1/√m to float once; use the same value so the two compute the same function.
        s = spec.hiddenScale();
    }

    public static double[] toDouble(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }

    public double[] parameters() {
        return theta;
    }

    public int trainableCount() {
        return trainable;
    }

    /** Everything one pass over a batch computes, per example, in double. */
    public static final class Pass {
        /** Mean loss. */
        public double loss;
        /** Per-example losses ℓ_i. */
        public double[] losses;
        /** Z₁, H, Z₂, Δ₂, Δ₁ as B x (m or k) row-major. */
        public double[] z1, h, z2, delta2, delta1;
        /** Per-example gradients over the trainable parameters, B x P_trainable. */
        public double[][] perExample;
        /** Mean gradient (1/B) Σ g_i over the trainable parameters. */
        public double[] meanGradient;
        /**
         * First-order bounds on |float kernel value - this value| for z2, delta2, delta1 and the summed gradient
         * Σ g_i, when computed with {@link #pass(Loss, Batch, boolean)} and {@code withBounds}. Compare a float
         * result with {@link ErrorBounds#ofFloatResult}, which adds half an ulp for its rounding to float.
         */
        public double[] z2Bound, delta2Bound, delta1Bound, sumGradientBound;
        /**
         * Bound on |kernel mean gradient - {@link #meanGradient}|, per coordinate: {@code sumGradientBound / B} (the
         * Mean strategy is the same SGEMM with alpha = fl(1/B)) plus {@code 2u |mean|} for the rounding of 1/B.
         */
        public double[] meanGradientBound;
        /**
         * Bound on the error of each per-example gradient the kernel path holds in factored form, B x P_trainable:
         * |δ̂ x̂ᵀ - δ xᵀ| (exact products of the kernel's float deltas and layer inputs against this reference's),
         * from the propagated bounds of δ and of the hidden activations; no rounding of the product itself (the
         * kernels that consume (Δ, X) form their own, see their bounds).
         */
        public double[][] perExampleBound;
        /**
         * Bound on |kernel mean loss - {@link #loss}|: with e_ic the bound of z₂, |Δℓ_i| <= Σ_c |Δz_ic| for
         * cross-entropy (every |∂ℓ/∂z_c| = |p_c - y_c| <= 1) and <= Σ_c (|r_ic| + |Δz_ic| / 2) |Δz_ic| for the
         * squared loss, both covered by {@code (Σ_ic e_ic) max(1, max_ic |δ_ic| + 1) / B}; plus the allowance
         * {@code 1e-6 |L| + 1e-12} that the property tests have always granted the evaluation of ℓ itself (in
         * double from float z₂; its double roundings are far below it).
         */
        public double lossBound;
    }

    /** Mean loss only. */
    public double loss(Loss loss, Batch batch) {
        return pass(loss, batch, false).loss;
    }

    /**
     * Forward, loss, backward and per-example gradients of the batch.
     *
     * @param withBounds also derive the error bounds of the float kernel path
     */
    public Pass pass(Loss loss, Batch batch, boolean withBounds) {
        int bsz = batch.size();
        float[] x = batch.inputs();
        Activation act = spec.activation();
        double lip = lipschitz(act);
        double u = ErrorBounds.U;
        Pass r = new Pass();
        r.losses = new double[bsz];
        r.z1 = new double[bsz * m];
        r.h = new double[bsz * m];
        r.z2 = new double[bsz * k];
        r.delta2 = new double[bsz * k];
        r.delta1 = new double[bsz * m];
        r.perExample = new double[bsz][trainable];
        r.meanGradient = new double[trainable];
        double[] ez1 = new double[bsz * m], eh = new double[bsz * m], eG = new double[bsz * m];
        if (withBounds) {
            r.z2Bound = new double[bsz * k];
            r.delta2Bound = new double[bsz * k];
            r.delta1Bound = new double[bsz * m];
            r.sumGradientBound = new double[trainable];
            r.meanGradientBound = new double[trainable];
            r.perExampleBound = new double[bsz][trainable];
        }
        double total = 0;
        for (int i = 0; i < bsz; i++) {
            for (int q = 0; q < m; q++) {
                double z = b1 >= 0 ? theta[b1 + q] : 0, mag = b1 >= 0 ? Math.abs(theta[b1 + q]) : 0;
                for (int j = 0; j < d; j++) {
                    z += theta[w1 + q * d + j] * x[i * d + j];
                    mag += Math.abs(theta[w1 + q * d + j] * x[i * d + j]);
                }
                r.z1[i * m + q] = z;
                r.h[i * m + q] = s * act.value(z);
                // SGEMM (d products) plus the bias addition; then σ rounded to float and the product with s.
                ez1[i * m + q] = ErrorBounds.gamma(d + 3) * mag;
                eh[i * m + q] = s * lip * ez1[i * m + q] + 3 * u * Math.abs(r.h[i * m + q]);
            }
            for (int c = 0; c < k; c++) {
                double z = b2 >= 0 ? theta[b2 + c] : 0, mag = b2 >= 0 ? Math.abs(theta[b2 + c]) : 0, prop = 0;
                for (int q = 0; q < m; q++) {
                    z += theta[w2 + c * m + q] * r.h[i * m + q];
                    mag += Math.abs(theta[w2 + c * m + q] * r.h[i * m + q]);
                    prop += Math.abs(theta[w2 + c * m + q]) * eh[i * m + q];
                }
                r.z2[i * k + c] = z;
                if (withBounds) {
                    r.z2Bound[i * k + c] = ErrorBounds.gamma(m + 3) * mag + prop * (1 + ErrorBounds.gamma(m + 3));
                }
            }
            r.losses[i] = lossAndDelta(loss, batch, i, r.z2, r.delta2);
            total += r.losses[i];
            if (withBounds) {
                int o = i * k;
                if (loss instanceof SoftmaxCrossEntropy) {
                    // Softmax: ∂p_c/∂z_j = p_c(δ_cj - p_j). Moving every z_j by at most E = max_j e_j scales
                    // numerator and denominator of each p by at most e^{±E}, so on the whole segment p_j and
                    // 1 - p_c = Σ_{j≠c} p_j grow by at most e^{2E} and the mean value theorem gives
                    // |Δp_c| <= e^{4E} p_c ((1 - p_c) e_c + Σ_{j≠c} p_j e_j): small for a confident prediction,
                    // where the global |Δp_c| <= Σ_j e_j would exceed δ itself.
                    double max = Double.NEGATIVE_INFINITY, sum = 0, emax = 0;
                    for (int c = 0; c < k; c++) {
                        max = Math.max(max, r.z2[o + c]);
                        emax = Math.max(emax, r.z2Bound[o + c]);
                    }
                    double[] pr = new double[k];
                    for (int c = 0; c < k; c++) {
                        pr[c] = Math.exp(r.z2[o + c] - max);
                        sum += pr[c];
                    }
                    for (int c = 0; c < k; c++) {
                        pr[c] /= sum;
                    }
                    double grow = Math.exp(4 * emax);
                    for (int c = 0; c < k; c++) {
                        double others = 0, cross = 0;
                        for (int j = 0; j < k; j++) {
                            if (j != c) {
                                others += pr[j];
                                cross += pr[j] * r.z2Bound[o + j];
                            }
                        }
                        r.delta2Bound[o + c] = grow * pr[c] * (others * r.z2Bound[o + c] + cross);
                    }
                } else {
                    // Squared loss: Δδ = Δz.
                    System.arraycopy(r.z2Bound, o, r.delta2Bound, o, k);
                }
                for (int c = 0; c < k; c++) {
                    // Plus the float rounding of the delta itself (exp, division, subtraction).
                    r.delta2Bound[o + c] += 4 * u * (Math.abs(r.delta2[o + c]) + 1);
                }
            }
            for (int q = 0; q < m; q++) {
                double g = 0, mag = 0, prop = 0;
                for (int c = 0; c < k; c++) {
                    g += r.delta2[i * k + c] * theta[w2 + c * m + q];
                    mag += Math.abs(r.delta2[i * k + c] * theta[w2 + c * m + q]);
                    if (withBounds) {
                        prop += r.delta2Bound[i * k + c] * Math.abs(theta[w2 + c * m + q]);
                    }
                }
                double z = r.z1[i * m + q];
                r.delta1[i * m + q] = g * s * act.derivative(z);
                if (withBounds) {
                    double eg = ErrorBounds.gamma(k + 2) * mag + prop * (1 + ErrorBounds.gamma(k + 2));
                    eG[i * m + q] = eg;
                    double dz = ez1[i * m + q];
                    // A kink of ReLU closer than the error of z₁ may flip σ': then only |G| s bounds the error.
                    double derivErr = act == Activation.RELU
                            ? (Math.abs(z) <= dz ? 1 : 0)
                            : derivativeLipschitzNear(act, z, dz) * dz + 2 * derivativeEvaluationError(act, z, dz);
                    r.delta1Bound[i * m + q] = s * (Math.abs(act.derivative(z)) * eg + (Math.abs(g) + eg) * derivErr)
                            + 4 * u * Math.abs(r.delta1[i * m + q]);
                }
            }
            double[] gi = r.perExample[i];
            for (int q = 0; q < m; q++) {
                for (int j = 0; j < d; j++) {
                    gi[w1 + q * d + j] = r.delta1[i * m + q] * x[i * d + j];
                }
                if (b1 >= 0) {
                    gi[b1 + q] = r.delta1[i * m + q];
                }
            }
            if (!spec.freezeOutput()) {
                for (int c = 0; c < k; c++) {
                    for (int q = 0; q < m; q++) {
                        gi[w2 + c * m + q] = r.delta2[i * k + c] * r.h[i * m + q];
                    }
                    if (b2 >= 0) {
                        gi[b2 + c] = r.delta2[i * k + c];
                    }
                }
            }
            if (withBounds) {
                // Per example: the propagated errors of δ and of the layer inputs (x exact, h within eh). Σ_i over
                // the batch in SGEMM: γ(B+2) Σ|δ x| plus those.
                double[] ei = r.perExampleBound[i];
                for (int q = 0; q < m; q++) {
                    double dd = Math.abs(r.delta1[i * m + q]), ed = r.delta1Bound[i * m + q];
                    for (int j = 0; j < d; j++) {
                        double ax = Math.abs(x[i * d + j]);
                        ei[w1 + q * d + j] = ed * ax;
                        r.sumGradientBound[w1 + q * d + j] += ErrorBounds.gamma(bsz + 2) * dd * ax
                                + ei[w1 + q * d + j];
                    }
                    if (b1 >= 0) {
                        ei[b1 + q] = ed;
                        r.sumGradientBound[b1 + q] += ErrorBounds.gamma(bsz + 2) * dd + ed;
                    }
                }
                if (!spec.freezeOutput()) {
                    for (int c = 0; c < k; c++) {
                        double dd = Math.abs(r.delta2[i * k + c]), ed = r.delta2Bound[i * k + c];
                        for (int q = 0; q < m; q++) {
                            double ah = Math.abs(r.h[i * m + q]), ehq = eh[i * m + q];
                            ei[w2 + c * m + q] = ed * ah + (dd + ed) * ehq;
                            r.sumGradientBound[w2 + c * m + q] += ErrorBounds.gamma(bsz + 2) * dd * ah
                                    + ei[w2 + c * m + q];
                        }
                        if (b2 >= 0) {
                            ei[b2 + c] = ed;
                            r.sumGradientBound[b2 + c] += ErrorBounds.gamma(bsz + 2) * dd + ed;
                        }
                    }
                }
            }
            for (int p = 0; p < trainable; p++) {
                r.meanGradient[p] += gi[p];
            }
        }
        for (int p = 0; p < trainable; p++) {
            r.meanGradient[p] /= Math.max(bsz, 1);
        }
        r.loss = bsz == 0 ? 0 : total / bsz;
        if (withBounds) {
            for (int p = 0; p < trainable; p++) {
                r.meanGradientBound[p] = r.sumGradientBound[p] / Math.max(bsz, 1)
                        + 2 * u * Math.abs(r.meanGradient[p]);
            }
            double sumE = 0, maxResidual = 1;
            for (double e : r.z2Bound) {
                sumE += e;
            }
            for (double v : r.delta2) {
                maxResidual = Math.max(maxResidual, Math.abs(v) + 1);
            }
            r.lossBound = sumE * maxResidual / Math.max(bsz, 1) + 1e-6 * Math.abs(r.loss) + 1e-12;
        }
        return r;
    }

    /** ℓ_i and δ_i = ∂ℓ_i/∂z_i of example i, in double. */
    private double lossAndDelta(Loss loss, Batch batch, int i, double[] z, double[] delta) {
        int o = i * k;
        if (loss instanceof SoftmaxCrossEntropy) {
            int y = batch.labels()[i];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, z[o + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[o + c] - max);
            }
            for (int c = 0; c < k; c++) {
                delta[o + c] = Math.exp(z[o + c] - max) / sum - (c == y ? 1 : 0);
            }
            return max + Math.log(sum) - z[o + y];
        } else if (loss instanceof SquaredLoss) {
            double l = 0;
            for (int c = 0; c < k; c++) {
                double t = batch.targets() != null ? batch.targets()[i * k + c] : (batch.labels()[i] == c ? 1 : 0);
                double r = z[o + c] - t;
                delta[o + c] = r;
                l += 0.5 * r * r;
            }
            return l;
        }
        throw new IllegalArgumentException("no reference for loss " + loss);
    }

    /** Mean gradient over the trainable parameters. */
    public double[] gradient(Loss loss, Batch batch) {
        return pass(loss, batch, false).meanGradient;
    }

    /**
     * ∇²L · v by central differences of the analytic double gradient: (∇L(θ + hv) - ∇L(θ - hv)) / 2h, error O(h²)
     * for smooth activations.
     */
    public double[] hessianVectorProductByDifferences(Loss loss, Batch batch, double[] v, double h) {
        double[] plus = shifted(v, h).gradient(loss, batch);
        double[] minus = shifted(v, -h).gradient(loss, batch);
        double[] out = new double[trainable];
        for (int p = 0; p < trainable; p++) {
            out[p] = (plus[p] - minus[p]) / (2 * h);
        }
        return out;
    }

    /** A reference at θ + t·v (v over the trainable parameters). */
    public ReferenceTwoLayerNet shifted(double[] v, double t) {
        double[] th = theta.clone();
        for (int p = 0; p < trainable; p++) {
            th[p] += t * v[p];
        }
        return new ReferenceTwoLayerNet(spec, th);
    }

    /** Lipschitz constant of σ: 1 for ReLU, tanh, softplus; max σ' ≈ 1.129 for the tanh-form GELU (1.13 here). */
    static double lipschitz(Activation a) {
        return a == Activation.GELU ? 1.13 : 1;
    }

    /**
     * A Lipschitz constant of σ' on [z - dz, z + dz], i.e. an upper bound of |σ''| there, so that a z₁ within dz of
     * the reference moves σ'(z₁) by at most this times dz. Global sups: tanh 4/(3√3) ≈ 0.77, softplus 1/4, GELU
     * ≈ 0.80 (at 0); 1 bounds all. Locally far less where σ saturates (σ' near 0 or 1), which matters for the
     * relative error of small deltas. With w₀ = max(0, |z| - dz), the interval's point nearest 0, and
     * w₁ = |z| + dz:
     * <ul>
     *   <li>tanh: σ'' = -2t(1 - t²), t = tanh z, so |σ''| <= 2(1 - tanh² w₀) (1 - t² falls with |z|);</li>
     *   <li>softplus: σ' is the logistic function, σ'' = e^{-|z|} / (1 + e^{-|z|})², falling with |z|: its value at
     *   w₀;</li>
     *   <li>GELU (tanh form, t = tanh u, u = c(z + a z³)): σ'' = (1 - t²)(u' - z t u'² + z u''/2), so
     *   |σ''| <= (1 - tanh² u(w₀)) (u'(w₁) + w₁ u'(w₁)² + w₁ |u''(w₁)| / 2), u being odd and increasing and the
     *   polynomial factors increasing in |z|.</li>
     * </ul>
     * Each is capped at 1. Not used for ReLU (σ' is a step: see the kink rule in {@link #pass}).
     */
    static double derivativeLipschitzNear(Activation a, double z, double dz) {
        double w0 = Math.max(0, Math.abs(z) - dz), w1 = Math.abs(z) + dz;
        double local = switch (a) {
            case TANH -> 2 * sech2(w0);
            case SOFTPLUS -> {
                double e = Math.exp(-w0);
                yield e / ((1 + e) * (1 + e));
            }
            case GELU -> {
                double c = Math.sqrt(2 / Math.PI), k = 0.044715;
                double du = c * (1 + 3 * k * w1 * w1), ddu = 6 * k * c * w1;
                yield sech2(c * (w0 + k * w0 * w0 * w0)) * (du + w1 * du * du + 0.5 * w1 * ddu);
            }
            case IDENTITY -> 0;   // σ' is constant
            case RELU -> 1;
        };
        return Math.min(1, local);
    }

    /**
     * A bound on the absolute error of σ'(w) evaluated in double by the formulas of {@link Activation} (the kernel's
     * are the same, at its float z₁) for |w| <= |z| + dz; the δ₁ bound counts it twice, once for each side. Standard
     * model, u_d = 2^-53 per operation, {@code Math.tanh} within 2.5 ulps (5 u_d), {@code Math.exp} within 1 ulp:
     * <ul>
     *   <li>tanh, 1 - t²: 5 u_d in t, doubled by the square, one rounding each for the square and the difference:
     *   <= 12 u_d;</li>
     *   <li>softplus, the logistic function e/(1 + e) or 1/(1 + e^-z): <= 6 u_d relative, and σ' <= 1;</li>
     *   <li>GELU, (1 + t)/2 + z (1 - t²) u'/2: u carries 5 u_d (no cancellation, z and z³ agree in sign), so t is
     *   within 5 u_d (1 + (1 - t²)|u|) <= 7.25 u_d ((1 - t²)|u| <= 0.45); the first term within 4.7 u_d, the second
     *   within 24.5 u_d |z| u' / 2 (1 - t² within 2|Δt| + 2 u_d, u' within 5 u_d, three products), the sum one more
     *   (σ' <= 1.13): <= 6 u_d + 12.3 u_d |z| u', rounded up to 13 u_d (1 + |z| u').</li>
     * </ul>
     * These matter where σ' is tiny and the formula cancels (GELU far left: 1 + t and 1 - t² both near 0), where the
     * error of the evaluation exceeds what the error of z₁ moves σ'.
     */
    static double derivativeEvaluationError(Activation a, double z, double dz) {
        double w1 = Math.abs(z) + dz;
        return switch (a) {
            case TANH -> 12 * ErrorBounds.U_DOUBLE;
            case SOFTPLUS -> 6 * ErrorBounds.U_DOUBLE;
            case GELU -> 13 * ErrorBounds.U_DOUBLE * (1 + w1 * Math.sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * w1 * w1));
            case RELU, IDENTITY -> 0;
        };
    }

    /** 1 - tanh² u = 4e^{-2u} / (1 + e^{-2u})² for u >= 0, without the cancellation of 1 - t·t near saturation. */
    private static double sech2(double u) {
        double e = Math.exp(-2 * u);
        return 4 * e / ((1 + e) * (1 + e));
    }
}
