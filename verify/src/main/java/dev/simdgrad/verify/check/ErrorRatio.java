package dev.simdgrad.verify.check;

/**
 * The error of one computed element in units of its bound: {@code |got - expected| / bound}, so at most 1 passes.
 * Non-finite values follow IEEE semantics exactly, since no bound can cover them: a NaN that is due must be NaN,
 * an infinity that is due must be the same infinity, and anything else there is an unbounded error.
 */
public final class ErrorRatio {
    private ErrorRatio() {
    }

    /**
     * The ratio for one element.
     *
     * @param got      the kernel's value
     * @param expected the reference's value
     * @param bound    the allowed absolute error, {@code >= 0}
     * @return 0 for an exact match (including NaN for NaN and equal infinities), {@code |got - expected| / bound}
     *         for finite values, {@link Double#POSITIVE_INFINITY} for a mismatch the bound cannot cover
     */
    public static double of(float got, float expected, double bound) {
        if (Float.isNaN(expected) || Float.isNaN(got)) {
            return Float.isNaN(expected) && Float.isNaN(got) ? 0.0 : Double.POSITIVE_INFINITY;
        }
        if (Float.isInfinite(expected) || Float.isInfinite(got)) {
            return got == expected ? 0.0 : Double.POSITIVE_INFINITY;
        }
        double err = Math.abs((double) got - expected);
        if (err == 0.0) {
            return 0.0;
        }
        return bound > 0.0 ? err / bound : Double.POSITIVE_INFINITY;
    }

    /**
     * The ratio for a value computed in double (or a float result against a double reference, widened exactly),
     * with the same IEEE semantics as {@link #of(float, float, double)}.
     */
    public static double of(double got, double expected, double bound) {
        if (Double.isNaN(expected) || Double.isNaN(got)) {
            return Double.isNaN(expected) && Double.isNaN(got) ? 0.0 : Double.POSITIVE_INFINITY;
        }
        if (Double.isInfinite(expected) || Double.isInfinite(got)) {
            return got == expected ? 0.0 : Double.POSITIVE_INFINITY;
        }
        double err = Math.abs(got - expected);
        if (err == 0.0) {
            return 0.0;
        }
        return bound > 0.0 ? err / bound : Double.POSITIVE_INFINITY;
    }
}
