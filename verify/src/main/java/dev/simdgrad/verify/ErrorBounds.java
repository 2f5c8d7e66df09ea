package dev.simdgrad.verify;

/**
 * Forward error bounds of floating-point computations (Higham, Accuracy and Stability of Numerical Algorithms,
 * ch. 3), for float: unit roundoff {@code u = 2^-24}.
 */
public final class ErrorBounds {
    /** Unit roundoff of IEEE single precision. */
    public static final double U = 0x1p-24;

    /** Unit roundoff of IEEE double precision: the references and the kernels' double accumulators. */
    public static final double U_DOUBLE = 0x1p-53;

    private ErrorBounds() {
    }

    /**
     * {@code gamma(n) = n u / (1 - n u)}: the relative error bound of n successive roundings. A dot product of
     * length k (any summation order, FMA or not) is within {@code gamma(k) * sum |x_i y_i|} of the exact value.
     *
     * @throws IllegalArgumentException if {@code n < 0} or {@code n u >= 1}
     */
    public static double gamma(int n) {
        if (n < 0 || n * U >= 1) {
            throw new IllegalArgumentException("gamma(n) needs 0 <= n < 2^24, got n=" + n);
        }
        return n * U / (1 - n * U);
    }

    /**
     * The SGEMM bound of one element: {@code gamma(k + 2) * magnitude}, where magnitude is
     * {@code |alpha| (|op(A)| |op(B)|)_ij + |beta| |C_ij|}: k roundings in the dot product, one for alpha, one for
     * the addition of beta C (the product beta C adds at most one more, absorbed in the first-order gamma(k + 2)
     * bound since gamma(a) + gamma(b) + gamma(a) gamma(b) <= gamma(a + b)). The reference is itself rounded to float
     * once; callers add half an ulp of the reference for that.
     */
    public static double sgemm(int k, double magnitude) {
        return gamma(k + 2) * magnitude;
    }

    /**
     * {@code gamma(n)} in double precision, {@code n u_d / (1 - n u_d)} with {@code u_d = 2^-53}: n successive
     * roundings of a computation carried out in double (the references, and the kernels' double accumulators).
     *
     * @throws IllegalArgumentException if {@code n < 0} or {@code n u_d >= 1}
     */
    public static double gammaDouble(long n) {
        if (n < 0 || n * U_DOUBLE >= 1) {
            throw new IllegalArgumentException("gammaDouble(n) needs 0 <= n < 2^53, got n=" + n);
        }
        return n * U_DOUBLE / (1 - n * U_DOUBLE);
    }

    /**
     * The allowed error of a float result against a double reference: {@code bound}, the error bound of the
     * computation, plus half an ulp of the reference for the rounding of the result to float (a kernel whose exact
     * result equals the reference may still return the nearest float).
     */
    public static double ofFloatResult(double bound, double reference) {
        return bound + 0.5 * Math.ulp((float) reference);
    }
}
