package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Architecture;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.LayerSpec;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.SquaredLoss;
import dev.simdgrad.nn.data.Batch;

/**
 * The scalar twin of {@link DenseNetwork} at any depth: plain loops, one example at a time, everything in double.
 * Same parameter layout (per layer W row-major, then b) and gradient layout (the trainable layers only, in order) as
 * the network, its own offsets computed from the {@link Architecture}, and its own double implementation of the
 * losses. Ground truth of the kernel path and, being all double, the subject of gradient checks by central finite
 * differences.
 *
 * <p>With {@code withBounds} a pass also derives first-order bounds on the error of the float kernel path, layer by
 * layer, as {@link ReferenceTwoLayerNet} does for two layers (and equal to its bounds there): per unit, SGEMM's
 * γ(n + 3)·Σ|w a| (the bias addition included) plus the propagated error Σ|w|·e_a of the layer's float input; an
 * activation a = s σ(z) moves by at most s·Lip(σ)·e_z plus 3u|a| for its own roundings; the output deltas as the
 * two-layer reference bounds them (the local softmax rule, or Δδ = Δz); a backward G by γ(n + 2)·Σ|δ w| plus
 * Σ e_δ |w|; a delta δ = G s σ'(z) by s(|σ'| e_G + (|G| + e_G)·(the movement of σ' over the error of z)) + 4u|δ|;
 * a per-example gradient δ aᵀ by e_δ|a| + (|δ| + e_δ) e_a; the mean gradient by γ(B + 2) Σ_i |δ a| + Σ_i e per
 * coordinate, over B, plus 2u for the rounding of 1/B.
 */
public final class ReferenceDenseNetwork {
    private final Architecture arch;
    private final double[] theta;
    private final int layers, trainable;
    private final int[] w, bias, gw, gb;
    private final double[] scale;

    /** A reference with the network's architecture and current parameters (converted exactly to double). */
    public ReferenceDenseNetwork(DenseNetwork net) {
        this(net.architecture(), ReferenceTwoLayerNet.toDouble(net.parameters()));
    }

    /** A reference with these parameters (layout of {@link DenseNetwork#parameters()}); not copied. */
    public ReferenceDenseNetwork(Architecture arch, double[] theta) {
        this.arch = arch;
        this.theta = theta;
        layers = arch.layerCount();
        w = new int[layers];
        bias = new int[layers];
        gw = new int[layers];
        gb = new int[layers];
        scale = new double[layers];
        int p = 0, g = 0;
        for (int l = 0; l < layers; l++) {
            LayerSpec s = arch.layer(l);
            int size = s.outputs() * s.inputs();
            w[l] = p;
            bias[l] = s.bias() ? p + size : -1;
            p += size + (s.bias() ? s.outputs() : 0);
            if (s.frozen()) {
                gw[l] = -1;
                gb[l] = -1;
            } else {
                gw[l] = g;
                gb[l] = s.bias() ? g + size : -1;
                g += size + (s.bias() ? s.outputs() : 0);
            }
            // The kernel path rounds 1/√n to float once; use the same value so the two compute the same function.
            scale[l] = arch.activationScale(l);
        }
        if (theta.length != p) {
            throw new IllegalArgumentException("theta has " + theta.length + " entries, " + arch + " needs " + p);
        }
        trainable = g;
    }

    /** The live parameters θ (not a copy; the finite-difference checks move entries and put them back). */
    public double[] parameters() {
        return theta;
    }

    /** Number of trainable parameters, the length of a gradient. */
    public int trainableCount() {
        return trainable;
    }

    /** The architecture this reference computes. */
    public Architecture architecture() {
        return arch;
    }

    /** Offset of layer l's weight gradient in a gradient vector, -1 when frozen. */
    public int gradientWeightOffset(int l) {
        return gw[l];
    }

    /** Offset of layer l's bias gradient, -1 when frozen or without bias. */
    public int gradientBiasOffset(int l) {
        return gb[l];
    }

    /** Everything one pass over a batch computes, per example, in double; per-layer arrays are B x n_l. */
    public static final class Pass {
        /** Mean loss. */
        public double loss;
        /** Per-example losses ℓ_i. */
        public double[] losses;
        /** Per layer: pre-activations Z_l, activations A_l (null for the output layer), deltas Δ_l. */
        public double[][] z, a, delta;
        /** Per-example gradients over the trainable parameters, B x P_trainable. */
        public double[][] perExample;
        /** Mean gradient (1/B) Σ g_i over the trainable parameters. */
        public double[] meanGradient;
        /** Per layer, bounds on the float kernel path's Z, A and Δ (meaningful with {@code withBounds}). */
        public double[][] zBound, aBound, deltaBound;
        /** Bounds on the kernel's Σ g_i and mean gradient per coordinate (Sum, and Mean with alpha = fl(1/B)). */
        public double[] sumGradientBound, meanGradientBound;
        /** Per-example gradient bounds, B x P_trainable (no rounding of the product itself). */
        public double[][] perExampleBound;
        /** Bound on |kernel mean loss - loss|, as {@link ReferenceTwoLayerNet.Pass#lossBound}. */
        public double lossBound;
    }

