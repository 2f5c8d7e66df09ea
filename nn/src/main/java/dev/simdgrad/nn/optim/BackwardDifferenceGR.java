package dev.simdgrad.nn.optim;

import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.data.Batch;

/**
 * Gradient regularization by a backward difference (B-GR, Karakida et al. 2023): with g = ∇L(θ) and a descent
 * step ε,
 * <pre>  g_BGR = (1 + γ/ε) ∇L(θ) - (γ/ε) ∇L(θ - ε g)  =  ∇L + γ H g - O(γ ε)</pre>
 * (the F-GR formula with ε replaced by -ε). The paper finds larger ε hurts B-GR while it helps F-GR.
 */
public final class BackwardDifferenceGR implements Objective {
    private final LossGradient base;
    private final float gamma, epsilon;
    private final Shadow shadow = new Shadow();
    private float[] g = new float[0];

    /**
     * B-GR around the inner gradients of {@code base}.
     *
     * @param base    the objective whose gradient is differenced (normally the mean loss)
     * @param gamma   γ &gt;= 0, the weight of (1/2)‖∇L‖²
     * @param epsilon ε &gt; 0, the descent step
     * @throws IllegalArgumentException for a bad γ or ε, or a stateful strategy in {@code base} (evaluated twice
     *                                  per step)
     */
    public BackwardDifferenceGR(LossGradient base, float gamma, float epsilon) {
        if (!(gamma >= 0 && gamma < Float.POSITIVE_INFINITY)
                || !(epsilon > 0 && epsilon < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("B-GR needs finite gamma >= 0 and epsilon > 0: gamma=" + gamma
                    + ", epsilon=" + epsilon);
        }
        this.base = base.evaluatedTwicePerStep("B-GR");
        this.gamma = gamma;
        this.epsilon = epsilon;
    }

    @Override
    public double gradient(DenseNetwork net, Batch batch, float[] gradient) {
        return ForwardDifferenceGR.difference(base, shadow,
                base.strategy().isLinear() ? null : scratch(net.trainableCount()), net, batch, gradient,
                gamma, -epsilon);
    }

    float[] scratch(int n) {
        if (g.length < n) {
            g = new float[n];
        }
        return g;
    }

    @Override
    public String toString() {
        return "B-GR(gamma=" + gamma + ", epsilon=" + epsilon + ")";
    }
}
