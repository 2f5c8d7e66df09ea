package dev.simdgrad.kernels;

import dev.simdgrad.kernels.internal.gemm.GemmDriver;

/**
 * Single-precision general matrix multiply, row-major, with the semantics of {@code cblas_sgemm(CblasRowMajor, ...)}.
 *
 * <p>Computes {@code C := alpha * op(A) * op(B) + beta * C} where op(A) is m x k, op(B) is k x n and C is m x n.
 * Element (i, j) of a row-major matrix X with offset {@code xOffset} and leading dimension {@code ldx} is
 * {@code x[xOffset + i * ldx + j]}. A is stored m x k, or k x m when {@code transA}; B is stored k x n, or n x k when
 * {@code transB}.
 *
 * <p>Special cases, as in the reference BLAS: when {@code beta == 0} C is not read (NaN or Inf in C are
 * overwritten); when {@code alpha == 0} or {@code k == 0} the call computes {@code C := beta * C} without reading A
 * or B; when {@code m == 0} or {@code n == 0} it does nothing. Otherwise NaN and Inf in A and B propagate by IEEE
 * arithmetic. alpha is applied to each depth block of at most 256 separately, so a non-finite alpha with
 * {@code k > 256} can give NaN where the exact {@code alpha * (sum)} is infinite (partial sums of opposite signs).
 *
 * <p>Implementation: BLIS-style packed, register-blocked micro-kernels on the JDK Vector API (a 12 x 32 tile at
 * 512 bits, 6 x 16 at 256, 6 x 8 at 128) or plain Java (see {@link Simd}); multi-threaded over output tiles up to
 * {@link Parallelism#threads()}, with bitwise identical results for every thread count. Cost: 2mnk flops; packing
 * adds O(mk + nk) memory traffic. Scratch buffers are per thread and reused: no allocation in steady state.
 *
 * <p>Accuracy: each element is a sum of k products accumulated in float with FMA, in depth order, in blocks of at
 * most 256 (one block for products of up to 64,000 multiply-adds with B not transposed, which skip packing), so
 * {@code |C - exact| <= gamma(k + 2) * (|alpha| (|op(A)| |op(B)|)_ij + |beta| |C_ij|)} with
 * {@code gamma(n) = n u / (1 - n u)}, {@code u = 2^-24}. Every width computes each element this same way, so the
 * result has the same bits on the scalar path and at 128, 256 and 512 bits. The exception is a JVM without
 * hardware FMA ({@code -XX:-UseFMA}): only the scalar path runs there, with a separate multiply and add (the same
 * bound holds).
 */
public final class Sgemm {
    private Sgemm() {
    }

