package dev.simdgrad.nn.optim;

import dev.simdgrad.kernels.ParameterUpdate;
import dev.simdgrad.nn.DenseNetwork;

import java.util.Objects;

/**
 * Stochastic gradient descent with heavy-ball momentum μ, optional Nesterov momentum and (coupled, L2) weight decay
 * λ, on the trainable parameters; the convention of PyTorch's {@code torch.optim.SGD}. Step t with gradient g:
 * <pre>
 *   g' = g + λ θ
 *   v  = μ v + g'                 (v = 0 before the first step)
 *   d  = g' + μ v  (Nesterov)  or  v
 *   θ  = θ - η_t d
 * </pre>
 * With μ = 0 and λ = 0 this is plain SGD, θ = θ - η_t g; fed full-batch gradients it is gradient descent. The
 * velocity is allocated on the first step (one array of the trainable size) and reused. Frozen layers are not
 * touched: the gradient (and velocity) entries map onto θ through {@link DenseNetwork#trainableSpans()}.
 */
public final class Sgd {
    private final Schedule schedule;
    private final float momentum, weightDecay;
    private final boolean nesterov;
    private float[] velocity;
    private long steps;

    public Sgd(Schedule schedule, float momentum, boolean nesterov, float weightDecay) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("need 0 <= momentum < 1 and finite weightDecay >= 0: momentum="
                    + momentum + ", weightDecay=" + weightDecay);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov needs momentum > 0");
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    /** Plain SGD (no momentum, no weight decay) with a constant learning rate. */
    public static Sgd plain(double learningRate) {
        return new Sgd(Schedule.constant(learningRate), 0f, false, 0f);
    }

    /**
     * One step θ ← θ - η_t d on the network's trainable parameters (see the class comment); {@code gradient} is not
     * modified. The update runs as {@link dev.simdgrad.kernels.ParameterUpdate}'s vectorized kernels (the same bits
     * as the formula evaluated element by element in float).
     *
     * @throws IllegalArgumentException if {@code gradient} has fewer than {@link DenseNetwork#trainableCount()}
     *                                  entries or is the network's own parameter array
     */
    public void step(DenseNetwork net, float[] gradient) {
        int n = net.trainableCount();
        if (gradient.length < n) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " entries, needs " + n);
        }
        float[] theta = net.parameters();
        float lr = (float) schedule.rate(steps);
        if (momentum != 0 && (velocity == null || velocity.length != n)) {
            velocity = new float[n];
        }
        for (DenseNetwork.Span span : net.trainableSpans()) {
            int po = span.parameterOffset(), go = span.gradientOffset(), len = span.length();
            if (momentum == 0) {
                ParameterUpdate.sgd(theta, po, gradient, go, len, lr, weightDecay);
            } else {
                ParameterUpdate.momentum(theta, po, gradient, go, velocity, go, len, lr, weightDecay, momentum,
                        nesterov);
            }
        }
        steps++;
    }

    /** Number of steps taken. */
    public long steps() {
        return steps;
    }

    /** The learning rate of the next step. */
    public double currentRate() {
        return schedule.rate(steps);
    }

    /**
     * The velocity v after the steps taken, in the gradient layout (a copy), or null if there is none yet (no step
     * taken, or no momentum). With {@link #restore} it carries the optimizer across processes: a data-parallel worker
     * that keeps its momentum from round to round, or a checkpoint.
     */
    public float[] velocity() {
        return velocity == null ? null : velocity.clone();
    }

    /**
     * Continues as if {@code steps} steps had been taken and had left {@code velocity} (copied; null: none yet): the
     * next step uses η at step {@code steps} of the schedule and this velocity, bit for bit as an optimizer that took
     * those steps itself.
     *
     * @throws IllegalArgumentException if {@code steps < 0}, or a velocity is given without momentum
     */
    public void restore(long steps, float[] velocity) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps=" + steps + " must be >= 0");
        }
        if (velocity != null && momentum == 0) {
            throw new IllegalArgumentException("a velocity of " + velocity.length + " values for SGD without momentum");
        }
        this.steps = steps;
        this.velocity = velocity == null ? null : velocity.clone();
    }

    /** Forgets the velocity and the step count. */
    public void reset() {
        velocity = null;
        steps = 0;
    }
}
