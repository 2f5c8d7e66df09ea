package dev.simdgrad.nn.metrics;

import dev.simdgrad.kernels.PerExample;
import dev.simdgrad.nn.DenseLayerBatch;
import dev.simdgrad.nn.PerExampleDeltas;
import dev.simdgrad.nn.strategy.Sum;

/**
 * Gradient coherence (Chatterjee &amp; Zielinski 2020) of the B per-example gradients of a batch, from their factored
 * form and without materializing them:
 * <pre>
 *   m-coherence = ‖Σ_i g_i‖² / Σ_i ‖g_i‖²        (1 for orthogonal gradients, B for identical ones)
 *   α           = ‖E g_i‖² / E ‖g_i‖² = m-coherence / B
 * </pre>
 * with Σ_i g_i from one SGEMM per layer ({@link Sum}), the per-example squared norms
 * ‖g_i‖² = Σ_layers ‖δ_i‖² (‖x_i‖² + [bias]) from the kernels' {@code PerExample.squaredNorms} (O(B(in + out)) per
 * layer, accumulated over the layers) and the ratio from the kernels' {@code Coherence.mCoherence} (sums of squares
 * in double).
 *
 * @param mCoherence ‖Σ g_i‖² / Σ ‖g_i‖² (NaN when every g_i is 0, or for an empty batch)
 * @param batch      B
 */
public record Coherence(double mCoherence, int batch) {

    /** α = m-coherence / B. */
    public double alpha() {
        return mCoherence / batch;
    }

    /**
     * Coherence of the per-example gradients in {@code deltas}. Allocates B floats for the per-example norms (a
     * metric, computed once in a while, not per step).
     *
     * @param scratch at least {@code deltas.gradientLength()} floats, overwritten with Σ_i g_i
     */
    public static Coherence of(PerExampleDeltas deltas, float[] scratch) {
        int b = deltas.batchSize();
        new Sum().aggregate(deltas, scratch);
        if (b == 0) {
            return new Coherence(Double.NaN, 0);
        }
        float[] norms = new float[b];
        for (int l = 0; l < deltas.layerCount(); l++) {
            DenseLayerBatch layer = deltas.layer(l);
            PerExample.squaredNorms(b, layer.out(), layer.in(), layer.delta(), 0, layer.deltaStride(),
                    layer.input(), layer.inputOffset(), layer.inputStride(), layer.hasBias(), l > 0, norms, 0);
        }
        double m = dev.simdgrad.kernels.Coherence.mCoherence(scratch, 0, deltas.gradientLength(), norms, 0, b);
        return new Coherence(m, b);
    }
}
