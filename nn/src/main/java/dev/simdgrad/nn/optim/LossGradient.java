package dev.simdgrad.nn.optim;

import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.strategy.GradientStrategy;

import java.util.Objects;

/**
 * The unregularized objective: forward, loss, per-example deltas, then the strategy's aggregate of the per-example
 * gradients (with {@code Mean}, exactly ∇L for the mean loss L). The building block of every other objective.
 */
public final class LossGradient implements Objective {
    private final Loss loss;
    private final GradientStrategy strategy;
    private Workspace ws;

    public LossGradient(Loss loss, GradientStrategy strategy) {
        this.loss = Objects.requireNonNull(loss, "loss");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    public Loss loss() {
        return loss;
    }

    public GradientStrategy strategy() {
        return strategy;
    }

    /** The workspace of the last call (holding its per-example deltas), for metrics; null before the first. */
    public Workspace workspace() {
        return ws;
    }

    @Override
    public double gradient(DenseNetwork net, Batch batch, float[] gradient) {
        if (gradient.length < net.trainableCount()) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " entries, needs "
                    + net.trainableCount());
        }
        ws = workspaceFor(ws, net, batch);
        double l = net.lossAndDeltas(loss, batch, ws);
        strategy.aggregate(ws, gradient);
        return l;
    }

    /**
     * {@code gradient := scale * ∇L + beta * gradient} in one pass for a linear strategy
     * ({@link GradientStrategy#aggregateScaled}); the loss.
     */
    double gradientScaled(DenseNetwork net, Batch batch, float[] gradient, float scale, float beta) {
        if (gradient.length < net.trainableCount()) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " entries, needs "
                    + net.trainableCount());
        }
        ws = workspaceFor(ws, net, batch);
        double l = net.lossAndDeltas(loss, batch, ws);
        strategy.aggregateScaled(ws, gradient, scale, beta);
        return l;
    }

    /**
     * Returns this objective for {@code user}, which evaluates it twice per step, after checking that its strategy
     * keeps no per-step history (a second evaluation would advance RM3's history twice per step).
     *
     * @throws IllegalArgumentException if the strategy is stateful
     */
    LossGradient evaluatedTwicePerStep(String user) {
        if (strategy.isStateful()) {
            throw new IllegalArgumentException(user + " evaluates its inner gradient twice per step, which would"
                    + " advance the history of the stateful strategy " + strategy + " twice per step");
        }
        return this;
    }

    static Workspace workspaceFor(Workspace ws, DenseNetwork net, Batch batch) {
        return ws != null && ws.accepts(net, batch.size()) ? ws : net.workspace(Math.max(1, batch.capacity()));
    }

    @Override
    public String toString() {
        return loss + "/" + strategy;
    }
}
