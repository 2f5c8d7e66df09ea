package dev.simdgrad.nn.metrics;

import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;

/**
 * The neural tangent kernel Gram matrix of the first layer, H = J Jᵀ with J_i = ∂f(x_i)/∂(W₁, b₁), for a network
 * with one output (k = 1). Since ∂f(x_i)/∂w_r = s a_r σ'(w_rᵀx_i + b_r) x_i,
 * <pre>  H = s² (X Xᵀ + [1 1ᵀ with a hidden bias]) ∘ (S Sᵀ),   S_ir = a_r σ'(z_ir)</pre>
 * (s = 1/√m in the NTK parametrization, ∘ the entrywise product): two n x n SGEMMs (X Xᵀ over d, S Sᵀ over m) and a
 * Hadamard product in double. Also the infinite-width limit for ReLU on unit-norm inputs (Arora et al. 2019),
 * H∞_ij = x_iᵀx_j (π - arccos(x_iᵀx_j)) / (2π), to which H at a N(0, I) initialization converges as m → ∞.
 *
 * <p>Defined for the two-layer network of the NTK theory ({@link TwoLayerNet}, one output), whose first-layer kernel
 * this is; deeper {@code DenseNetwork}s have no analogue here.
 */
public final class NtkGram {
    private NtkGram() {
    }

    /**
     * H at the network's current parameters over the dataset's inputs, n x n row-major in double.
     *
     * @throws IllegalArgumentException if the network has more than one output
     */
    public static double[] of(TwoLayerNet net, Dataset data) {
        Factors f = factors(net, data);
        int n = data.size(), m = net.spec().hidden(), d = net.spec().inputs();
        float[] xx = new float[n * n], ss = new float[n * n];
        float[] x = data.inputs();
        Sgemm.sgemm(false, true, n, n, d, 1f, x, 0, d, x, 0, d, 0f, xx, 0, n);
        Sgemm.sgemm(false, true, n, n, m, 1f, f.s, 0, m, f.s, 0, m, 0f, ss, 0, n);
        double s2 = (double) net.spec().hiddenScale() * net.spec().hiddenScale();
        double bias = net.spec().hiddenBias() ? 1 : 0;
        double[] h = new double[n * n];
        for (int e = 0; e < n * n; e++) {
            h[e] = s2 * ((double) xx[e] + bias) * ss[e];
        }
        return h;
    }

    /**
     * S_ir = a_r σ'(z_ir) over the dataset (n x m row-major float), with a_r the output weights; for the Jacobian
     * products of {@link MinNormSolution}.
     */
    static Factors factors(TwoLayerNet net, Dataset data) {
        if (net.spec().outputs() != 1) {
            throw new IllegalArgumentException("the NTK Gram matrix is defined here for one output, the network has "
                    + net.spec().outputs());
        }
        int n = data.size(), m = net.spec().hidden();
        Workspace ws = net.workspace(Math.max(1, n));
        net.forward(Batch.of(data), ws);
        Activation act = net.spec().activation();
        float[] z1 = ws.preActivations(), theta = net.parameters();
        int w2 = net.w2Offset();
        float[] s = new float[n * m];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < m; r++) {
                s[i * m + r] = theta[w2 + r] * (float) act.derivative(z1[i * m + r]);
            }
        }
        return new Factors(s, java.util.Arrays.copyOf(ws.outputs(), n));
    }

    /** S and the outputs f(x_i) at the same parameters. */
    record Factors(float[] s, float[] outputs) {
    }

    /**
     * H∞ for ReLU on unit-norm inputs: x_iᵀx_j (π - arccos(x_iᵀx_j)) / (2π), inner products in double and clamped
     * to [-1, 1] against rounding.
     */
    public static double[] reluInfinite(Dataset data) {
        int n = data.size(), d = data.features();
        double[] h = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double c = 0;
                for (int q = 0; q < d; q++) {
                    c += (double) data.x(i, q) * data.x(j, q);
                }
                c = Math.max(-1, Math.min(1, c));
                double v = c * (Math.PI - Math.acos(c)) / (2 * Math.PI);
                h[i * n + j] = v;
                h[j * n + i] = v;
            }
        }
        return h;
    }
}
