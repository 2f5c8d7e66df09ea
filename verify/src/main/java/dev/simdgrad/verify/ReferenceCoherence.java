package dev.simdgrad.verify;

/**
 * The scalar reference of gradient coherence ({@link dev.simdgrad.kernels.Coherence} and
 * {@link dev.simdgrad.nn.metrics.Coherence}): the per-example gradients g_i materialized in double, then by plain
 * loops their sum {@code S = sum_i g_i}, {@code ||S||^2}, the squared norms {@code ||g_i||^2} and
 * <pre>
 *   m-coherence = ||S||^2 / sum_i ||g_i||^2,      alpha = m-coherence / B
 * </pre>
 * (1 for B = 1 and for pairwise orthogonal gradients, B for identical ones, NaN = 0/0 when every g_i is 0).
 *
 * <p>Bounds. The kernels get S in float (an SGEMM, within an elementwise bound {@code E_q} of the exact sum) and
 * each {@code ||g_i||^2} in float (within a bound {@code F_i}), then do the rest in double. With everything to first
 * order in the unit roundoffs (u = 2^-24 float, u_d = 2^-53 double, {@link ErrorBounds}):
 * <ul>
 *   <li>Numerator: with {@code E'_q = E_q + gamma_d(B) M_q} (M_q = sum_i |g_iq|; the second term is the reference's
 *   own double sum), the kernel's sum is s = S + e with |e_q| <= E'_q, so
 *   {@code | ||s||^2 - ||S||^2 | = |2 S.e + ||e||^2| <= 2 ||S|| ||E'|| + ||E'||^2} (Cauchy-Schwarz); both sums of P
 *   squares are then formed in double, each within {@code gamma_d(P + 1)} of its exact value.</li>
 *   <li>Denominator: {@code sum_i F_i}, plus the double sums of B (kernel) and B + P (reference) nonnegative terms:
 *   {@code gamma_d(B) (D + sum F_i) + gamma_d(B + P) D}.</li>
 *   <li>Quotient ({@link #quotientBound}): {@code |N'/D' - N/D| <= (|N' - N| + (N/D) |D' - D|) / (D - |D' - D|)},
 *   exact algebra; plus one double rounding of each of the two quotients. alpha divides both by B: one more double
 *   rounding each.</li>
 * </ul>
 * Per example ({@link #exampleNormBound}): a kernel norm formed from factors within {@code e_i} (elementwise) of
 * g_i is within {@code 2 ||g_i|| ||e_i|| + ||e_i||^2} of {@code ||g_i||^2} before its own roundings, which for L
 * layers are {@code gamma(L + 1)}: per layer the float rounding of {@code ||d||^2 (||x||^2 + 1)} plus its double
 * sums (below u for fewer than 2^28 terms), then one float addition per further layer.
 *
 * @param sum              S = sum_i g_i (double sums, in example order)
 * @param magnitude        M = sum_i |g_i| elementwise
 * @param squaredNorms     ||g_i||^2
 * @param squaredNormOfSum ||S||^2
 * @param sumOfNorms       sum_i ||g_i||^2
 */
