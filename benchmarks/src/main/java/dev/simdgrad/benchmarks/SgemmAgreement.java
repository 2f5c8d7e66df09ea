package dev.simdgrad.benchmarks;

import dev.simdgrad.verify.ErrorBounds;
import dev.simdgrad.verify.ReferenceSgemm;
import java.util.TreeSet;

/**
 * The check a benchmark runs before it measures: does an implementation's C agree with {@link ReferenceSgemm} on
 * the very shape and data it is about to be timed on?
 *
 * <p>Each checked element must satisfy {@code |C_ij - ref_ij| <= gamma(k + 2) (|op(A)| |op(B)|)_ij + ulp(ref_ij)/2}
 * (alpha = 1, beta = 0; {@link ErrorBounds#sgemm}; the half ulp covers the reference's own final rounding to float).
 * The bound holds for any summation order, with or without FMA, so it applies to every peer as well as to simdgrad.
 *
 * <p>Small problems are checked in full. For large ones the reference (plain loops, O(mnk)) would take longer than
 * the measurement, so a fixed set of rows and columns is checked instead: the first and last (the edge tiles of
 * a blocked kernel) and evenly spaced ones between; every checked row covers all n columns and every checked column
 * all m rows, so every row and column block of C is touched.
 */
final class SgemmAgreement {
    /** Problems up to this many flops are checked element by element. */
    static final long FULL_CHECK_MAX_FLOPS = 2L * 256 * 256 * 256;

    /** Rows and columns sampled for larger problems. */
    private static final int SAMPLES = 12;

    private SgemmAgreement() {
    }

    /**
     * Checks C (m x n, row-major, ldc = n) computed by {@code who} as {@code op(A) op(B)}.
     *
     * @throws IllegalStateException naming the first element out of bound; the benchmark then refuses to measure
     */
    static void check(String who, GemmShape s, float[] a, float[] b, float[] c) {
        if (s.flops() <= FULL_CHECK_MAX_FLOPS) {
            for (int i = 0; i < s.m(); i++) {
                checkRow(who, s, a, b, c, i);
            }
            return;
        }
        for (int i : spread(s.m())) {
            checkRow(who, s, a, b, c, i);
        }
        for (int j : spread(s.n())) {
            checkColumn(who, s, a, b, c, j);
        }
    }

    private static TreeSet<Integer> spread(int size) {
        TreeSet<Integer> idx = new TreeSet<>();
        for (int t = 0; t < SAMPLES; t++) {
            idx.add((int) ((long) t * (size - 1) / (SAMPLES - 1)));
        }
        return idx;
    }

    /** Row i of op(A) starts at column i of A's storage when A is transposed, at row i otherwise. */
    private static int rowOffsetA(GemmShape s, int i) {
        return s.transA() ? i : i * s.lda();
    }

    /** Column j of op(B) starts at row j of B's storage when B is transposed, at column j otherwise. */
    private static int columnOffsetB(GemmShape s, int j) {
        return s.transB() ? j * s.ldb() : j;
    }

    private static void checkRow(String who, GemmShape s, float[] a, float[] b, float[] c, int i) {
        int n = s.n();
        float[] ref = new float[n];
        double[] mag = new double[n];
        int aOff = rowOffsetA(s, i);
        ReferenceSgemm.sgemm(s.transA(), s.transB(), 1, n, s.k(), 1f, a, aOff, s.lda(), b, 0, s.ldb(),
                0f, ref, 0, n);
        ReferenceSgemm.magnitude(s.transA(), s.transB(), 1, n, s.k(), 1f, a, aOff, s.lda(), b, 0, s.ldb(),
                0f, null, 0, n, mag);
        for (int j = 0; j < n; j++) {
            compare(who, s, i, j, c[i * n + j], ref[j], mag[j]);
        }
    }

    private static void checkColumn(String who, GemmShape s, float[] a, float[] b, float[] c, int j) {
        int m = s.m();
        float[] ref = new float[m];
        double[] mag = new double[m];
        int bOff = columnOffsetB(s, j);
        ReferenceSgemm.sgemm(s.transA(), s.transB(), m, 1, s.k(), 1f, a, 0, s.lda(), b, bOff, s.ldb(),
                0f, ref, 0, 1);
        ReferenceSgemm.magnitude(s.transA(), s.transB(), m, 1, s.k(), 1f, a, 0, s.lda(), b, bOff, s.ldb(),
                0f, null, 0, 1, mag);
        for (int i = 0; i < m; i++) {
            compare(who, s, i, j, c[i * s.n() + j], ref[i], mag[i]);
        }
    }

    private static void compare(String who, GemmShape s, int i, int j, float got, float ref, double magnitude) {
        double bound = ErrorBounds.sgemm(s.k(), magnitude) + Math.ulp(ref) / 2.0;
        double err = Math.abs((double) got - ref);
        if (!(err <= bound)) { // also catches NaN
            throw new IllegalStateException(who + " disagrees with the reference on " + s + " at C[" + i + "][" + j
                    + "]: got " + got + ", reference " + ref + ", |error| " + err + " > bound " + bound
                    + "; refusing to measure");
        }
    }
}
