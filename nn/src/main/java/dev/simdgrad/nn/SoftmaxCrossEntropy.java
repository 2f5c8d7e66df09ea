package dev.simdgrad.nn;

import dev.simdgrad.nn.data.Batch;

/**
 * Softmax cross-entropy on class labels: ℓ_i = log Σ_c exp(z_ic) - z_{i,y_i}, computed stably as
 * max_c z_ic + log Σ_c exp(z_ic - max) (exponentials of non-positive numbers never overflow, and the largest term
 * is 1 so the logarithm never sees 0). Fused with its backward: δ_i = softmax(z_i) - e_{y_i}, from the same
 * exponentials. Output Hessian: ∇²ℓ_i = diag(p_i) - p_i p_iᵀ with p_i = softmax(z_i).
 *
 * <p>Batch loss: the mean over the batch (see {@link Loss}). The per-row sums run in double: k is small (10 for
 * Fashion-MNIST) so this costs nothing and keeps the loss accurate to float rounding of the result.
 */
public final class SoftmaxCrossEntropy implements Loss {

    @Override
    public double lossAndDelta(float[] z, int k, Batch batch, float[] delta) {
        checkTargets(batch, k);
        int b = batch.size();
        int[] y = batch.labels();
        double[] e = exponentials(k);
        double total = 0;
        for (int i = 0; i < b; i++) {
            int o = i * k;
            double max = max(z, o, k);
            double sum = 0;
            for (int c = 0; c < k; c++) {
                e[c] = Math.exp(z[o + c] - max);
                sum += e[c];
            }
            total += max + Math.log(sum) - z[o + y[i]];
            double inv = 1 / sum;
            for (int c = 0; c < k; c++) {
                delta[o + c] = (float) (e[c] * inv);
            }
            delta[o + y[i]] -= 1f;
        }
        return b == 0 ? 0 : total / b;
    }

    @Override
    public double loss(float[] z, int k, Batch batch) {
        checkTargets(batch, k);
        int b = batch.size();
        int[] y = batch.labels();
        double total = 0;
        for (int i = 0; i < b; i++) {
            int o = i * k;
            double max = max(z, o, k);
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[o + c] - max);
            }
            total += max + Math.log(sum) - z[o + y[i]];
        }
        return b == 0 ? 0 : total / b;
    }

    @Override
    public void hessianProduct(float[] z, int k, Batch batch, float[] zDot, float[] out) {
        checkTargets(batch, k);
        int b = batch.size();
        double[] e = exponentials(k);
        for (int i = 0; i < b; i++) {
            int o = i * k;
            double max = max(z, o, k);
            double sum = 0, pzSum = 0;
            for (int c = 0; c < k; c++) {
                e[c] = Math.exp(z[o + c] - max);
                sum += e[c];
                pzSum += e[c] * zDot[o + c];
            }
            double pDotZ = pzSum / sum;
            // (diag(p) - p pᵀ) ż = p ⊙ (ż - pᵀż)
            for (int c = 0; c < k; c++) {
                out[o + c] = (float) (e[c] / sum * (zDot[o + c] - pDotZ));
            }
        }
    }

    @Override
    public void checkTargets(Batch batch, int k) {
        if (batch.labels() == null) {
            throw new IllegalArgumentException("softmax cross-entropy needs labels; the batch has none");
        }
        if (batch.classes() > k) {
            throw new IllegalArgumentException("softmax cross-entropy over k=" + k + " outputs cannot fit "
                    + batch.classes() + " classes");
        }
    }

    /**
     * A row's exponentials, kept between the sum and the deltas (Math.exp twice per output was 15 us of the 128 x 10
     * loss, about half of it). Per thread, so a loss object can be shared; grown once, so steps do not allocate.
     */
    private static final ThreadLocal<double[]> EXPONENTIALS = ThreadLocal.withInitial(() -> new double[16]);

    private static double[] exponentials(int k) {
        double[] e = EXPONENTIALS.get();
        if (e.length < k) {
            e = new double[k];
            EXPONENTIALS.set(e);
        }
        return e;
    }

    private static double max(float[] z, int o, int k) {
        float m = z[o];
        for (int c = 1; c < k; c++) {
            m = Math.max(m, z[o + c]);
        }
        return m;
    }

    @Override
    public String toString() {
        return "softmax-cross-entropy";
    }
}
