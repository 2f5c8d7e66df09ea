package dev.simdgrad.nn.strategy;

import dev.simdgrad.kernels.RobustAggregate;
import dev.simdgrad.nn.PerExampleDeltas;

/**
 * Krum (Blanchard et al., NeurIPS 2017) over the per-example gradients: the step follows the one example's gradient
 * whose squared distances to its {@code B - f - 2} nearest other examples sum to the least (lowest index on ties):
 * <pre>
 *   score_i = Σ_{j ∈ N_i} ‖g_i − g_j‖²,   ‖g_i − g_j‖² = G_ii + G_jj − 2 G_ij,
 *   G = Σ_layers (X Xᵀ + [bias]) ∘ (Δ Δᵀ)
 * </pre>
 * by the kernels' {@code RobustAggregate.krum}: the B x B Gram matrix in double from (Δ, X), never the B x P
 * per-example gradients. One example's gradient estimates the mean's location, so the scale is that of
 * {@link Mean}. NaN policy: an example whose gradient holds a NaN or an infinity is never selected while at most
 * f + 1 are; beyond that the gradient is NaN. Needs B &gt;= 2f + 3.
 */
public final class Krum implements GradientStrategy {
    private final int f;
    private final GramLayers layers = new GramLayers();
    private int lastSelected = -1;

    /** @param f the number of Byzantine examples tolerated, {@code >= 0} */
    public Krum(int f) {
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
        lastSelected = RobustAggregate.krum(deltas.batchSize(), layers.of(deltas, gradient), f);
    }

    /** The example the last {@link #aggregate} call followed, or -1 (none had a finite score). */
    public int lastSelected() {
        return lastSelected;
    }

    @Override
    public void checkBatchSize(int batchSize) {
        GramLayers.checkF("krum", f, batchSize, 2);
    }

    /** True: Krum's scores need B &gt;= 2f + 3 of every batch. */
    @Override
    public boolean needsWholeBatches() {
        return true;
    }

    @Override
    public String toString() {
        return "krum(" + f + ")";
    }
}
