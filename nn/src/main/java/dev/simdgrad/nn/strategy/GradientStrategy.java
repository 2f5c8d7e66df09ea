package dev.simdgrad.nn.strategy;

import dev.simdgrad.nn.PerExampleDeltas;

/**
 * How the B per-example gradients of a batch become the one gradient a step follows.
 *
 * <p>The input is the factored form {@link PerExampleDeltas}: for every trainable dense layer its inputs X (B x in)
 * and per-example deltas Δ (B x out), so that example i's gradient of that layer is g_i = δ_i x_iᵀ (and δ_i for the
 * bias), where δ_i = ∂ℓ_i/∂(layer output) is the gradient of the example's own loss (not divided by B). A strategy
 * writes one value per trainable parameter into the flat gradient vector, each layer's block at its
 * {@code weightOffset} (out x in row-major) and {@code biasOffset}.
 *
 * <p><b>Scale.</b> Every strategy but {@link Sum} is on the scale of {@link Mean}, the gradient of the mean loss
 * L = (1/B) Σ ℓ_i, so one learning rate serves them all; each robust strategy reduces to {@code Mean} in its
 * degenerate case (c = 0, one group, no example clipped), bitwise or within a stated bound.
 *
 * <p>The strategies, all from the same (Δ, X) pairs and none materializing the B x P per-example gradients:
 * <ul>
 *   <li>{@link Sum}, {@link Mean}: Σ_i g_i = ΔᵀX, one SGEMM per layer;</li>
 *   <li>{@link ClipNorm}(C): each g_i scaled to network-wide norm at most C (DP-SGD), norms
 *   Σ_layers ‖δ_i‖²(‖x_i‖² + [bias]), scales folded into one GEMM (diag(s)Δ)ᵀX;</li>
 *   <li>{@link Winsorize}(c), {@link Trim}(c), {@link Median}, {@link MedianOfMeans}(groups): coordinate-wise order
 *   statistics over the B values δ_i[r]·x_i[c], generated tile by tile by the kernels' {@code FusedAggregate};</li>
 *   <li>{@link RM3}: stateful, the coordinate-wise median of this and the two previous minibatch gradients;</li>
 *   <li>{@link Krum}(f), {@link MultiKrum}(f, m), {@link GeometricMedian}, {@link CenteredClipping}(τ) (stateful:
 *   centered at the previous step), {@link Bulyan}(f): rules over whole per-example gradients, through their
 *   B x B Gram matrix Σ_layers (X Xᵀ + [bias]) ∘ (Δ Δᵀ), by the kernels' {@code RobustAggregate}.</li>
 * </ul>
 * Stateful strategies keep their state in the instance; {@link #reset()} clears it.
 *
 * <p>Implementations may keep scratch buffers; an instance is not thread-safe.
 */
public interface GradientStrategy {

    /**
     * Writes the step gradient of the batch into {@code gradient[0 .. deltas.gradientLength())}.
     *
     * @throws IllegalArgumentException if {@code gradient} is shorter than {@code deltas.gradientLength()}
     */
    void aggregate(PerExampleDeltas deltas, float[] gradient);

    /**
     * Whether this strategy needs every batch of an epoch to have the same B examples, so that a trainer must drop
     * an epoch's last partial batch: true for the order statistics whose definition or statistics depend on B
     * ({@link Winsorize} and {@link Trim} with c &gt; 0, {@link MedianOfMeans} with more than one group), false for
     * those defined for any batch (the default).
     */
    default boolean needsWholeBatches() {
        return false;
    }

    /** Clears any state carried between steps (none for stateless strategies). */
    default void reset() {
    }

    /**
     * Checks, before training, that this strategy can aggregate batches of {@code batchSize} examples (for example
     * 2c &lt; B for {@link Winsorize} and {@link Trim}, groups &lt;= B for {@link MedianOfMeans}); the same condition
     * {@link #aggregate} enforces on every call.
     *
     * @throws IllegalArgumentException naming the strategy's parameter and B when it cannot
     */
    default void checkBatchSize(int batchSize) {
    }

    /**
     * Whether one call of {@link #aggregate} is one step of a history it keeps ({@link RM3}): such a strategy must
     * be evaluated exactly once per step, so objectives that evaluate their inner gradient twice per step (the
     * finite-difference regularizers and SAM) refuse it.
     */
    default boolean isStateful() {
        return false;
    }

    /**
     * Whether this strategy is linear in the per-example gradients ({@link Mean}, {@link Sum}), so that
     * {@link #aggregateScaled} can fold a scale and a sum into its products: false by default.
     */
    default boolean isLinear() {
        return false;
    }

    /**
     * For a linear strategy: {@code gradient := scale * a + beta * gradient} over {@code [0, deltas.gradientLength())},
     * where a is what {@link #aggregate} writes, in the products' own pass over the gradient (scale and beta are the
     * layers' SGEMM alpha and beta, so {@code gradient} is not read when beta is 0). It saves a pass over the
     * parameters where an objective combines two gradients (F-GR, B-GR). Rounding: the scale is applied inside the
     * products, once per element, so the result is within one rounding of {@code scale * a} computed apart, not
     * bitwise equal to it (except with scale 1).
     *
     * @throws UnsupportedOperationException if {@link #isLinear()} is false
     * @throws IllegalArgumentException      as {@link #aggregate}
     */
    default void aggregateScaled(PerExampleDeltas deltas, float[] gradient, float scale, float beta) {
        throw new UnsupportedOperationException(this + " is not linear in the per-example gradients");
    }
}
