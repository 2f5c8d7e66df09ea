package dev.simdgrad.nn.strategy;

import dev.simdgrad.kernels.FusedAggregate;
import dev.simdgrad.nn.PerExampleDeltas;

/**
 * Coordinate-wise median of the per-example gradients: for every scalar parameter, the middle value v_((B+1)/2) of
 * its B values (odd B, exact: a value of the batch), or the mean of the two middle values (even B, one rounding),
 * for weights and biases of every trainable layer, fused from (Δ, X) by {@code FusedAggregate.median}. It estimates
 * the same location as {@link Mean} (on the scale of the gradient of one example's loss), so learning rates carry
 * over; for B = 1 or 2 it is the mean.
 */
public final class Median implements GradientStrategy {

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        if (FusedLayers.prepare(deltas, gradient)) {
            FusedLayers.apply(deltas, gradient, FusedAggregate::median);
        }
    }

    @Override
    public String toString() {
        return "median";
    }
}
