package dev.simdgrad.nn.metrics;

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
 * with Σ_i g_i from one SGEMM per layer ({@link Sum}) and ‖g_i‖² = Σ_layers ‖δ_i‖² (‖x_i‖² + [bias]), O(B(in + out))
 * per layer. Sums of squares accumulate in double. (The per-example norms are plain loops here; they can move to
 * the kernels' per-example norm routine when it exists.)
 *
 * @param mCoherence ‖Σ g_i‖² / Σ ‖g_i‖² (NaN when every g_i is 0)
 * @param batch      B
 */
public record Coherence(double mCoherence, int batch) {

    /** α = m-coherence / B. */
    public double alpha() {
        return mCoherence / batch;
    }

    /**
     * Coherence of the per-example gradients in {@code deltas}.
     *
     * @param scratch at least {@code deltas.gradientLength()} floats, overwritten with Σ_i g_i
     */
    public static Coherence of(PerExampleDeltas deltas, float[] scratch) {
        new Sum().aggregate(deltas, scratch);
        double sumSq = 0;
        for (int i = 0; i < deltas.gradientLength(); i++) {
            sumSq += (double) scratch[i] * scratch[i];
        }
        return new Coherence(sumSq / perExampleSquaredNorms(deltas), deltas.batchSize());
    }

    /** Σ_i ‖g_i‖² = Σ_i Σ_layers ‖δ_i‖² (‖x_i‖² + [bias]). */
    static double perExampleSquaredNorms(PerExampleDeltas deltas) {
        double total = 0;
        for (int l = 0; l < deltas.layerCount(); l++) {
            DenseLayerBatch layer = deltas.layer(l);
            float[] x = layer.input(), d = layer.delta();
            for (int i = 0; i < layer.batch(); i++) {
                double xx = layer.hasBias() ? 1 : 0, dd = 0;
                int xo = layer.inputOffset() + i * layer.inputStride(), dof = i * layer.deltaStride();
                for (int j = 0; j < layer.in(); j++) {
                    xx += (double) x[xo + j] * x[xo + j];
                }
                for (int j = 0; j < layer.out(); j++) {
                    dd += (double) d[dof + j] * d[dof + j];
                }
                total += dd * xx;
            }
        }
        return total;
    }
}
