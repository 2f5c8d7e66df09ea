package dev.simdgrad.nn.strategy;

import dev.simdgrad.nn.PerExampleDeltas;

/**
 * The sum of the per-example gradients, Σ_i g_i: ΔᵀX per layer (and 1ᵀΔ for biases), one SGEMM each: B times
 * {@link Mean}, the gradient of the summed loss Σ ℓ_i. (Chatterjee (2020) writes winsorized SGD as a sum, but of the
 * per-example gradients of the mean loss; see {@link Winsorize} for why its c = 0 case is {@link Mean}, not this.)
 */
public final class Sum implements GradientStrategy {
    private final WeightedSum sum = new WeightedSum();

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        sum.accumulate(deltas, gradient, 1f);
    }

    /** Linear: {@code scale} is the products' alpha. */
    @Override
    public boolean isLinear() {
        return true;
    }

    @Override
    public void aggregateScaled(PerExampleDeltas deltas, float[] gradient, float scale, float beta) {
        sum.accumulate(deltas, gradient, scale, beta);
    }

    @Override
    public String toString() {
        return "sum";
    }
}
