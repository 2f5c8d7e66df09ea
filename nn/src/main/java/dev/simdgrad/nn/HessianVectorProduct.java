package dev.simdgrad.nn;

import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.nn.data.Batch;

/**
 * Exact Hessian-vector product of the mean loss of a {@link TwoLayerNet}, by forward-over-reverse differentiation
 * written out for this network: the backward pass is differentiated in the direction v = (V₁, c₁, V₂, c₂) (dots
 * denote directional derivatives). With P = s·σ'(Z₁) and Q = s·σ''(Z₁):
 * <pre>
 *   Ż₁ = X V₁ᵀ + 1c₁ᵀ                       Ḣ = P ⊙ Ż₁
 *   Ż₂ = Ḣ W₂ᵀ + H V₂ᵀ + 1c₂ᵀ                Δ̇₂ = [∇²_z ℓ_i · ż₂ᵢ]     (the loss's output Hessian)
 *   Ġ  = Δ̇₂ W₂ + Δ₂ V₂                       Δ̇₁ = Ġ ⊙ P + G ⊙ Q ⊙ Ż₁
 *   (Hv)_W₁ = (1/B) Δ̇₁ᵀ X                    (Hv)_b₁ = (1/B) 1ᵀΔ̇₁
 *   (Hv)_W₂ = (1/B) (Δ̇₂ᵀ H + Δ₂ᵀ Ḣ)           (Hv)_b₂ = (1/B) 1ᵀΔ̇₂
 * </pre>
 * With a frozen output layer V₂ = 0, c₂ = 0 and only the W₁, b₁ blocks are produced. Cost: 8 matrix products of the
 * forward's size (6 when frozen) on top of the forward and backward that produced Z₁, H, G, Δ₂.
 */
final class HessianVectorProduct {
    private HessianVectorProduct() {
    }

    static void compute(TwoLayerNet net, Loss loss, Batch batch, Workspace ws, float[] v, float[] out) {
        NetSpec spec = net.spec();
        int bsz = ws.batch, d = spec.inputs(), m = spec.hidden(), k = spec.outputs();
        boolean frozen = spec.freezeOutput();
        float[] theta = net.parameters();
        int w1 = net.w1Offset(), b1 = net.b1Offset(), w2 = net.w2Offset(), b2 = net.b2Offset();
        if (bsz == 0) {
            java.util.Arrays.fill(out, 0, net.trainableCount(), 0f);
            return;
        }
        ws.ensureTangents();
        float[] x = batch.inputs();
        Activation act = spec.activation();
        float s = spec.hiddenScale();

        // Ż₁ = X V₁ᵀ + c₁, Ḣ = P ⊙ Ż₁
        Sgemm.sgemm(false, true, bsz, m, d, 1f, x, 0, d, v, w1, d, 0f, ws.z1Dot, 0, m);
        for (int i = 0; i < bsz; i++) {
            for (int r = 0; r < m; r++) {
                int e = i * m + r;
                float zd = b1 >= 0 ? ws.z1Dot[e] + v[b1 + r] : ws.z1Dot[e];
                ws.z1Dot[e] = zd;
                ws.hDot[e] = ws.p[e] * zd;
            }
        }
        // Ż₂ = Ḣ W₂ᵀ + H V₂ᵀ + c₂
        Sgemm.sgemm(false, true, bsz, k, m, 1f, ws.hDot, 0, m, theta, w2, m, 0f, ws.z2Dot, 0, k);
        if (!frozen) {
            Sgemm.sgemm(false, true, bsz, k, m, 1f, ws.h, 0, m, v, w2, m, 1f, ws.z2Dot, 0, k);
            if (b2 >= 0) {
                for (int i = 0; i < bsz; i++) {
                    for (int c = 0; c < k; c++) {
                        ws.z2Dot[i * k + c] += v[b2 + c];
                    }
                }
            }
        }
        // Δ̇₂ = ∇²ℓ · Ż₂
        loss.hessianProduct(ws.z2, k, batch, ws.z2Dot, ws.d2Dot);
        // Ġ = Δ̇₂ W₂ + Δ₂ V₂, then Δ̇₁ = Ġ ⊙ P + G ⊙ Q ⊙ Ż₁ in place
        Sgemm.sgemm(false, false, bsz, m, k, 1f, ws.d2Dot, 0, k, theta, w2, m, 0f, ws.d1Dot, 0, m);
        if (!frozen) {
            Sgemm.sgemm(false, false, bsz, m, k, 1f, ws.d2, 0, k, v, w2, m, 1f, ws.d1Dot, 0, m);
        }
        boolean curved = act.isSmooth();   // ReLU: σ'' = 0 almost everywhere, no second term
        for (int e = 0; e < bsz * m; e++) {
            double t = (double) ws.d1Dot[e] * ws.p[e];
            if (curved) {
                t += ws.g[e] * (s * act.secondDerivative(ws.z1[e])) * ws.z1Dot[e];
            }
            ws.d1Dot[e] = (float) t;
        }
        float inv = 1f / bsz;
        // (Hv)_W₁ = (1/B) Δ̇₁ᵀ X, (Hv)_b₁ = (1/B) 1ᵀΔ̇₁
        Sgemm.sgemm(true, false, m, d, bsz, inv, ws.d1Dot, 0, m, x, 0, d, 0f, out, w1, d);
        if (b1 >= 0) {
            Sgemm.sgemm(false, false, 1, m, bsz, inv, ws.ones, 0, bsz, ws.d1Dot, 0, m, 0f, out, b1, m);
        }
        if (!frozen) {
            // (Hv)_W₂ = (1/B)(Δ̇₂ᵀ H + Δ₂ᵀ Ḣ), (Hv)_b₂ = (1/B) 1ᵀΔ̇₂
            Sgemm.sgemm(true, false, k, m, bsz, inv, ws.d2Dot, 0, k, ws.h, 0, m, 0f, out, w2, m);
            Sgemm.sgemm(true, false, k, m, bsz, inv, ws.d2, 0, k, ws.hDot, 0, m, 1f, out, w2, m);
            if (b2 >= 0) {
                Sgemm.sgemm(false, false, 1, k, bsz, inv, ws.ones, 0, bsz, ws.d2Dot, 0, k, 0f, out, b2, k);
            }
        }
    }
}
