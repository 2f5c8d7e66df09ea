package dev.simdgrad.verify;

/**
 * The scalar twin of {@link dev.simdgrad.kernels.Sgemm#sgemm}: same signature and semantics, plain loops, each
 * element accumulated in {@code double} and rounded to float once. Slow (no blocking, no SIMD) and unchecked beyond
 * what array indexing checks: it is the yardstick, not a kernel.
 */
public final class ReferenceSgemm {
    private ReferenceSgemm() {
    }

    /**
     * {@code C := alpha * op(A) * op(B) + beta * C}, row-major, as {@code cblas_sgemm}: {@code beta == 0} does not read
     * C; {@code alpha == 0} or {@code k == 0} computes {@code beta * C} without reading A or B.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float alpha, float[] a, int aOffset, int lda,
                             float[] b, int bOffset, int ldb,
                             float beta, float[] c, int cOffset, int ldc) {
        boolean readsAB = alpha != 0f && k > 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOffset + i * ldc + j;
                double old = beta == 0f ? 0.0 : (double) beta * c[ci];
                if (!readsAB) {
                    c[ci] = (float) old;
                    continue;
                }
                double sum = 0.0;
                for (int l = 0; l < k; l++) {
                    float x = transA ? a[aOffset + l * lda + i] : a[aOffset + i * lda + l];
                    float y = transB ? b[bOffset + j * ldb + l] : b[bOffset + l * ldb + j];
                    sum += (double) x * y;
                }
                c[ci] = (float) ((double) alpha * sum + old);
            }
        }
    }

    /**
     * The magnitude the SGEMM error bound scales with: {@code |alpha| (|op(A)| |op(B)|)_ij + |beta| |C_ij|}, for all
     * i, j, into {@code out} (m x n, dense). {@code c} holds C's value before the call; {@code beta == 0} ignores it.
     */
    public static void magnitude(boolean transA, boolean transB, int m, int n, int k,
                                 float alpha, float[] a, int aOffset, int lda,
                                 float[] b, int bOffset, int ldb,
                                 float beta, float[] c, int cOffset, int ldc, double[] out) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                if (alpha != 0f) {
                    for (int l = 0; l < k; l++) {
                        float x = transA ? a[aOffset + l * lda + i] : a[aOffset + i * lda + l];
                        float y = transB ? b[bOffset + j * ldb + l] : b[bOffset + l * ldb + j];
                        sum += Math.abs((double) x * y);
                    }
                }
                double old = beta == 0f ? 0.0 : Math.abs((double) beta * c[cOffset + i * ldc + j]);
                out[i * n + j] = Math.abs((double) alpha) * sum + old;
            }
        }
    }
}
