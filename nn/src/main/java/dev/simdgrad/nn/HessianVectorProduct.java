package dev.simdgrad.nn;

import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.nn.data.Batch;

import java.util.Arrays;

/**
 * Exact Hessian-vector product of the mean loss of a {@link DenseNetwork}, by forward-over-reverse differentiation
 * (Pearlmutter 1994, the R-operator) written out for dense layers: the forward and backward passes are
 * differentiated in the direction v = (V_l, c_l) of the trainable layers (V = 0, c = 0 for frozen ones; dots denote
 * directional derivatives, A₀ = X, Ȧ = 0 below the lowest trainable layer ℓ₀). With P_l = s σ'(Z_l) and
 * Q_l = s σ''(Z_l):
 * <pre>
 *   Ż_l = Ȧ_{l-1} W_lᵀ + A_{l-1} V_lᵀ + 1c_lᵀ        Ȧ_l = P_l ⊙ Ż_l                 (l = ℓ₀ .. L, upwards)
 *   Δ̇_L = [∇²_z ℓ_i · ż_Lᵢ]                                                   (the loss's output Hessian)
 *   Ġ_l = Δ̇_{l+1} W_{l+1} + Δ_{l+1} V_{l+1}       Δ̇_l = Ġ_l ⊙ P_l + G_l ⊙ Q_l ⊙ Ż_l   (downwards to ℓ₀)
 *   (Hv)_{W_l} = (1/B)(Δ̇_lᵀ A_{l-1} + Δ_lᵀ Ȧ_{l-1})     (Hv)_{b_l} = (1/B) 1ᵀΔ̇_l
 * </pre>
 * Cost: up to 6 matrix products of the forward's size per layer (2 tangent forward, 2 tangent backward, 2 for the
 * blocks), on top of the forward and backward that produced Z, A, G, Δ. For the two-layer network this is the same
 * sequence of operations, bit for bit, as the two-layer formula it generalizes.
 */
final class HessianVectorProduct {
    private HessianVectorProduct() {
    }

    static void compute(DenseNetwork net, Loss loss, Batch batch, Workspace ws, float[] v, float[] out) {
        Architecture arch = net.architecture();
        int bsz = ws.batch, layers = arch.layerCount(), lo = net.lowestTrainable();
        if (bsz == 0) {
            Arrays.fill(out, 0, net.trainableCount(), 0f);
            return;
        }
        ws.ensureTangents();
        float[] x = batch.inputs(), theta = net.parameters();
        // Tangent forward.
        for (int l = lo; l < layers; l++) {
            LayerSpec s = arch.layer(l);
            int in = s.inputs(), o = s.outputs(), gw = net.gradientWeightOffset(l), gb = net.gradientBiasOffset(l);
            float[] input = l == 0 ? x : ws.a[l - 1], zd = ws.zDot[l];
            if (l == lo) {
                Sgemm.sgemm(false, true, bsz, o, in, 1f, input, 0, in, v, gw, in, 0f, zd, 0, o);
            } else {
                Sgemm.sgemm(false, true, bsz, o, in, 1f, ws.aDot[l - 1], 0, in, theta, net.weightOffset(l), in, 0f,
                        zd, 0, o);
                if (!s.frozen()) {
                    Sgemm.sgemm(false, true, bsz, o, in, 1f, input, 0, in, v, gw, in, 1f, zd, 0, o);
                }
            }
            if (gb >= 0) {
                DenseNetwork.addRowVector(zd, bsz, o, v, gb);
            }
            if (l < layers - 1) {
                float[] p = ws.p[l], ad = ws.aDot[l];
                for (int e = 0; e < bsz * o; e++) {
                    ad[e] = p[e] * zd[e];
                }
            }
        }
        // Tangent backward.
        int k = arch.outputs();
        loss.hessianProduct(ws.z[layers - 1], k, batch, ws.zDot[layers - 1], ws.dDot[layers - 1]);
        for (int l = layers - 1; l > lo; l--) {
            LayerSpec s = arch.layer(l);
            int in = s.inputs(), o = s.outputs();
            float[] dd = ws.dDot[l - 1];
            Sgemm.sgemm(false, false, bsz, in, o, 1f, ws.dDot[l], 0, o, theta, net.weightOffset(l), in, 0f, dd, 0,
                    in);
            if (!s.frozen()) {
                Sgemm.sgemm(false, false, bsz, in, o, 1f, ws.d[l], 0, o, v, net.gradientWeightOffset(l), in, 1f, dd,
                        0, in);
            }
            Activation act = arch.layer(l - 1).activation();
            // σ'' = 0: ReLU almost everywhere, identity everywhere; no second term.
            boolean curved = act.isSmooth() && act != Activation.IDENTITY;
            float sc = arch.activationScale(l - 1);
            float[] p = ws.p[l - 1], g = ws.g[l - 1], z = ws.z[l - 1], zd = ws.zDot[l - 1];
            for (int e = 0; e < bsz * in; e++) {
                double t = (double) dd[e] * p[e];
                if (curved) {
                    t += g[e] * (sc * act.secondDerivative(z[e])) * zd[e];
                }
                dd[e] = (float) t;
            }
        }
        // The blocks of H v.
        float inv = 1f / bsz;
        for (int l = lo; l < layers; l++) {
            LayerSpec s = arch.layer(l);
            if (s.frozen()) {
                continue;
            }
            int in = s.inputs(), o = s.outputs(), gw = net.gradientWeightOffset(l), gb = net.gradientBiasOffset(l);
            float[] input = l == 0 ? x : ws.a[l - 1];
            Sgemm.sgemm(true, false, o, in, bsz, inv, ws.dDot[l], 0, o, input, 0, in, 0f, out, gw, in);
            if (l > lo) {
                Sgemm.sgemm(true, false, o, in, bsz, inv, ws.d[l], 0, o, ws.aDot[l - 1], 0, in, 1f, out, gw, in);
            }
            if (gb >= 0) {
                Sgemm.sgemm(false, false, 1, o, bsz, inv, ws.ones, 0, bsz, ws.dDot[l], 0, o, 0f, out, gb, o);
            }
        }
    }
}
