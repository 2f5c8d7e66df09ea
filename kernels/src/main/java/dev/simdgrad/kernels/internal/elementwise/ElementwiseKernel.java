package dev.simdgrad.kernels.internal.elementwise;

import dev.simdgrad.kernels.internal.KernelProvider;
import dev.simdgrad.kernels.internal.simd.VectorSupportProbe;

/**
 * The elementwise passes of a training step around its matrix products: the optimizer's parameter update, the
 * perturbed parameters of the regularizers that evaluate a second gradient, a dense layer's bias and its ReLU. Each is written as a plain loop here ({@link #SCALAR}) and on the Vector API; every
 * element goes through the same float operations in the same order (a multiply then an add, never a fused
 * multiply-add), so every implementation gives the same bits. Arguments are checked by the public entry points.
 *
 * <p>Why a kernel for loops this simple: C2 vectorizes a loop over two arrays only when it can prove they do not
 * overlap, and with two offsets it cannot (JDK 25). The SGD update of a 784-256-10 network (203,530 parameters) took
 * 90 us as a scalar loop and 18-20 us vectorized; the ReLU with its derivative over 128 x 256 values 24 us (the
 * conditional store is left scalar too) against 4 (plain Java harness, 1 thread, Zen 4).
 */
public interface ElementwiseKernel {
    /** {@code theta[to + i] = theta[to + i] - lr * (g[go + i] + wd * theta[to + i])} for {@code i < n}. */
    void sgd(float[] theta, int to, float[] g, int go, int n, float lr, float wd);

    /**
     * Heavy-ball momentum, for {@code i < n}: {@code g' = g + wd * theta}, {@code v = mu * v + g'}, then
     * {@code theta = theta - lr * (nesterov ? g' + mu * v : v)}.
     */
    void momentum(float[] theta, int to, float[] g, int go, float[] v, int vo, int n, float lr, float wd, float mu,
                  boolean nesterov);

    /** {@code out[oo + i] = x[xo + i] + t * v[vo + i]} for {@code i < n}. */
    void shifted(float[] x, int xo, float[] v, int vo, int n, float t, float[] out, int oo);

    /** {@code z[zo + r*ldz + c] += b[bo + c]} for {@code r < rows, c < cols}. */
    void addBias(float[] z, int zo, int rows, int cols, int ldz, float[] b, int bo);

    /**
     * For {@code i < n}: {@code a[ao + i] = z > 0 ? s * z : 0} and {@code p[po + i] = z > 0 ? s : 0} with
     * {@code z = z[zo + i]} (NaN and -0 give +0 in both).
     */
    void relu(float[] z, int zo, int n, float s, float[] a, int ao, float[] p, int po);

    /** The plain loops. */
    ElementwiseKernel SCALAR = new ElementwiseKernel() {
        @Override
        public void sgd(float[] theta, int to, float[] g, int go, int n, float lr, float wd) {
            for (int i = 0; i < n; i++) {
                theta[to + i] -= lr * (g[go + i] + wd * theta[to + i]);
            }
        }

        @Override
        public void momentum(float[] theta, int to, float[] g, int go, float[] v, int vo, int n, float lr, float wd,
                             float mu, boolean nesterov) {
            for (int i = 0; i < n; i++) {
                float gi = g[go + i] + wd * theta[to + i];
                float vi = mu * v[vo + i] + gi;
                v[vo + i] = vi;
                theta[to + i] -= lr * (nesterov ? gi + mu * vi : vi);
            }
        }

        @Override
        public void shifted(float[] x, int xo, float[] v, int vo, int n, float t, float[] out, int oo) {
            for (int i = 0; i < n; i++) {
                out[oo + i] = x[xo + i] + t * v[vo + i];
            }
        }

        @Override
        public void addBias(float[] z, int zo, int rows, int cols, int ldz, float[] b, int bo) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    z[zo + r * ldz + c] += b[bo + c];
                }
            }
        }

        @Override
        public void relu(float[] z, int zo, int n, float s, float[] a, int ao, float[] p, int po) {
            for (int i = 0; i < n; i++) {
                float x = z[zo + i];
                a[ao + i] = x > 0 ? s * x : 0f;
                p[po + i] = x > 0 ? s : 0f;
            }
        }
    };

    /** The implementation of this JVM's width. */
    ElementwiseKernel CHOSEN = KernelProvider.choice().bits() == 0 ? SCALAR : VectorSupportProbe.elementwiseKernel();
}
