package dev.simdgrad.nn.strategy;

import dev.simdgrad.kernels.FusedAggregate;
import dev.simdgrad.nn.PerExampleDeltas;

/**
 * Coordinate-wise trimmed mean of the per-example gradients: for every scalar parameter, drop the c smallest and the
 * c largest of its B values and average the remaining B - 2c,
 * <pre>
 *   step gradient = (1/(B - 2c)) Σ_{k=c+1}^{B-c} v_(k)
 * </pre>
 * for weights and biases of every trainable layer, fused from (Δ, X) by {@code FusedAggregate.trimmedMean}. It is
 * a mean of per-example gradients of ℓ_i, on the scale of {@link Mean}, so learning rates carry over.
 *
 * <p><b>c = 0.</b> The definition is then the mean, and this strategy delegates to {@link Mean}: bitwise the plain
 * gradient. Requires 2c &lt; B (else {@link IllegalArgumentException}, gradient unchanged). Error bounds: those of
 * {@code Aggregate.trimmedMean}.
 */
public final class Trim implements GradientStrategy {
    private final int c;
    private final Mean mean = new Mean();
    private final FusedLayers.Rule rule;

    /** @param c values dropped at each end of every coordinate, {@code c >= 0} */
    public Trim(int c) {
        if (c < 0) {
            throw new IllegalArgumentException("c=" + c + " must be >= 0");
        }
        this.c = c;
        this.rule = (b, dOut, dIn, d, dOff, ldd, x, xOff, ldx, gw, gwOff, ldgw, gb, gbOff) ->
                FusedAggregate.trimmedMean(b, dOut, dIn, d, dOff, ldd, x, xOff, ldx, c, gw, gwOff, ldgw, gb, gbOff);
    }

    /** The number c of values dropped at each end. */
    public int c() {
        return c;
    }

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        if (c == 0) {
            mean.aggregate(deltas, gradient);
            return;
        }
        if (FusedLayers.prepare(deltas, gradient)) {
            FusedLayers.checkC("trim", c, deltas.batchSize());
            FusedLayers.apply(deltas, gradient, rule);
        }
    }

    /** True for c &gt; 0: 2c &lt; B must hold for every batch, and c drops a different share of a smaller one. */
    @Override
    public boolean needsWholeBatches() {
        return c > 0;
    }

    @Override
    public void checkBatchSize(int batchSize) {
        if (c > 0) {
            FusedLayers.checkC("trim", c, batchSize);
        }
    }

    @Override
    public String toString() {
        return "trim(" + c + ")";
    }
}