    /** Mean loss only. */
    public double loss(Loss loss, Batch batch) {
        return pass(loss, batch, false).loss;
    }

    /** Mean gradient over the trainable parameters. */
    public double[] gradient(Loss loss, Batch batch) {
        return pass(loss, batch, false).meanGradient;
    }

    /**
     * Forward, loss, backward and per-example gradients of the batch.
     *
     * @param withBounds also derive the error bounds of the float kernel path
     */
    public Pass pass(Loss loss, Batch batch, boolean withBounds) {
        int bsz = batch.size(), k = arch.outputs();
        float[] x = batch.inputs();
        double u = ErrorBounds.U;
        Pass r = new Pass();
        r.losses = new double[bsz];
        r.z = new double[layers][];
        r.a = new double[layers][];
        r.delta = new double[layers][];
        r.zBound = new double[layers][];
        r.aBound = new double[layers][];
        r.deltaBound = new double[layers][];
        double[][] gBack = new double[layers][], gBound = new double[layers][];
        for (int l = 0; l < layers; l++) {
            int n = bsz * arch.layer(l).outputs();
            r.z[l] = new double[n];
            r.delta[l] = new double[n];
            r.zBound[l] = new double[n];
            r.deltaBound[l] = new double[n];
            gBack[l] = new double[n];
            gBound[l] = new double[n];
            if (l < layers - 1) {
                r.a[l] = new double[n];
                r.aBound[l] = new double[n];
            }
        }
        r.perExample = new double[bsz][trainable];
        r.meanGradient = new double[trainable];
        r.sumGradientBound = new double[trainable];
        r.meanGradientBound = new double[trainable];
        r.perExampleBound = new double[bsz][trainable];
        double total = 0;
        for (int i = 0; i < bsz; i++) {
            // Forward.
            for (int l = 0; l < layers; l++) {
                LayerSpec s = arch.layer(l);
                int in = s.inputs(), out = s.outputs();
                for (int q = 0; q < out; q++) {
                    double z = bias[l] >= 0 ? theta[bias[l] + q] : 0, mag = Math.abs(z), prop = 0;
                    for (int j = 0; j < in; j++) {
                        double wv = theta[w[l] + q * in + j], av = input(r, x, l, i, j, in);
                        z += wv * av;
                        mag += Math.abs(wv * av);
                        if (l > 0) {
                            prop += Math.abs(wv) * r.aBound[l - 1][i * in + j];
                        }
                    }
                    int e = i * out + q;
                    r.z[l][e] = z;
                    double gam = ErrorBounds.gamma(in + 3);
                    r.zBound[l][e] = gam * mag + prop * (1 + gam);
                    if (l < layers - 1) {
                        Activation act = s.activation();
                        r.a[l][e] = scale[l] * act.value(z);
                        r.aBound[l][e] = scale[l] * ReferenceTwoLayerNet.lipschitz(act) * r.zBound[l][e]
                                + 3 * u * Math.abs(r.a[l][e]);
                    }
                }
            }
            r.losses[i] = lossAndDelta(loss, batch, i, r.z[layers - 1], r.delta[layers - 1]);
            total += r.losses[i];
            if (withBounds) {
                outputDeltaBound(loss, r, i, k);
            }
            // Backward, every layer (frozen ones too: the deltas below pass through them).
            for (int l = layers - 1; l > 0; l--) {
                LayerSpec s = arch.layer(l), below = arch.layer(l - 1);
                int in = s.inputs(), out = s.outputs();
                Activation act = below.activation();
                for (int q = 0; q < in; q++) {
                    double g = 0, mag = 0, prop = 0;
                    for (int c = 0; c < out; c++) {
                        double wv = theta[w[l] + c * in + q];
                        g += r.delta[l][i * out + c] * wv;
                        mag += Math.abs(r.delta[l][i * out + c] * wv);
                        prop += r.deltaBound[l][i * out + c] * Math.abs(wv);
                    }
                    int e = i * in + q;
                    double z = r.z[l - 1][e];
                    gBack[l - 1][e] = g;
                    r.delta[l - 1][e] = g * scale[l - 1] * act.derivative(z);
                    double eg = ErrorBounds.gamma(out + 2) * mag + prop * (1 + ErrorBounds.gamma(out + 2));
                    gBound[l - 1][e] = eg;
                    double dz = r.zBound[l - 1][e];
                    // A kink of ReLU closer than the error of z may flip σ': then only |G| s bounds the error.
                    double derivErr = act == Activation.RELU
                            ? (Math.abs(z) <= dz ? 1 : 0)
                            : ReferenceTwoLayerNet.derivativeLipschitzNear(act, z, dz) * dz
                              + 2 * ReferenceTwoLayerNet.derivativeEvaluationError(act, z, dz);
                    r.deltaBound[l - 1][e] = scale[l - 1] * (Math.abs(act.derivative(z)) * eg
                            + (Math.abs(g) + eg) * derivErr) + 4 * u * Math.abs(r.delta[l - 1][e]);
                }
            }
            // Per-example gradients of the trainable layers and their bounds.
            double[] gi = r.perExample[i], ei = r.perExampleBound[i];
            for (int l = 0; l < layers; l++) {
                if (gw[l] < 0) {
                    continue;
                }
                int in = arch.layer(l).inputs(), out = arch.layer(l).outputs();
                for (int q = 0; q < out; q++) {
                    double dd = r.delta[l][i * out + q], ed = r.deltaBound[l][i * out + q];
                    for (int j = 0; j < in; j++) {
                        double av = input(r, x, l, i, j, in), ea = l == 0 ? 0 : r.aBound[l - 1][i * in + j];
                        int o = gw[l] + q * in + j;
                        gi[o] = dd * av;
                        ei[o] = ed * Math.abs(av) + (Math.abs(dd) + ed) * ea;
                        r.sumGradientBound[o] += ErrorBounds.gamma(bsz + 2) * Math.abs(dd * av) + ei[o];
                    }
                    if (gb[l] >= 0) {
                        gi[gb[l] + q] = dd;
                        ei[gb[l] + q] = ed;
                        r.sumGradientBound[gb[l] + q] += ErrorBounds.gamma(bsz + 2) * Math.abs(dd) + ed;
                    }
                }
            }
            for (int p = 0; p < trainable; p++) {
                r.meanGradient[p] += gi[p];
            }
        }
        for (int p = 0; p < trainable; p++) {
            r.meanGradient[p] /= Math.max(bsz, 1);
            r.meanGradientBound[p] = r.sumGradientBound[p] / Math.max(bsz, 1) + 2 * u * Math.abs(r.meanGradient[p]);
        }
        r.loss = bsz == 0 ? 0 : total / bsz;
        if (withBounds) {
            double sumE = 0, maxResidual = 1;
            for (double e : r.zBound[layers - 1]) {
                sumE += e;
            }
            for (double v : r.delta[layers - 1]) {
                maxResidual = Math.max(maxResidual, Math.abs(v) + 1);
            }
            r.lossBound = sumE * maxResidual / Math.max(bsz, 1) + 1e-6 * Math.abs(r.loss) + 1e-12;
        }
        return r;
    }

