package dev.simdgrad.nn.optim;

import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.data.Batch;

/**
 * Flooding (Ishida et al. 2020): descend |L - b| + b instead of L, i.e. follow ∇L while the batch loss is above the
 * flood level b and -∇L (gradient ascent) while it is below: the gradient is sign(L - b) ∇L (∇L at L = b, where
 * |·| has a kink, by convention). Karakida et al. show this performs F-GR implicitly. Wraps any objective: the
 * sign is decided by the mean loss that objective returns.
 */
public final class Flooding implements Objective {
    private final Objective inner;
    private final double level;

    /** @param level b, the flood level */
    public Flooding(Objective inner, double level) {
        if (!Double.isFinite(level)) {
            throw new IllegalArgumentException("flood level must be finite: " + level);
        }
        this.inner = inner;
        this.level = level;
    }

    @Override
    public double gradient(DenseNetwork net, Batch batch, float[] gradient) {
        double l = inner.gradient(net, batch, gradient);
        if (l < level) {
            int n = net.trainableCount();
            for (int i = 0; i < n; i++) {
                gradient[i] = -gradient[i];
            }
        }
        return l;
    }

    @Override
    public String toString() {
        return "flooding(b=" + level + ", " + inner + ")";
    }
}
