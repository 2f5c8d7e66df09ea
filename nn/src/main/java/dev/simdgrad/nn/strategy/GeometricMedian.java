package dev.simdgrad.nn.strategy;

import dev.simdgrad.kernels.RobustAggregate;
import dev.simdgrad.nn.PerExampleDeltas;

/**
 * The geometric median of the per-example gradients, argmin_z Σ_i ‖z − g_i‖, by smoothed Weiszfeld from the mean:
 * <pre>
 *   z ← Σ_i β_i g_i / Σ_i β_i,   β_i = 1 / max(ν, ‖z − g_i‖)
 * </pre>
 * with the kernels' {@code RobustAggregate.geometricMedian}: every iterate is z = Σ_i w_i g_i, so its distances
 * come from the Gram matrix in O(B²), and only the final z is formed, by one SGEMM per layer. The default runs at
 * most 10 iterations (ν = 1e-6, stopping early when z moves by less than 1e-5 of its norm); an early stop returns
 * the last iterate, whose smoothed objective (see the kernels' {@code Aggregate.geometricMedian}) is no larger than
 * the mean's. On the scale of {@link Mean}. A NaN or
 * an infinity in any example's gradient makes the step NaN.
 */
public final class GeometricMedian implements GradientStrategy {
    private final double nu, tolerance;
    private final int maxIterations;
    private final GramLayers layers = new GramLayers();
    private int lastIterations;

    /** ν = 1e-6, at most 10 iterations, tolerance 1e-5. */
    public GeometricMedian() {
        this(1e-6, 10, 1e-5);
    }

    /**
     * @param nu            the smoothing ν, finite and {@code > 0}
     * @param maxIterations {@code >= 0} (0: the mean)
     * @param tolerance     relative change that stops the iteration, finite and {@code >= 0}
     */
    public GeometricMedian(double nu, int maxIterations, double tolerance) {
        if (!(nu > 0) || Double.isInfinite(nu) || maxIterations < 0 || !(tolerance >= 0)
                || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("nu=" + nu + ", maxIterations=" + maxIterations + ", tolerance="
                    + tolerance + ": needs finite nu > 0, maxIterations >= 0, finite tolerance >= 0");
        }
        this.nu = nu;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        if (FusedLayers.prepare(deltas, gradient)) {
            lastIterations = RobustAggregate.geometricMedian(deltas.batchSize(), layers.of(deltas, gradient), nu,
                    maxIterations, tolerance);
        }
    }

    /** The Weiszfeld iterations of the last step (below the maximum: the tolerance was met). */
    public int lastIterations() {
        return lastIterations;
    }

    @Override
    public String toString() {
        return "geomed";
    }
}
