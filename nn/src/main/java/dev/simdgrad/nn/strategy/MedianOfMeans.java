package dev.simdgrad.nn.strategy;

import dev.simdgrad.kernels.FusedAggregate;
import dev.simdgrad.nn.PerExampleDeltas;

/**
 * Coordinate-wise median of means: the batch's examples, in batch order, are split into {@code groups} consecutive
 * groups (group k holds examples ⌊kB/G⌋ .. ⌊(k+1)B/G⌋ - 1); for every scalar parameter, the median of the G group
 * means of its per-example gradient values,
 * <pre>
 *   step gradient = median_k ( (1/|G_k|) Σ_{i ∈ G_k} g_i )
 * </pre>
 * for weights and biases of every trainable layer, fused from (Δ, X) by {@code FusedAggregate.medianOfMeans}. The
 * groups are consecutive, so shuffle the data (the {@code Trainer} does) for them to be random.
 *
 * <p><b>groups = 1.</b> The definition is then the mean, and this strategy delegates to {@link Mean}: bitwise the
 * plain gradient. Requires groups &lt;= B (else {@link IllegalArgumentException}, gradient unchanged).
 */
public final class MedianOfMeans implements GradientStrategy {
    private final int groups;
    private final Mean mean = new Mean();
    private final FusedLayers.Rule rule;

    /** @param groups number of groups G, {@code >= 1} */
    public MedianOfMeans(int groups) {
        if (groups < 1) {
            throw new IllegalArgumentException("groups=" + groups + " must be >= 1");
        }
        this.groups = groups;
        this.rule = (b, dOut, dIn, d, dOff, ldd, x, xOff, ldx, gw, gwOff, ldgw, gb, gbOff) ->
                FusedAggregate.medianOfMeans(b, dOut, dIn, d, dOff, ldd, x, xOff, ldx, groups, gw, gwOff, ldgw, gb,
                        gbOff);
    }

    /** The number of groups G. */
    public int groups() {
        return groups;
    }

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        if (groups == 1) {
            mean.aggregate(deltas, gradient);
            return;
        }
        if (FusedLayers.prepare(deltas, gradient)) {
            checkBatchSize(deltas.batchSize());
            FusedLayers.apply(deltas, gradient, rule);
        }
    }

    /** True for more than one group: groups &lt;= B must hold for every batch, and group sizes follow B. */
    @Override
    public boolean needsWholeBatches() {
        return groups > 1;
    }

    @Override
    public void checkBatchSize(int batchSize) {
        if (groups > 1 && groups > batchSize) {
            throw new IllegalArgumentException("median of means: groups=" + groups + " exceeds the batch of B="
                    + batchSize + " examples");
        }
    }

    @Override
    public String toString() {
        return "median-of-means(" + groups + ")";
    }
}