public record ReferenceCoherence(double[] sum, double[] magnitude, double[] squaredNorms, double squaredNormOfSum,
                                 double sumOfNorms) {

    /** The reference of B = {@code perExample.length >= 1} gradients of equal length P. */
    public static ReferenceCoherence of(double[][] perExample) {
        int b = perExample.length, p = perExample[0].length;
        double[] sum = new double[p], mag = new double[p], norms = new double[b];
        for (int i = 0; i < b; i++) {
            double n = 0;
            for (int q = 0; q < p; q++) {
                double v = perExample[i][q];
                sum[q] += v;
                mag[q] += Math.abs(v);
                n += v * v;
            }
            norms[i] = n;
        }
        double ss = 0, den = 0;
        for (double s : sum) {
            ss += s * s;
        }
        for (double n : norms) {
            den += n;
        }
        return new ReferenceCoherence(sum, mag, norms, ss, den);
    }

    /** B. */
    public int batch() {
        return squaredNorms.length;
    }

    /** P. */
    public int length() {
        return sum.length;
    }

    /** {@code ||S||^2 / sum_i ||g_i||^2}; NaN when every g_i is 0. */
    public double mCoherence() {
        return squaredNormOfSum / sumOfNorms;
    }

    /** m-coherence / B. */
    public double alpha() {
        return mCoherence() / batch();
    }

    /** {@code sum_j v[offset + j]^2} by a plain double loop: the reference of {@code Coherence.squaredNorm}. */
    public static double squaredNorm(float[] v, int offset, int length) {
        double s = 0;
        for (int j = 0; j < length; j++) {
            s += (double) v[offset + j] * v[offset + j];
        }
        return s;
    }

    /**
     * Bound on |kernel - reference| of {@code Coherence.squaredNorm} over {@code length} floats whose exact sum of
     * squares is about {@code value}: the squares of floats are exact in double, and each of the two sums is within
     * {@code gamma_d(length)} of the exact one.
     */
    public static double squaredNormBound(int length, double value) {
        return 2 * ErrorBounds.gammaDouble(length) * value;
    }

    /**
     * Bound on |kernel - reference| of {@code Coherence.mCoherence(num, norms, .., count)} given the same inputs:
     * only the double sum of the count norms (both sides, {@code gamma_d(count)} each) and the roundings of the
     * quotients.
     */
    public static double mCoherenceOfInputsBound(double num, double den, int count) {
        return quotientBound(num, 0, den, 2 * ErrorBounds.gammaDouble(count) * den);
    }

    /**
     * Bound on |N'/D' - N/D| for N' computed within {@code numErr} of N and D' within {@code denErr} of D, both
     * quotients then rounded to double: {@code Q = (numErr + r denErr) / (D - denErr)} with r = N/D (from
     * N'/D' - N/D = ((N' - N) D - N (D' - D)) / (D' D) and D' >= D - denErr), plus {@code u_d (2r + Q)}. Infinite
     * when {@code denErr >= D}: then the denominator may vanish and no bound exists.
     */
    public static double quotientBound(double num, double numErr, double den, double denErr) {
        if (!(denErr < den)) {
            return Double.POSITIVE_INFINITY;
        }
        double r = num / den, q = (numErr + r * denErr) / (den - denErr);
        return q + ErrorBounds.U_DOUBLE * (2 * r + q);
    }

    /**
     * Bound on |kernel per-example squared norm - {@code ||g||^2}| for a kernel that forms the norm over
     * {@code layers} layers from factors within {@code error} (elementwise; null for exact factors) of g: see the
     * class comment.
     */
    public static double exampleNormBound(double[] g, double[] error, int layers) {
        double gn = 0, en = 0;
        for (int q = 0; q < g.length; q++) {
            gn += g[q] * g[q];
            if (error != null) {
                en += error[q] * error[q];
            }
        }
        gn = Math.sqrt(gn);
        en = Math.sqrt(en);
        return 2 * gn * en + en * en + ErrorBounds.gamma(layers + 1) * (gn + en) * (gn + en);
    }

    /**
     * Bound on |kernel m-coherence - {@link #mCoherence()}| for a kernel whose float sum is within
     * {@code sumError[q]} of the exact S_q and whose float per-example norm i is within {@code normError[i]} of the
     * exact {@code ||g_i||^2}: see the class comment.
     */
    public double mCoherenceBound(double[] sumError, double[] normError) {
        int b = batch(), p = length();
        double eNorm = 0;
        for (int q = 0; q < p; q++) {
            double e = sumError[q] + ErrorBounds.gammaDouble(b) * magnitude[q];
            eNorm += e * e;
        }
        eNorm = Math.sqrt(eNorm);
        double sNorm = Math.sqrt(squaredNormOfSum);
        double numErr = 2 * sNorm * eNorm + eNorm * eNorm
                + ErrorBounds.gammaDouble(p + 1) * ((sNorm + eNorm) * (sNorm + eNorm) + squaredNormOfSum);
        double f = 0;
        for (double e : normError) {
            f += e;
        }
        double denErr = f + ErrorBounds.gammaDouble(b) * (sumOfNorms + f)
                + ErrorBounds.gammaDouble((long) b + p) * sumOfNorms;
        return quotientBound(squaredNormOfSum, numErr, sumOfNorms, denErr);
    }

    /** Bound on |kernel alpha - {@link #alpha()}| from the m-coherence bound: both divided by B, rounded once. */
    public double alphaBound(double mCoherenceBound) {
        return alphaBound(mCoherence(), mCoherenceBound, batch());
    }

    /**
     * Bound on |kernel alpha - reference alpha| when the two m-coherences, about {@code mCoherence}, are within
     * {@code mCoherenceBound}: both are divided by {@code count} and rounded to double once.
     */
    public static double alphaBound(double mCoherence, double mCoherenceBound, int count) {
        return (mCoherenceBound + ErrorBounds.U_DOUBLE * (2 * Math.abs(mCoherence) + mCoherenceBound)) / count;
    }
}