    private static double input(Pass r, float[] x, int l, int i, int j, int in) {
        return l == 0 ? x[i * in + j] : r.a[l - 1][i * in + j];
    }

    /** The output-delta bound of example i, as {@link ReferenceTwoLayerNet} derives it. */
    private static void outputDeltaBound(Loss loss, Pass r, int i, int k) {
        int last = r.z.length - 1, o = i * k;
        double[] z = r.z[last], zb = r.zBound[last], db = r.deltaBound[last], delta = r.delta[last];
        if (loss instanceof SoftmaxCrossEntropy) {
            double max = Double.NEGATIVE_INFINITY, sum = 0, emax = 0;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, z[o + c]);
                emax = Math.max(emax, zb[o + c]);
            }
            double[] pr = new double[k];
            for (int c = 0; c < k; c++) {
                pr[c] = Math.exp(z[o + c] - max);
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
                        cross += pr[j] * zb[o + j];
                    }
                }
                db[o + c] = grow * pr[c] * (others * zb[o + c] + cross);
            }
        } else {
            System.arraycopy(zb, o, db, o, k);
        }
        for (int c = 0; c < k; c++) {
            db[o + c] += 4 * ErrorBounds.U * (Math.abs(delta[o + c]) + 1);
        }
    }

    /** ℓ_i and δ_i = ∂ℓ_i/∂z_i of example i, in double. */
    private double lossAndDelta(Loss loss, Batch batch, int i, double[] z, double[] delta) {
        int k = arch.outputs(), o = i * k;
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
                double res = z[o + c] - t;
                delta[o + c] = res;
                l += 0.5 * res * res;
            }
            return l;
        }
        throw new IllegalArgumentException("no reference for loss " + loss);
    }

    /** Maps a gradient-layout index to its parameter index. */
    public int parameterIndex(int gradientIndex) {
        for (int l = 0; l < layers; l++) {
            if (gw[l] < 0) {
                continue;
            }
            int size = arch.layer(l).outputs() * arch.layer(l).inputs() + (bias[l] >= 0 ? arch.layer(l).outputs() : 0);
            if (gradientIndex >= gw[l] && gradientIndex < gw[l] + size) {
                return w[l] + gradientIndex - gw[l];
            }
        }
        throw new IllegalArgumentException("gradient index " + gradientIndex + " out of [0, " + trainable + ")");
    }

    /** A reference at θ + t·v (v in the gradient layout). */
    public ReferenceDenseNetwork shifted(double[] v, double t) {
        double[] th = theta.clone();
        for (int p = 0; p < trainable; p++) {
            th[parameterIndex(p)] += t * v[p];
        }
        return new ReferenceDenseNetwork(arch, th);
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

    /** R(θ) = ½‖∇L(θ)‖² over the trainable parameters, in double. */
    public double halfSquaredGradientNorm(Loss loss, Batch batch) {
        double s = 0;
        for (double g : gradient(loss, batch)) {
            s += g * g;
        }
        return 0.5 * s;
    }
}
