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
 * <p>Implemented here, on SGEMM: {@link Sum} (Σ_i g_i = Δᵀ X) and {@link Mean} ((1/B) Δᵀ X, the gradient of the
 * mean loss). The robust strategies of the source papers plug into the same interface from the same (Δ, X) pairs
 * and are to be built on the per-example kernels of the kernels module ({@code PerExample}, {@code Aggregate}) once
 * those exist: ClipNorm(C) (scale each example by min(1, C/‖g_i‖) using ‖g_i‖² = Σ_layers ‖δ_i‖²(‖x_i‖² + [bias])
 * and fold the scales into one GEMM, (diag(s)Δ)ᵀX), Winsorize(c) and Trim(c) (coordinate-wise over the B values
 * δ_i[r]·x_i[c], generated tile by tile without materializing the B x P matrix), Median, MedianOfMeans(groups), and
 * RM3 (stateful: coordinate-wise median of this and the two previous minibatch gradients). Stateful strategies keep
 * their state in the instance; {@link #reset()} clears it.
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

    /** Clears any state carried between steps (none for stateless strategies). */
    default void reset() {
    }
}
