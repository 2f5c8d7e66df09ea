package dev.simdgrad.nn.strategy;

import dev.simdgrad.kernels.FusedAggregate;
import dev.simdgrad.nn.PerExampleDeltas;

/**
 * Winsorized gradient descent (Chatterjee, Coherent Gradients, ICLR 2020): for every scalar parameter, take its B
 * per-example gradient values v_1..v_B, sorted v_(1) &lt;= .. &lt;= v_(B); raise the c smallest to v_(c+1) and lower
 * the c largest to v_(B-c); combine the clipped values w_i:
 * <pre>
 *   step gradient = (1/B) Σ_i w_i
 * </pre>
 * for weights and biases of every trainable layer, fused from (Δ, X) by {@code FusedAggregate.winsorizedMean}: the
 * values δ_i[r]·x_i[c] are generated tile by tile and reduced on the spot, never the B x P matrix.
 *
 * <p><b>Sum or mean.</b> The paper sums the clipped per-example gradients and calls c = 0 plain SGD, at lr 0.1 and
 * batch 100. A plain SGD step follows the gradient of the <em>mean</em> minibatch loss, so the paper's per-example
 * gradients are those of the per-example contributions ℓ_i/B, and their sum at c = 0 is the mean gradient. Here g_i
 * is the gradient of ℓ_i itself (see {@link GradientStrategy}); clipping commutes with the positive factor 1/B, so
 * the paper's sum is exactly our (1/B) Σ w_i, and the paper's learning rates carry over unchanged. (Summing our g_i,
 * as {@link Sum} does, would multiply the step by B.)
 *
 * <p><b>c = 0.</b> The definition is then the mean, and this strategy delegates to {@link Mean} (one SGEMM per layer):
 * bitwise the plain SGD gradient, so an experiment's c = 0 baseline is the {@code Mean} run itself.
 *
 * <p>Requires 2c &lt; B (else {@link IllegalArgumentException}, gradient unchanged). Exactness and error bounds are
 * those of {@code Aggregate.winsorizedMean}: the thresholds are exact, the sum of the B clipped values is within
 * γ(B) Σ|w_i| / B.
 */
public final class Winsorize implements GradientStrategy {
    private final int c;
    private final Mean mean = new Mean();
    // Bound once: a capturing lambda created per call would allocate on every step.
    private final FusedLayers.Rule rule;

    /** @param c values clipped at each end of every coordinate, {@code c >= 0} */
    public Winsorize(int c) {
        if (c < 0) {
            throw new IllegalArgumentException("c=" + c + " must be >= 0");
        }
        this.c = c;
        this.rule = (b, dOut, dIn, d, dOff, ldd, x, xOff, ldx, gw, gwOff, ldgw, gb, gbOff) ->
                FusedAggregate.winsorizedMean(b, dOut, dIn, d, dOff, ldd, x, xOff, ldx, c, gw, gwOff, ldgw, gb, gbOff);
    }

    /** The number c of values clipped at each end. */
    public int c() {
        return c;
    }

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        if (c == 0) {
            mean.aggregate(deltas, gradient);
            return;
        }
        if (FusedLayers.prepare(deltas, gradient)) {
            FusedLayers.checkC("winsorize", c, deltas.batchSize());
            FusedLayers.apply(deltas, gradient, rule);
        }
    }

    /** True for c &gt; 0: 2c &lt; B must hold for every batch, and c clips a different share of a smaller one. */
    @Override
    public boolean needsWholeBatches() {
        return c > 0;
    }

    @Override
    public void checkBatchSize(int batchSize) {
        if (c > 0) {
            FusedLayers.checkC("winsorize", c, batchSize);
        }
    }

    @Override
    public String toString() {
        return "winsorize(" + c + ")";
    }
}
