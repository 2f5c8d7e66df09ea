package dev.simdgrad.nn.metrics;

/**
 * Cholesky factorization A = L Lᵀ of a symmetric positive definite n x n matrix, in double, and the solve
 * A x = b by two triangular substitutions. For the NTK system H α = y, where n (the number of training examples) is
 * at most a few thousand: O(n³/3) flops, plain loops in row-major order (the inner loops run over contiguous rows).
 *
 * <p>Backward stable: the computed factor satisfies L Lᵀ = A + E with |E| &lt;= γ(n+1) |L||Lᵀ| (Higham, Thm 10.3),
 * so the solution's relative error is about κ(A)·n·2⁻⁵³.
 */
public final class Cholesky {
    private final int n;
    private final double[] l;

    private Cholesky(int n, double[] l) {
        this.n = n;
        this.l = l;
    }

    /**
     * Factors A (n x n row-major, only the lower triangle is read; not modified).
     *
     * @throws IllegalArgumentException if A's length is not n², or A is not positive definite (a pivot is not
     *                                  positive or not finite), naming the pivot
     */
    public static Cholesky factor(double[] a, int n) {
        if (n < 0 || a.length != (long) n * n) {
            throw new IllegalArgumentException("a must hold n*n = " + (long) n * n + " entries, got " + a.length);
        }
        double[] l = new double[n * n];
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int p = 0; p < j; p++) {
                d -= l[j * n + p] * l[j * n + p];
            }
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("matrix is not positive definite: pivot " + j + " is " + d);
            }
            double ljj = Math.sqrt(d);
            l[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int p = 0; p < j; p++) {
                    s -= l[i * n + p] * l[j * n + p];
                }
                l[i * n + j] = s / ljj;
            }
        }
        return new Cholesky(n, l);
    }

    /** x = A⁻¹ b (L y = b, then Lᵀ x = y). */
    public double[] solve(double[] b) {
        if (b.length != n) {
            throw new IllegalArgumentException("b has " + b.length + " entries, the matrix is " + n + " x " + n);
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int p = 0; p < i; p++) {
                s -= l[i * n + p] * y[p];
            }
            y[i] = s / l[i * n + i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int p = i + 1; p < n; p++) {
                s -= l[p * n + i] * x[p];
            }
            x[i] = s / l[i * n + i];
        }
        return x;
    }

    /** The factor L, n x n row-major lower triangular (a copy). */
    public double[] lower() {
        return l.clone();
    }

    /** n. */
    public int size() {
        return n;
    }
}
