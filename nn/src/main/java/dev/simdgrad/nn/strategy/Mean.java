package dev.simdgrad.nn.strategy;

import dev.simdgrad.nn.PerExampleDeltas;

/**
 * The mean of the per-example gradients, (1/B) Σ_i g_i = (1/B) ΔᵀX per layer (and (1/B) 1ᵀΔ for biases), one SGEMM
 * each with alpha = 1/B: the gradient of the mean loss L = (1/B) Σ ℓ_i, i.e. plain minibatch SGD.
 */
public final class Mean implements GradientStrategy {
    private final WeightedSum sum = new WeightedSum();

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        int b = deltas.batchSize();
        sum.accumulate(deltas, gradient, b == 0 ? 0f : 1f / b);
    }

    /** Linear: {@code scale / B} is the products' alpha (with scale 1, the same bits as {@link #aggregate}). */
    @Override
    public boolean isLinear() {
        return true;
    }

    @Override
    public void aggregateScaled(PerExampleDeltas deltas, float[] gradient, float scale, float beta) {
        int b = deltas.batchSize();
        sum.accumulate(deltas, gradient, b == 0 ? 0f : scale / b, beta);
    }

    @Override
    public String toString() {
        return "mean";
    }
}
