package dev.simdgrad.verify;

/**
 * The scalar twins of the elementwise kernels ({@link dev.simdgrad.kernels.ParameterUpdate},
 * {@link dev.simdgrad.kernels.BiasActivation}): their definitions as plain loops, one float operation per step,
 * each rounded once. There is no sum to reorder, so the bound is zero: the kernels must give these bits exactly
 * (NaN compared as NaN, whatever its payload), at every vector width.
 */
public final class ReferenceElementwise {
    private ReferenceElementwise() {
    }

    /** θ ← θ - η (g + λ θ), element by element. */
    public static void sgd(float[] theta, int to, float[] g, int go, int n, float lr, float wd) {
        for (int i = 0; i < n; i++) {
            float decayed = g[go + i] + wd * theta[to + i];
            theta[to + i] = theta[to + i] - lr * decayed;
        }
    }

    /** g' = g + λ θ, v ← μ v + g', θ ← θ - η (Nesterov ? g' + μ v : v), element by element. */
    public static void momentum(float[] theta, int to, float[] g, int go, float[] v, int vo, int n, float lr,
                                float wd, float mu, boolean nesterov) {
        for (int i = 0; i < n; i++) {
            float decayed = g[go + i] + wd * theta[to + i];
            float velocity = mu * v[vo + i] + decayed;
            v[vo + i] = velocity;
            float step = nesterov ? decayed + mu * velocity : velocity;
            theta[to + i] = theta[to + i] - lr * step;
        }
    }

    /** out = x + t v, element by element. */
    public static void shifted(float[] x, int xo, float[] v, int vo, int n, float t, float[] out, int oo) {
        for (int i = 0; i < n; i++) {
            float step = t * v[vo + i];
            out[oo + i] = x[xo + i] + step;
        }
    }

    /** Z[r][c] ← Z[r][c] + b[c]. */
    public static void addBias(float[] z, int zo, int rows, int cols, int ldz, float[] b, int bo) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                z[zo + r * ldz + c] = z[zo + r * ldz + c] + b[bo + c];
            }
        }
    }

    /** A = z > 0 ? s z : 0 and P = z > 0 ? s : 0. */
    public static void relu(float[] z, int zo, int n, float s, float[] a, int ao, float[] p, int po) {
        for (int i = 0; i < n; i++) {
            float x = z[zo + i];
            boolean positive = x > 0;
            a[ao + i] = positive ? s * x : 0f;
            p[po + i] = positive ? s : 0f;
        }
    }
}
