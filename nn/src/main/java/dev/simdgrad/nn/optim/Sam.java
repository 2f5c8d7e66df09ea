package dev.simdgrad.nn.optim;

import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.data.Batch;

/**
 * Sharpness-aware minimization (Foret et al. 2021): the gradient at the normalized ascent point,
 * <pre>  g_SAM = ∇L(θ + ρ g / ‖g‖),   g = ∇L(θ)</pre>
 * (the first-order solution of max_{‖e‖ &lt;= ρ} L(θ + e)). When g = 0 the ascent step is 0 and g_SAM = g.
 * The norm is accumulated in double over the trainable parameters.
 */
public final class Sam implements Objective {
    private final LossGradient base;
    private final float rho;
    private final Shadow shadow = new Shadow();
    private float[] g = new float[0];

    /**
     * @param rho ρ &gt;= 0, the radius of the ascent step
     * @throws IllegalArgumentException for a bad ρ, or a stateful strategy in {@code base} (SAM evaluates it twice
     *                                  per step)
     */
    public Sam(LossGradient base, float rho) {
        if (!(rho >= 0 && rho < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("rho=" + rho + " must be finite and >= 0");
        }
        this.base = base.evaluatedTwicePerStep("SAM");
        this.rho = rho;
    }

    @Override
    public double gradient(DenseNetwork net, Batch batch, float[] gradient) {
        int n = net.trainableCount();
        if (g.length < n) {
            g = new float[n];
        }
        double l = base.gradient(net, batch, g);
        double norm = Shadow.norm(g, n);
        if (norm == 0) {
            System.arraycopy(g, 0, gradient, 0, n);
            return l;
        }
        base.gradient(shadow.at(net, g, (float) (rho / norm)), batch, gradient);
        return l;
    }

    @Override
    public String toString() {
        return "SAM(rho=" + rho + ")";
    }
}
