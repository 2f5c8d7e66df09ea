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
 * {@link Pass}), derived from {@link ErrorBounds#gamma} and the Lipschitz constants of the activation.
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
         * Σ g_i, when computed with {@link #pass(Loss, Batch, boolean)} and {@code withBounds}.
         */
        public double[] z2Bound, delta2Bound, delta1Bound, sumGradientBound;
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
        double lip = lipschitz(act), lipDeriv = lipschitzOfDerivative(act);
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
                double sumE = 0;
                for (int c = 0; c < k; c++) {
                    sumE += r.z2Bound[i * k + c];
                }
                for (int c = 0; c < k; c++) {
                    // Softmax: ∂p_c/∂z_j = p_c(δ_cj - p_j), so |Δp_c| <= Σ_j |Δz_j|; squared loss: Δδ = Δz. Plus
                    // the float rounding of the delta itself (exp, division, subtraction).
                    double prop = loss instanceof SoftmaxCrossEntropy ? sumE : r.z2Bound[i * k + c];
                    r.delta2Bound[i * k + c] = prop + 4 * u * (Math.abs(r.delta2[i * k + c]) + 1);
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
                            ? (Math.abs(z) <= dz ? 1 : 0) : lipDeriv * dz;
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
                // Σ_i over the batch in SGEMM: γ(B+2) Σ|δ x| plus the propagated errors of δ and of the inputs.
                for (int q = 0; q < m; q++) {
                    double dd = Math.abs(r.delta1[i * m + q]), ed = r.delta1Bound[i * m + q];
                    for (int j = 0; j < d; j++) {
                        double ax = Math.abs(x[i * d + j]);
                        r.sumGradientBound[w1 + q * d + j] += ErrorBounds.gamma(bsz + 2) * dd * ax + ed * ax;
                    }
                    if (b1 >= 0) {
                        r.sumGradientBound[b1 + q] += ErrorBounds.gamma(bsz + 2) * dd + ed;
                    }
                }
                if (!spec.freezeOutput()) {
                    for (int c = 0; c < k; c++) {
                        double dd = Math.abs(r.delta2[i * k + c]), ed = r.delta2Bound[i * k + c];
                        for (int q = 0; q < m; q++) {
                            double ah = Math.abs(r.h[i * m + q]), ehq = eh[i * m + q];
                            r.sumGradientBound[w2 + c * m + q] += ErrorBounds.gamma(bsz + 2) * dd * ah + ed * ah
                                    + (dd + ed) * ehq;
                        }
                        if (b2 >= 0) {
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

    /** Lipschitz constant of σ' (sup |σ''|): tanh 4/(3√3) ≈ 0.77, softplus 1/4, GELU ≈ 0.80 (at 0); 1 bounds all. */
    static double lipschitzOfDerivative(Activation a) {
        return 1;
    }
}
