package dev.simdgrad.nn.strategy;

import dev.simdgrad.kernels.RobustAggregate;
import dev.simdgrad.nn.PerExampleDeltas;

/**
 * Centered clipping (Karimireddy, He and Jaggi, ICML 2021) over the per-example gradients, centered at the previous
 * step's result:
 * <pre>
 *   v ← v + (1/B) Σ_i clip_τ(g_i − v),   clip_τ(u) = u · min(1, τ / ‖u‖),   from v = the previous step
 * </pre>
 * once per step (the paper's L = 1), by the kernels' {@code RobustAggregate.centeredClipping}: the distances
 * ‖g_i − v‖ from the Gram matrix of the gradients and the center, the new v by one SGEMM per layer (v's old value
 * as its β term). Each example moves the center by at most τ/B. On the scale of {@link Mean}: with τ at least every
 * ‖g_i − v‖ the step is the batch mean.
 *
 * <p><b>State.</b> The center starts at zero and after each step is that step's result; {@link #reset()} sets it
 * back to zero, as does a change of the gradient length. One call of {@link #aggregate} is one step. A NaN or an
 * infinity in an example's gradient (or the center) makes the step NaN, and the next center too.
 */
public final class CenteredClipping implements GradientStrategy {
    private final float tau;
    private final int iterations;
    private final GramLayers layers = new GramLayers();
    private float[] center = new float[0];

    /** One clipping iteration per step, radius τ. */
    public CenteredClipping(float tau) {
        this(tau, 1);
    }

    /**
     * @param tau        the clipping radius τ, finite and {@code > 0}
     * @param iterations clipping iterations per step, {@code >= 1}
     */
    public CenteredClipping(float tau, int iterations) {
        if (!(tau > 0) || Float.isInfinite(tau) || iterations < 1) {
            throw new IllegalArgumentException("tau=" + tau + ", iterations=" + iterations
                    + ": needs finite tau > 0 and iterations >= 1");
        }
        this.tau = tau;
        this.iterations = iterations;
    }

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        int n = deltas.gradientLength();
        if (center.length != n) {
            center = new float[n];
        }
        if (!FusedLayers.prepare(deltas, gradient)) {
            return;
        }
        System.arraycopy(center, 0, gradient, 0, n);
        RobustAggregate.centeredClipping(deltas.batchSize(), layers.of(deltas, gradient), tau, iterations);
        System.arraycopy(gradient, 0, center, 0, n);
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(center, 0f);
    }

    /** True: the center carries over from step to step, so one call must be one step. */
    @Override
    public boolean isStateful() {
        return true;
    }

    @Override
    public String toString() {
        return "cc(" + tau + ")";
    }
}
