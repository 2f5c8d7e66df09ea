package dev.simdgrad.cli;

import dev.simdgrad.kernels.FusedAggregate;
import dev.simdgrad.nn.DenseLayerBatch;
import dev.simdgrad.nn.PerExampleDeltas;
import dev.simdgrad.nn.strategy.GradientStrategy;

/**
 * A stand-in for nn's coordinate-wise strategies (Winsorize, Trim, Median, MedianOfMeans) while they are being
 * written in their own branch: each layer's aggregate straight from the kernels' {@link FusedAggregate}, on the
 * (X, Δ) pairs of the batch, without materializing per-example gradients. Every aggregate is a mean-like statistic
 * (the winsorized mean with c = 0 is the plain mean), so a learning rate means the same as with {@code Mean}.
 * Delete this class and point {@link StrategyFactory} at nn's classes once they land.
 */
final class InterimRobustStrategy implements GradientStrategy {
    private enum Kind { WINSORIZE, TRIM, MEDIAN, MEDIAN_OF_MEANS }

    private final Kind kind;
    private final int param;

    private InterimRobustStrategy(Kind kind, int param) {
        this.kind = kind;
        this.param = param;
    }

    static InterimRobustStrategy winsorize(int c) {
        return new InterimRobustStrategy(Kind.WINSORIZE, c);
    }

    static InterimRobustStrategy trim(int c) {
        return new InterimRobustStrategy(Kind.TRIM, c);
    }

    static InterimRobustStrategy median() {
        return new InterimRobustStrategy(Kind.MEDIAN, 0);
    }

    static InterimRobustStrategy medianOfMeans(int groups) {
        return new InterimRobustStrategy(Kind.MEDIAN_OF_MEANS, groups);
    }

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        if (gradient.length < deltas.gradientLength()) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " entries, needs "
                    + deltas.gradientLength());
        }
        for (int l = 0; l < deltas.layerCount(); l++) {
            DenseLayerBatch y = deltas.layer(l);
            int b = y.batch();
            float[] gb = y.hasBias() ? gradient : null;
            int bo = y.hasBias() ? y.biasOffset() : 0;
            switch (kind) {
                case WINSORIZE -> FusedAggregate.winsorizedMean(b, y.out(), y.in(), y.delta(), 0, y.deltaStride(),
                        y.input(), y.inputOffset(), y.inputStride(), param, gradient, y.weightOffset(), y.in(), gb, bo);
                case TRIM -> FusedAggregate.trimmedMean(b, y.out(), y.in(), y.delta(), 0, y.deltaStride(),
                        y.input(), y.inputOffset(), y.inputStride(), param, gradient, y.weightOffset(), y.in(), gb, bo);
                case MEDIAN -> FusedAggregate.median(b, y.out(), y.in(), y.delta(), 0, y.deltaStride(),
                        y.input(), y.inputOffset(), y.inputStride(), gradient, y.weightOffset(), y.in(), gb, bo);
                case MEDIAN_OF_MEANS -> FusedAggregate.medianOfMeans(b, y.out(), y.in(), y.delta(), 0,
                        y.deltaStride(), y.input(), y.inputOffset(), y.inputStride(), param, gradient,
                        y.weightOffset(), y.in(), gb, bo);
            }
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case WINSORIZE -> "winsorize(" + param + ")";
            case TRIM -> "trim(" + param + ")";
            case MEDIAN -> "median";
            case MEDIAN_OF_MEANS -> "median-of-means(" + param + ")";
        };
    }
}
