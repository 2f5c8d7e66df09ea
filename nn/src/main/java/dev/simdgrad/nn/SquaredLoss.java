package dev.simdgrad.nn;

import dev.simdgrad.nn.data.Batch;

/**
 * Squared loss ℓ_i = ½ ‖z_i - y_i‖², with per-example gradient δ_i = z_i - y_i and output Hessian the identity.
 * Targets y_i are the batch's real targets (width k: scalar ±1 labels use k = 1), or, when the batch has only class
 * labels, their one-hot encoding. Batch loss: the mean over the batch (see {@link Loss}); the ½ makes the
 * per-example gradient the plain residual, as in the NTK analyses.
 */
public final class SquaredLoss implements Loss {

    @Override
    public double lossAndDelta(float[] z, int k, Batch batch, float[] delta) {
        checkTargets(batch, k);
        int b = batch.size();
        double total = 0;
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < k; c++) {
                int o = i * k + c;
                float r = z[o] - target(batch, k, i, c);
                total += 0.5 * (double) r * r;
                delta[o] = r;
            }
        }
        return b == 0 ? 0 : total / b;
    }

    @Override
    public double loss(float[] z, int k, Batch batch) {
        checkTargets(batch, k);
        int b = batch.size();
        double total = 0;
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < k; c++) {
                double r = (double) z[i * k + c] - target(batch, k, i, c);
                total += 0.5 * r * r;
            }
        }
        return b == 0 ? 0 : total / b;
    }

    @Override
    public void hessianProduct(float[] z, int k, Batch batch, float[] zDot, float[] out) {
        System.arraycopy(zDot, 0, out, 0, batch.size() * k);
    }

    @Override
    public void checkTargets(Batch batch, int k) {
        if (batch.targets() != null) {
            if (batch.targetWidth() != k) {
                throw new IllegalArgumentException("squared loss: targets have width " + batch.targetWidth()
                        + " but the network has k=" + k + " outputs");
            }
        } else if (batch.labels() == null) {
            throw new IllegalArgumentException("squared loss needs targets or labels; the batch has neither");
        } else if (batch.classes() > k) {
            throw new IllegalArgumentException("squared loss on one-hot labels: " + batch.classes()
                    + " classes do not fit k=" + k + " outputs");
        }
    }

    private static float target(Batch batch, int k, int i, int c) {
        float[] t = batch.targets();
        if (t != null) {
            return t[i * k + c];
        }
        return batch.labels()[i] == c ? 1f : 0f;
    }

    @Override
    public String toString() {
        return "squared";
    }
}
