package dev.simdgrad.nn.strategy;

import dev.simdgrad.kernels.RobustAggregate;
import dev.simdgrad.nn.PerExampleDeltas;

/**
 * Bulyan (El Mhamdi, Guerraoui and Rouault, ICML 2018) over the per-example gradients: θ = B − 2f examples chosen
 * by iterated {@link Krum} on the Gram matrix, then per coordinate the mean of the β = θ − 2f selected values
 * closest to the median in rank (the trimmed mean with c = f), by the kernels' {@code RobustAggregate.bulyan}: the
 * selection from the Gram matrix, the coordinate-wise stage by the fused trimmed mean over the selected examples'
 * (Δ, X) rows. On the scale of {@link Mean}; f = 0 is the mean of all examples (rounded as the trimmed mean is).
 * Needs B &gt;= 4f + 3.
 */
public final class Bulyan implements GradientStrategy {
    private final int f;
    private final GramLayers layers = new GramLayers();

    /** @param f the number of Byzantine examples tolerated, {@code >= 0} */
    public Bulyan(int f) {
        if (f < 0) {
            throw new IllegalArgumentException("f=" + f + " must be >= 0");
        }
        this.f = f;
    }

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        if (!FusedLayers.prepare(deltas, gradient)) {
            return;
        }
        checkBatchSize(deltas.batchSize());
        RobustAggregate.bulyan(deltas.batchSize(), layers.of(deltas, gradient), f);
    }

    @Override
    public void checkBatchSize(int batchSize) {
        GramLayers.checkF("bulyan", f, batchSize, 4);
    }

    /** True: Bulyan needs B &gt;= 4f + 3 of every batch. */
    @Override
    public boolean needsWholeBatches() {
        return true;
    }

    @Override
    public String toString() {
        return "bulyan(" + f + ")";
    }
}
