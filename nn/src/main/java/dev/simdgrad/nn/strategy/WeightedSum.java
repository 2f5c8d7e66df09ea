package dev.simdgrad.nn.strategy;

import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.nn.DenseLayerBatch;
import dev.simdgrad.nn.PerExampleDeltas;

import java.util.Arrays;

/**
 * α Σ_i g_i (+ β times what the gradient held) for every layer as two SGEMMs: weights α ΔᵀX (out x in), bias α 1ᵀΔ
 * (the column sums of Δ as a 1 x B by B x out product, so the bias sums are as deterministic as the weight sums).
 * Shared by {@link Sum} and {@link Mean}; keeps a ones vector that grows with the largest batch seen.
 */
final class WeightedSum {
    private float[] ones = new float[0];

    void accumulate(PerExampleDeltas deltas, float[] gradient, float alpha) {
        accumulate(deltas, gradient, alpha, 0f);
    }

    /** gradient := α Σ_i g_i + β gradient (β = 0: gradient is not read), SGEMM's alpha and beta per layer. */
    void accumulate(PerExampleDeltas deltas, float[] gradient, float alpha, float beta) {
        if (gradient.length < deltas.gradientLength()) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " entries, needs "
                    + deltas.gradientLength());
        }
        int b = deltas.batchSize();
        if (b == 0) { // no examples: SGEMM's k = 0, C := beta C
            if (beta == 0f) {
                Arrays.fill(gradient, 0, deltas.gradientLength(), 0f);
            } else {
                for (int i = 0; i < deltas.gradientLength(); i++) {
                    gradient[i] *= beta;
                }
            }
            return;
        }
        if (ones.length < b) {
            ones = new float[b];
            Arrays.fill(ones, 1f);
        }
        for (int l = 0; l < deltas.layerCount(); l++) {
            DenseLayerBatch layer = deltas.layer(l);
            int in = layer.in(), out = layer.out();
            Sgemm.sgemm(true, false, out, in, b, alpha, layer.delta(), 0, layer.deltaStride(),
                    layer.input(), layer.inputOffset(), layer.inputStride(), beta, gradient, layer.weightOffset(), in);
            if (layer.hasBias()) {
                Sgemm.sgemm(false, false, 1, out, b, alpha, ones, 0, b, layer.delta(), 0, layer.deltaStride(),
                        beta, gradient, layer.biasOffset(), out);
            }
        }
    }
}
