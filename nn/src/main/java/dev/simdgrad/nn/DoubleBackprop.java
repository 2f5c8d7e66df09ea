package dev.simdgrad.nn;

import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.nn.data.Batch;

import java.util.Arrays;

/**
 * ∇_θ R for R = ½‖g‖², g = ∇L(θ), by double backpropagation (Drucker &amp; LeCun 1992): reverse-mode
 * differentiation of the computation that produced g, i.e. of the forward pass, the backward pass and the gradient
 * blocks g_{W_l} = (1/B) Δ_lᵀ A_{l-1}, g_{b_l} = (1/B) Δ_lᵀ1, as an automatic-differentiation system computes the
 * gradient of a penalty on the gradient. Bars denote adjoints ∂R/∂(·); ℓ₀ is the lowest trainable layer, [l ∈ T]
 * selects trainable layers, Q_l = s σ''(Z_l).
 * <pre>
 *   adjoint of the gradient blocks and of the backward pass, upwards l = ℓ₀ .. L:
 *     Δ̄_l = [l ∈ T] (1/B)(A_{l-1} g_{W_l}ᵀ + 1 g_{b_l}ᵀ) + [l &gt; ℓ₀] Ḡ_{l-1} W_lᵀ,     Ḡ_l = Δ̄_l ⊙ P_l
 *   adjoint of the loss gradient:   Z̄_L = [∇²_z ℓ_i · δ̄_Lᵢ]
 *   adjoint of the forward pass, downwards l = L .. ℓ₀:
 *     W̄_l = Z̄_lᵀ A_{l-1} + [l &gt; ℓ₀] Δ_lᵀ Ḡ_{l-1},   b̄_l = 1ᵀ Z̄_l                         (l ∈ T)
 *     Ā_{l-1} = Z̄_l W_l + [l ∈ T] (1/B) Δ_l g_{W_l},   Z̄_{l-1} = Ā_{l-1} ⊙ P_{l-1} + Δ̄_{l-1} ⊙ G_{l-1} ⊙ Q_{l-1}
 * </pre>
 * The result (W̄, b̄) equals ∇²L·g, which {@link HessianVectorProduct} computes forward-over-reverse; this is the
 * other order of differentiation, with its own cost: up to 6 matrix products of the forward's size per layer (two in
 * the upward sweep, four in the downward one) and a Hessian product of the loss.
 */
final class DoubleBackprop {
    private DoubleBackprop() {
    }

    static void compute(DenseNetwork net, Loss loss, Batch batch, Workspace ws, float[] grad, float[] out) {
        Architecture arch = net.architecture();
        int bsz = ws.batch, layers = arch.layerCount(), lo = net.lowestTrainable();
        if (bsz == 0) {
            Arrays.fill(out, 0, net.trainableCount(), 0f);
            return;
        }
        ws.ensureTangents();
        float[] x = batch.inputs(), theta = net.parameters();
        float inv = 1f / bsz;
        // Δ̄ in dDot, Ḡ in aDot, Z̄ (and Ā before it) in zDot.
        for (int l = lo; l < layers; l++) {
            LayerSpec s = arch.layer(l);
            int in = s.inputs(), o = s.outputs(), gw = net.gradientWeightOffset(l), gb = net.gradientBiasOffset(l);
            float[] input = l == 0 ? x : ws.a[l - 1], db = ws.dDot[l];
            float beta = 0f;
            if (l > lo) {
                Sgemm.sgemm(false, true, bsz, o, in, 1f, ws.aDot[l - 1], 0, in, theta, net.weightOffset(l), in, 0f,
                        db, 0, o);
                beta = 1f;
            }
            if (!s.frozen()) {
                Sgemm.sgemm(false, true, bsz, o, in, inv, input, 0, in, grad, gw, in, beta, db, 0, o);
                if (gb >= 0) {
                    for (int i = 0; i < bsz; i++) {
                        for (int c = 0; c < o; c++) {
                            db[i * o + c] += inv * grad[gb + c];
                        }
                    }
                }
            }
            if (l < layers - 1) {
                float[] p = ws.p[l], gbar = ws.aDot[l];
                for (int e = 0; e < bsz * o; e++) {
                    gbar[e] = db[e] * p[e];
                }
            }
        }
        loss.hessianProduct(ws.z[layers - 1], arch.outputs(), batch, ws.dDot[layers - 1], ws.zDot[layers - 1]);
        for (int l = layers - 1; l >= lo; l--) {
            LayerSpec s = arch.layer(l);
            int in = s.inputs(), o = s.outputs(), gw = net.gradientWeightOffset(l), gb = net.gradientBiasOffset(l);
            float[] input = l == 0 ? x : ws.a[l - 1], zb = ws.zDot[l];
            if (!s.frozen()) {
                Sgemm.sgemm(true, false, o, in, bsz, 1f, zb, 0, o, input, 0, in, 0f, out, gw, in);
                if (l > lo) {
                    Sgemm.sgemm(true, false, o, in, bsz, 1f, ws.d[l], 0, o, ws.aDot[l - 1], 0, in, 1f, out, gw, in);
                }
                if (gb >= 0) {
                    Sgemm.sgemm(false, false, 1, o, bsz, 1f, ws.ones, 0, bsz, zb, 0, o, 0f, out, gb, o);
                }
            }
            if (l > lo) {
                float[] below = ws.zDot[l - 1];
                Sgemm.sgemm(false, false, bsz, in, o, 1f, zb, 0, o, theta, net.weightOffset(l), in, 0f, below, 0, in);
                if (!s.frozen()) {
                    Sgemm.sgemm(false, false, bsz, in, o, inv, ws.d[l], 0, o, grad, gw, in, 1f, below, 0, in);
                }
                Activation act = arch.layer(l - 1).activation();
                boolean curved = act.isSmooth() && act != Activation.IDENTITY;
                float sc = arch.activationScale(l - 1);
                float[] p = ws.p[l - 1], g = ws.g[l - 1], z = ws.z[l - 1], db = ws.dDot[l - 1];
                for (int e = 0; e < bsz * in; e++) {
                    double t = (double) below[e] * p[e];
                    if (curved) {
                        t += (double) db[e] * g[e] * (sc * act.secondDerivative(z[e]));
                    }
                    below[e] = (float) t;
                }
            }
        }
    }
}
