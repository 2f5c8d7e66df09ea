package dev.simdgrad.nn.strategy;

import dev.simdgrad.kernels.PerExample;
import dev.simdgrad.nn.DenseLayerBatch;
import dev.simdgrad.nn.PerExampleDeltas;

/**
 * The mean of the per-example gradients, each clipped to norm at most C over the whole network (the clipping of
 * DP-SGD, Abadi et al. 2016, without its noise):
 * <pre>
 *   ‖g_i‖²  = Σ_layers ‖δ_i‖² (‖x_i‖² + [bias])
 *   s_i     = (1/B) min(1, C / ‖g_i‖)
 *   step    = Σ_i s_i g_i = per layer (diag(s) Δ)ᵀ X  and  Σ_i s_i δ_i for the bias
 * </pre>
 * with the kernels' {@code PerExample.squaredNorms} (accumulated over the layers), {@code clipWeights} and
 * {@code weightedGradient}: O(B(in + out)) per layer for the norms and one SGEMM per layer, never a per-example
 * gradient. An example with ‖g_i‖ = 0 keeps weight 1/B; a NaN norm gives a NaN weight (and a NaN gradient).
 *
 * <p><b>Reduces to {@link Mean}.</b> When no example is clipped (C &gt;= max_i ‖g_i‖) every s_i is fl(1/B) and the
 * result is the mean of the per-example gradients, rounded differently from {@code Mean} (the kernel scales the
 * rows of Δ before the product; {@code Mean} scales after): each is within the SGEMM bound γ(B + 2)(1/B) Σ_i |g_i|
 * (per coordinate) of the exact mean, plus two roundings of the weight.
 *
 * <p>Scratch: two arrays of B floats, grown with the largest batch seen.
 */
public final class ClipNorm implements GradientStrategy {
    private final float clipNorm;
    private float[] squaredNorms = new float[0], weights = new float[0];

    /** @param clipNorm C, finite and {@code > 0} */
    public ClipNorm(float clipNorm) {
        if (!(clipNorm > 0) || Float.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm=" + clipNorm + " must be finite and > 0");
        }
        this.clipNorm = clipNorm;
    }

    /** The clipping norm C. */
    public float clipNorm() {
        return clipNorm;
    }

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        if (!FusedLayers.prepare(deltas, gradient)) {
            return;
        }
        int b = deltas.batchSize();
        if (squaredNorms.length < b) {
            squaredNorms = new float[b];
            weights = new float[b];
        }
        for (int l = 0; l < deltas.layerCount(); l++) {
            DenseLayerBatch layer = deltas.layer(l);
            PerExample.squaredNorms(b, layer.out(), layer.in(), layer.delta(), 0, layer.deltaStride(),
                    layer.input(), layer.inputOffset(), layer.inputStride(), layer.hasBias(), l > 0,
                    squaredNorms, 0);
        }
        PerExample.clipWeights(b, squaredNorms, 0, clipNorm, 1f / b, weights, 0);
        for (int l = 0; l < deltas.layerCount(); l++) {
            DenseLayerBatch layer = deltas.layer(l);
            PerExample.weightedGradient(b, layer.out(), layer.in(), weights, 0, layer.delta(), 0,
                    layer.deltaStride(), layer.input(), layer.inputOffset(), layer.inputStride(), 0f,
                    gradient, layer.weightOffset(), layer.in(),
                    layer.hasBias() ? gradient : null, layer.hasBias() ? layer.biasOffset() : 0);
        }
    }

    /**
     * The network-wide per-example squared norms ‖g_i‖² of the last {@link #aggregate} call, {@code B} of them from
     * index 0 (the array is live scratch: read it before the next call).
     */
    public float[] lastSquaredNorms() {
        return squaredNorms;
    }

    @Override
    public String toString() {
        return "clip-norm(" + clipNorm + ")";
    }
}
