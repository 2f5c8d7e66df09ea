package dev.simdgrad.nn.strategy;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.nn.PerExampleDeltas;

import java.util.Objects;

/**
 * RM3 (Zielinski et al., arXiv 2003.07422): the coordinate-wise median of the current and the two previous minibatch
 * gradients, every step, no momentum:
 * <pre>
 *   step_t = median(g_t, g_{t-1}, g_{t-2})      per coordinate  (= sum - min - max)
 * </pre>
 * where g_t is the minibatch gradient of step t from an inner strategy ({@link Mean} by default), computed by
 * {@code Aggregate.medianOfThree} (exact: a value of one of the three).
 *
 * <p><b>The first two steps</b> use the median of the gradients that exist: step 1 follows g_1 itself (bitwise the
 * inner strategy), step 2 the median of two, which by the convention of {@code Aggregate.median} is their mean,
 * computed as 0.5·g_1 + 0.5·g_2 (the correctly rounded mean, except that halving a subnormal may round). From step
 * 3 on, the median of three. Neither a zero-filled history (which would stall the first steps) nor repeating g_1
 * (which would ignore g_2) is used. {@link #reset()} starts over at step 1; so does a change in the gradient length.
 *
 * <p><b>State.</b> One call of {@link #aggregate} is one step: use it with an objective that asks for one gradient
 * per step ({@code LossGradient}); the finite-difference regularizers and SAM evaluate their strategy twice per step
 * and would advance the history twice. Scratch: three gradient-sized arrays, allocated on the first call.
 */
public final class RM3 implements GradientStrategy {
    private final GradientStrategy minibatch;
    // g_{t-2}, g_{t-1} and the buffer receiving g_t; rotated after every step.
    private float[] older, previous, current;
    private int history;   // how many of older, previous hold gradients: 0, 1 or 2

    /** RM3 of the plain minibatch gradients ({@link Mean}). */
    public RM3() {
        this(new Mean());
    }

    /** RM3 of the minibatch gradients of another strategy (for example clipped ones). */
    public RM3(GradientStrategy minibatch) {
        this.minibatch = Objects.requireNonNull(minibatch, "minibatch");
    }

    @Override
    public void checkBatchSize(int batchSize) {
        minibatch.checkBatchSize(batchSize);
    }

    @Override
    public boolean needsWholeBatches() {
        return minibatch.needsWholeBatches();
    }

    /** True: one call is one step of the history. */
    @Override
    public boolean isStateful() {
        return true;
    }

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        int n = deltas.gradientLength();
        if (gradient.length < n) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " entries, needs " + n);
        }
        if (current == null || current.length != n) {
            older = new float[n];
            previous = new float[n];
            current = new float[n];
            history = 0;
        }
        minibatch.aggregate(deltas, current);
        switch (history) {
            case 0 -> System.arraycopy(current, 0, gradient, 0, n);
            case 1 -> {
                for (int j = 0; j < n; j++) {
                    // Halves are exact (barring subnormals), so this is fl((a + b) / 2) and cannot overflow.
                    gradient[j] = 0.5f * previous[j] + 0.5f * current[j];
                }
            }
            default -> Aggregate.medianOfThree(older, previous, current, 0, n, gradient, 0);
        }
        float[] free = older;
        older = previous;
        previous = current;
        current = free;
        history = Math.min(2, history + 1);
    }

    @Override
    public void reset() {
        history = 0;
        minibatch.reset();
    }

    /** That of the inner strategy. */
    @Override
    public String toString() {
        return "rm3(" + minibatch + ")";
    }
}
