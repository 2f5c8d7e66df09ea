package dev.simdgrad.nn.optim;

import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.strategy.Mean;

import java.util.Objects;

/**
 * Gradient regularization by true double backpropagation: the gradient of L + (γ/2)‖∇L‖² computed as automatic
 * differentiation computes it (Drucker &amp; LeCun 1992; the "DB" whose cost Karakida et al. 2023 compare with their
 * finite differences): a forward and backward pass give ∇L, then the backward pass itself is differentiated in
 * reverse mode ({@link DenseNetwork#gradientNormGradient}). The result, ∇L + γ ∇²L ∇L, is mathematically that of
 * {@link DoubleBackpropGR}, which takes the Hessian-vector product forward-over-reverse instead; the two differ in
 * float rounding and in cost, which is why both exist. Cost per step: one forward, one backward, the mean gradient,
 * then up to 6 matrix products of the forward's size per layer. L is the mean loss and ∇L its gradient
 * ({@link Mean}).
 */
public final class BackpropThroughBackwardGR implements Objective {
    private final Loss loss;
    private final float gamma;
    private final Mean mean = new Mean();
    private Workspace ws;
    private float[] penalty = new float[0];

    /**
     * @param gamma γ &gt;= 0, the weight of (1/2)‖∇L‖²
     * @throws IllegalArgumentException for a negative or NaN γ
     */
    public BackpropThroughBackwardGR(Loss loss, float gamma) {
        if (!(gamma >= 0)) {
            throw new IllegalArgumentException("gamma=" + gamma + " must be >= 0");
        }
        this.loss = Objects.requireNonNull(loss, "loss");
        this.gamma = gamma;
    }

    @Override
    public double gradient(DenseNetwork net, Batch batch, float[] gradient) {
        int n = net.trainableCount();
        if (gradient.length < n) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " entries, needs " + n);
        }
        ws = LossGradient.workspaceFor(ws, net, batch);
        double l = net.lossAndDeltas(loss, batch, ws);
        mean.aggregate(ws, gradient);
        if (penalty.length < n) {
            penalty = new float[n];
        }
        net.gradientNormGradient(loss, batch, ws, gradient, penalty);
        for (int i = 0; i < n; i++) {
            gradient[i] += gamma * penalty[i];
        }
        return l;
    }

    @Override
    public String toString() {
        return "GR-double-backprop(gamma=" + gamma + ")";
    }
}
