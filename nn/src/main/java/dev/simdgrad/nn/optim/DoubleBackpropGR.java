package dev.simdgrad.nn.optim;

import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.strategy.Mean;

/**
 * Gradient regularization by double backpropagation (DB, Karakida et al. 2023): the exact gradient of
 * L + (γ/2)‖∇L‖², which is ∇L + γ H ∇L with H = ∇²L. The Hessian-vector product is the network's analytic one
 * ({@link DenseNetwork#hessianVectorProduct}), in float on the kernels. L is the mean loss and ∇L its gradient
 * ({@link Mean}): the regularizer is defined on the batch gradient, so a robust aggregation does not apply here.
 */
public final class DoubleBackpropGR implements Objective {
    private final Loss loss;
    private final float gamma;
    private final Mean mean = new Mean();
    private Workspace ws;
    private float[] hv = new float[0];

    /** @param gamma γ &gt;= 0, the weight of (1/2)‖∇L‖² */
    public DoubleBackpropGR(Loss loss, float gamma) {
        if (!(gamma >= 0 && gamma < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("gamma=" + gamma + " must be finite and >= 0");
        }
        this.loss = loss;
        this.gamma = gamma;
    }

    @Override
    public double gradient(DenseNetwork net, Batch batch, float[] gradient) {
        int n = net.trainableCount();
        ws = LossGradient.workspaceFor(ws, net, batch);
        double l = net.lossAndDeltas(loss, batch, ws);
        mean.aggregate(ws, gradient);
        if (hv.length < n) {
            hv = new float[n];
        }
        net.hessianVectorProduct(loss, batch, ws, gradient, hv);
        for (int i = 0; i < n; i++) {
            gradient[i] += gamma * hv[i];
        }
        return l;
    }

    @Override
    public String toString() {
        return "GR-DB(gamma=" + gamma + ")";
    }
}
