package dev.simdgrad.verify.check;

/**
 * The signature of {@link dev.simdgrad.kernels.Sgemm#sgemm}, so that {@link SgemmCheck} can check it, or (in tests)
 * a deliberately wrong implementation to show the check catches it.
 */
@FunctionalInterface
public interface SgemmFunction {
    /** {@code C := alpha * op(A) * op(B) + beta * C}, row-major, with {@code cblas_sgemm} semantics. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float alpha, float[] a, int aOffset, int lda,
               float[] b, int bOffset, int ldb,
               float beta, float[] c, int cOffset, int ldc);
}
