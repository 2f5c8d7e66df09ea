package dev.simdgrad.nn;

import dev.simdgrad.nn.data.Batch;

/**
 * A loss on the network outputs z (B x k row-major, one row per example).
 *
 * <p>Convention for every implementation: the batch loss is the <b>mean</b> L = (1/B) Σ_i ℓ_i(z_i), and the
 * per-example delta written by {@link #lossAndDelta} is δ_i = ∂ℓ_i/∂z_i, the gradient of the example's own loss,
 * <b>not</b> divided by B. The 1/B belongs to the aggregation (the {@code Mean} strategy), so that per-example
 * gradients g_i = δ_i xᵢᵀ are the gradients of ℓ_i and robust aggregators see them unscaled.
 */
public sealed interface Loss permits SoftmaxCrossEntropy, SquaredLoss {

    /**
     * Computes L = (1/B) Σ ℓ_i and δ_i = ∂ℓ_i/∂z_i in one pass.
     *
     * @param z     outputs, B x k (B = {@code batch.size()})
     * @param k     outputs per example
     * @param batch the targets
     * @param delta receives δ, B x k (may be {@code z} itself)
     * @return the mean loss, accumulated in double
     */
    double lossAndDelta(float[] z, int k, Batch batch, float[] delta);

    /** The mean loss (1/B) Σ ℓ_i only. */
    double loss(float[] z, int k, Batch batch);

    /**
     * The per-example output Hessian applied to a tangent: out_i = ∇²_z ℓ_i(z_i) · ż_i (B x k), which the
     * Hessian-vector product of the network needs.
     */
    void hessianProduct(float[] z, int k, Batch batch, float[] zDot, float[] out);

    /** Checks that the batch carries what this loss reads, for k outputs. */
    void checkTargets(Batch batch, int k);
}
