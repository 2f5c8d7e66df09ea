package dev.simdgrad.verify;

import dev.simdgrad.kernels.Sgemm;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One {@link Sgemm#sgemm} call, described by value so a property can shrink it and a failure message can print it:
 * the shape, the scalars, where each matrix sits in its array (offset, row padding beyond the minimum leading
 * dimension, spare elements after the last one) and how to fill the matrices.
 *
 * <p>The operands are rebuilt from {@code seed} on every call of {@link #a()}, {@link #b()}, {@link #c()}, so a case
 * is reproducible from its printed form alone. Elements of the arrays that are not part of a matrix hold values that
 * betray a wrong access: NaN in A and B (a read of padding poisons the result) and {@link #SENTINEL} in C (a write
 * to padding changes its bits).
 *
 * @param aPad extra row stride of A beyond its minimum, so {@code lda = max(1, transA ? m : k) + aPad}
 * @param tail spare elements after the last element of every matrix
 */
record SgemmCase(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                 int aOffset, int aPad, int bOffset, int bPad, int cOffset, int cPad, int tail,
                 Values values, long seed) {

    /** Fills C's padding: a NaN with a payload no kernel computes, so any write to it shows in the raw bits. */
    static final float SENTINEL = Float.intBitsToFloat(0x7fa5_5a17);

    /** What the matrix elements are drawn from. Each catches a different class of mistake. */
    enum Values {
        /** Uniform in [-1, 1): the common case. */
        UNIFORM,
        /** Small integers: products and partial sums are exact, so any error comes from alpha and beta alone. */
        INTEGERS,
        /** Random signs and binary exponents in [-20, 20]: cancellation and magnitudes far apart. */
        WIDE,
        /** Mostly zeros: exact zeros in the result and in the bound's magnitude. */
        SPARSE;

        float next(SplittableRandom r) {
            return switch (this) {
                case UNIFORM -> 2 * r.nextFloat() - 1;
                case INTEGERS -> r.nextInt(-4, 5);
                case WIDE -> (r.nextBoolean() ? 1 : -1) * (1 + r.nextFloat()) * Math.scalb(1f, r.nextInt(-20, 21));
                case SPARSE -> r.nextInt(8) == 0 ? 2 * r.nextFloat() - 1 : 0f;
            };
        }
    }

    /** A dense, unpadded, zero-offset case of the given shape (for hand-written tests). */
    static SgemmCase dense(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, long seed) {
        return new SgemmCase(transA, transB, m, n, k, alpha, beta, 0, 0, 0, 0, 0, 0, 0, Values.UNIFORM, seed);
    }

    /** The same case with padding and offsets (for hand-written tests of the layout). */
    SgemmCase withLayout(int newAOffset, int newAPad, int newBOffset, int newBPad, int newCOffset, int newCPad,
                         int newTail) {
        return new SgemmCase(transA, transB, m, n, k, alpha, beta, newAOffset, newAPad, newBOffset, newBPad,
                newCOffset, newCPad, newTail, values, seed);
    }

    int aRows() {
        return transA ? k : m;
    }

    int aCols() {
        return transA ? m : k;
    }

    int bRows() {
        return transB ? n : k;
    }

    int bCols() {
        return transB ? k : n;
    }

    int lda() {
        return Math.max(1, aCols()) + aPad;
    }

    int ldb() {
        return Math.max(1, bCols()) + bPad;
    }

    int ldc() {
        return Math.max(1, n) + cPad;
    }

    /** Index of stored element (row, col) of A, B or C. */
    int aIndex(int row, int col) {
        return aOffset + row * lda() + col;
    }

    int bIndex(int row, int col) {
        return bOffset + row * ldb() + col;
    }

    int cIndex(int i, int j) {
        return cOffset + i * ldc() + j;
    }

    /** True when {@code index} of C's array holds an element of the m x n matrix C. */
    boolean inC(int index) {
        int r = index - cOffset;
        return r >= 0 && r / ldc() < m && r % ldc() < n;
    }

    /** A's array: the stored matrix (aRows x aCols) drawn from {@link #values}, everything else NaN. */
    float[] a() {
        return fill(new SplittableRandom(seed), aOffset, aRows(), aCols(), lda(), Float.NaN);
    }

    /** B's array: the stored matrix (bRows x bCols) drawn from {@link #values}, everything else NaN. */
    float[] b() {
        return fill(new SplittableRandom(seed).split(), bOffset, bRows(), bCols(), ldb(), Float.NaN);
    }

    /**
     * C's array: the m x n matrix drawn from {@link #values}, everything else {@link #SENTINEL}. When
     * {@code beta == 0} the matrix holds NaN and infinities instead: C must not be read, so they must not show.
     */
    float[] c() {
        SplittableRandom r = new SplittableRandom(seed).split().split();
        float[] c = fill(r, cOffset, m, n, ldc(), SENTINEL);
        if (beta == 0f) {
            float[] unread = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[cIndex(i, j)] = unread[r.nextInt(unread.length)];
                }
            }
        }
        return c;
    }

    private float[] fill(SplittableRandom r, int offset, int rows, int cols, int ld, float outside) {
        int span = rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
        float[] x = new float[offset + span + tail];
        Arrays.fill(x, outside);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x[offset + i * ld + j] = values.next(r);
            }
        }
        return x;
    }

    /** Runs the kernel under test on these arrays. */
    void runSgemm(float[] a, float[] b, float[] c) {
        Sgemm.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda(), b, bOffset, ldb(), beta, c, cOffset, ldc());
    }

    /** Runs the reference on these arrays. */
    void runReference(float[] a, float[] b, float[] c) {
        ReferenceSgemm.sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda(), b, bOffset, ldb(), beta, c, cOffset,
                ldc());
    }

    @Override
    public String toString() {
        return "sgemm(transA=" + transA + ", transB=" + transB + ", m=" + m + ", n=" + n + ", k=" + k
                + ", alpha=" + alpha + ", beta=" + beta + ", aOffset=" + aOffset + ", lda=" + lda()
                + ", bOffset=" + bOffset + ", ldb=" + ldb() + ", cOffset=" + cOffset + ", ldc=" + ldc()
                + ", tail=" + tail + ", values=" + values + ", seed=" + seed + ")";
    }
}
