package dev.simdgrad.verify;

/**
 * Judges one {@link dev.simdgrad.kernels.Sgemm#sgemm} result against {@link ReferenceSgemm}: inside the m x n window
 * each element is within the derived error bound (or has exactly the reference's NaN-ness and infinity), and
 * outside it every element of C's array kept its bits.
 *
 * <p>The bound of element (i, j), with {@code mag = |alpha| (|op(A)| |op(B)|)_ij + |beta| |C_ij|}:
 * <pre>
 *   |c - ref| <= gamma(k + 2) mag          the kernel's error against the exact result (ErrorBounds.sgemm:
 *                                           k roundings in the dot product, one for alpha, one adding beta C)
 *              + gammaD(k + 1) mag          the reference's own error before its final rounding: products of
 *                                           floats, and beta C, are exact in double; the k - 1 additions, the
 *                                           alpha scaling and the addition of beta C each round once in double
 *                                           (gammaD is gamma with the double unit roundoff 2^-53)
 *              + ulp(ref) / 2               the reference's final rounding from double to float
 * </pre>
 * Nothing here is tuned: each term is a rounding count. The failure message states the worst error in units of
 * this bound, so a drifting kernel shows how far it is from failing and a broken one how far past.
 */
final class SgemmOracle {
    /** Unit roundoff of the double-precision reference. */
    private static final double DOUBLE_U = 0x1p-53;

    private SgemmOracle() {
    }

    /** The bound of one element; see the class comment for each term. */
    static double bound(int k, double magnitude, float reference) {
        double gammaD = (k + 1) * DOUBLE_U / (1 - (k + 1) * DOUBLE_U);
        return ErrorBounds.sgemm(k, magnitude) + gammaD * magnitude + 0.5 * Math.ulp(reference);
    }

    /**
     * Asserts that {@code result} is what {@code sc} must produce from {@code a}, {@code b} and {@code cBefore}:
     * within the bound inside C, untouched outside.
     *
     * @return the worst error in units of the bound over the finite elements (0 if there are none)
     */
    static double check(SgemmCase sc, float[] a, float[] b, float[] cBefore, float[] result) {
        checkOutsideUntouched(sc, cBefore, result);
        float[] ref = cBefore.clone();
        sc.runReference(a, b, ref);
        int m = sc.m(), n = sc.n();
        double[] mag = new double[m * n];
        ReferenceSgemm.magnitude(sc.transA(), sc.transB(), m, n, sc.k(), sc.alpha(), a, sc.aOffset(), sc.lda(),
                b, sc.bOffset(), sc.ldb(), sc.beta(), cBefore, sc.cOffset(), sc.ldc(), mag);
        double worst = 0;
        int worstI = -1, worstJ = -1, violations = 0;
        String firstSpecial = null;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int x = sc.cIndex(i, j);
                float r = ref[x], c = result[x];
                if (!Float.isFinite(r)) {
                    // NaN must stay NaN and an infinity must be the same infinity: IEEE arithmetic decides these,
                    // not rounding, so the kernel has no latitude.
                    boolean same = Float.isNaN(r) ? Float.isNaN(c) : c == r;
                    if (!same) {
                        violations++;
                        if (firstSpecial == null) {
                            firstSpecial = "C(" + i + "," + j + ") = " + c + " but the reference is " + r;
                        }
                    }
                    continue;
                }
                double bound = bound(sc.k(), mag[i * n + j], r);
                double err = Float.isFinite(c) ? Math.abs((double) c - r) : Double.POSITIVE_INFINITY;
                double ratio = err / bound;
                if (err > bound) {
                    violations++;
                }
                if (ratio > worst || worstI < 0) {
                    worst = ratio;
                    worstI = i;
                    worstJ = j;
                }
            }
        }
        if (violations > 0) {
            StringBuilder msg = new StringBuilder().append(violations).append(" of ").append(m * n)
                    .append(" elements of C violate the bound in ").append(sc).append(": worst error ")
                    .append(worst).append(" x bound");
            if (worstI >= 0) {
                int x = sc.cIndex(worstI, worstJ);
                msg.append(" at C(").append(worstI).append(',').append(worstJ).append(") = ").append(result[x])
                        .append(", reference ").append(ref[x]).append(", bound ")
                        .append(bound(sc.k(), mag[worstI * n + worstJ], ref[x]));
            }
            if (firstSpecial != null) {
                msg.append("; non-finite mismatch: ").append(firstSpecial);
            }
            throw new AssertionError(msg.toString());
        }
        return worst;
    }

    /** Asserts that two arrays hold the same bits, NaN payloads and signed zeros included. */
    static void checkSameBits(float[] expected, float[] actual, String what) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": lengths " + expected.length + " and " + actual.length);
        }
        for (int x = 0; x < expected.length; x++) {
            if (Float.floatToRawIntBits(expected[x]) != Float.floatToRawIntBits(actual[x])) {
                throw new AssertionError(what + ": element " + x + " is " + actual[x] + " (0x"
                        + Integer.toHexString(Float.floatToRawIntBits(actual[x])) + "), expected " + expected[x]
                        + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected[x])) + ")");
            }
        }
    }

    /** Asserts that every element of C's array outside the m x n window kept its bits. */
    static void checkOutsideUntouched(SgemmCase sc, float[] cBefore, float[] result) {
        if (result.length != cBefore.length) {
            throw new AssertionError("C's array changed length");
        }
        for (int x = 0; x < result.length; x++) {
            if (!sc.inC(x) && Float.floatToRawIntBits(result[x]) != Float.floatToRawIntBits(cBefore[x])) {
                throw new AssertionError("c[" + x + "] outside the " + sc.m() + "x" + sc.n()
                        + " window was written: " + cBefore[x] + " -> " + result[x] + " in " + sc);
            }
        }
    }
}
