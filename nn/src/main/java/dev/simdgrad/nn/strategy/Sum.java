package dev.simdgrad.nn.strategy;

import dev.simdgrad.nn.PerExampleDeltas;

/**
 * The sum of the per-example gradients, Σ_i g_i: ΔᵀX per layer (and 1ᵀΔ for biases), one SGEMM each. This is the
 * c = 0 case of winsorized gradient descent as Chatterjee (2020) writes it (the step is lr · Σ_i g_i).
 */
public final class Sum implements GradientStrategy {
    private final WeightedSum sum = new WeightedSum();

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        sum.accumulate(deltas, gradient, 1f);
    }

    @Override
    public String toString() {
        return "sum";
    }
}