    /**
     * {@code C := alpha * op(A) * op(B) + beta * C}, row-major.
     *
     * @param transA  whether A is stored transposed (k x m)
     * @param transB  whether B is stored transposed (n x k)
     * @param m       rows of op(A) and C, {@code >= 0}
     * @param n       columns of op(B) and C, {@code >= 0}
     * @param k       columns of op(A) and rows of op(B), {@code >= 0}
     * @param alpha   scale of the product
     * @param a       storage of A
     * @param aOffset index of A's element (0, 0)
     * @param lda     row stride of A, {@code >= max(1, transA ? m : k)}
     * @param b       storage of B
     * @param bOffset index of B's element (0, 0)
     * @param ldb     row stride of B, {@code >= max(1, transB ? k : n)}
     * @param beta    scale of C's old value; 0 means C is not read
     * @param c       storage of C, not overlapping A or B
     * @param cOffset index of C's element (0, 0)
     * @param ldc     row stride of C, {@code >= max(1, n)}
     * @throws IllegalArgumentException  for a negative size, a leading dimension below its minimum, a null array that
     *                                   would be touched, or C overlapping A or B; nothing is written
     * @throws IndexOutOfBoundsException for a negative offset or an array too short for the last element touched;
     *                                   nothing is written
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float alpha, float[] a, int aOffset, int lda,
                             float[] b, int bOffset, int ldb,
                             float beta, float[] c, int cOffset, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sizes must be >= 0: m=" + m + ", n=" + n + ", k=" + k);
        }
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        checkLd("lda", lda, "A", aRows, aCols, transA);
        checkLd("ldb", ldb, "B", bRows, bCols, transB);
        if (ldc < Math.max(1, n)) {
            throw new IllegalArgumentException("ldc=" + ldc + " < " + Math.max(1, n) + " (C is " + m + "x" + n + ")");
        }
        if (m == 0 || n == 0) {
            return;
        }
        boolean readsAB = alpha != 0f && k > 0;
        checkArray("c", c, cOffset, ldc, "C", m, n);
        if (readsAB) {
            checkArray("a", a, aOffset, lda, "A", aRows, aCols);
            checkArray("b", b, bOffset, ldb, "B", bRows, bCols);
            checkDisjoint("a", a, aOffset, lda, aRows, aCols, c, cOffset, ldc, m, n);
            checkDisjoint("b", b, bOffset, ldb, bRows, bCols, c, cOffset, ldc, m, n);
        }
        if (!readsAB) {
            scale(beta, c, cOffset, ldc, m, n);
            return;
        }
        GemmDriver.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc,
                Parallelism.threads());
    }

    /**
     * Convenience form for dense row-major matrices without offsets or padding: {@code C := A * B} with A m x k,
     * B k x n and C m x n (C is overwritten, not read).
     *
     * @throws IllegalArgumentException  if a size is negative or an array's length is not the product of its shape
     */
    public static void multiply(int m, int n, int k, float[] a, float[] b, float[] c) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sizes must be >= 0: m=" + m + ", n=" + n + ", k=" + k);
        }
        checkLength("a", a, (long) m * k, m + "x" + k);
        checkLength("b", b, (long) k * n, k + "x" + n);
        checkLength("c", c, (long) m * n, m + "x" + n);
        sgemm(false, false, m, n, k, 1f, a, 0, Math.max(1, k), b, 0, Math.max(1, n), 0f, c, 0, Math.max(1, n));
    }

    private static void checkLength(String name, float[] x, long expected, String shape) {
        if (x == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (x.length != expected) {
            throw new IllegalArgumentException(name + ".length=" + x.length + " but the matrix is " + shape
                    + " (" + expected + " elements)");
        }
    }

    private static void checkLd(String name, int ld, String matrix, int rows, int cols, boolean trans) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(name + "=" + ld + " < " + Math.max(1, cols) + " (" + matrix + " is "
                    + rows + "x" + cols + ", " + (trans ? "transposed" : "not transposed") + ")");
        }
    }

    private static void checkArray(String name, float[] x, int offset, int ld, String matrix, int rows, int cols) {
        if (x == null) {
            throw new IllegalArgumentException(name + " is null but " + matrix + " (" + rows + "x" + cols
                    + ") is read or written");
        }
        if (offset < 0) {
            throw new IndexOutOfBoundsException(name + "Offset=" + offset + " < 0");
        }
        long last = offset + (long) (rows - 1) * ld + cols - 1;
        if (last >= x.length) {
            throw new IndexOutOfBoundsException(name + ".length=" + x.length + " is too short: " + matrix + " is "
                    + rows + "x" + cols + " with " + name + "Offset=" + offset + ", ld=" + ld + ", last element "
                    + name + "[" + last + "]");
        }
    }

    private static void checkDisjoint(String name, float[] x, int xo, int ldx, int rows, int cols,
                                      float[] c, int co, int ldc, int m, int n) {
        if (x != c) {
            return;
        }
        long xEnd = xo + (long) (rows - 1) * ldx + cols;
        long cEnd = co + (long) (m - 1) * ldc + n;
        if (xo < cEnd && co < xEnd) {
            throw new IllegalArgumentException("c is the same array as " + name + " and their ranges overlap: "
                    + name + "[" + xo + ".." + (xEnd - 1) + "], c[" + co + ".." + (cEnd - 1) + "]");
        }
    }

    /** C := beta * C; beta == 0 writes zeros without reading C. */
    private static void scale(float beta, float[] c, int co, int ldc, int m, int n) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int o = co + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, o, o + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[o + j] *= beta;
                }
            }
        }
    }
}
