package dev.simdgrad.kernels;

/**
 * Gradient coherence (Chatterjee and Zielinski, arXiv 2008.01217), from the summed gradient and the per-example
 * squared norms, without per-example gradients.
 *
 * <p>For m examples with gradients g_i: m-coherence = {@code ||sum_i g_i||^2 / sum_i ||g_i||^2}, which is 1 for
 * pairwise orthogonal gradients and m for identical ones (in general it lies in [0, m]); the coherence
 * {@code alpha = ||E g||^2 / E ||g||^2} is m-coherence / m. The summed gradient is {@link PerExample#weightedGradient}
 * with weights 1 (per layer; a network's {@code ||sum g||^2} is the sum over layers of {@link #squaredNorm}), the
 * squared norms {@link PerExample#squaredNorms} accumulated over layers. Computed in double.
 */
public final class Coherence {
    private Coherence() {
    }

    /** {@code sum_j v[offset + j]^2} in double: the squared norm of (a layer's part of) a summed gradient. */
    public static double squaredNorm(float[] v, int offset, int length) {
        Checks.size("length", length, 0, "elements");
        Checks.vector("v", v, offset, length, "v");
        double s = 0;
        for (int j = 0; j < length; j++) {
            double x = v[offset + j];
            s += x * x;
        }
        return s;
    }

    /**
     * m-coherence {@code ||sum_i g_i||^2 / sum_i ||g_i||^2} with m = {@code count} examples.
     *
     * @param squaredNormOfSum {@code ||sum_i g_i||^2} over the whole network, {@code >= 0}
     * @param squaredNorms     per-example squared norms {@code ||g_i||^2} at {@code normsOffset}, count of them
     * @return the m-coherence; NaN if every per-example gradient is zero (0 / 0) or an input is NaN
     * @throws IllegalArgumentException if {@code count < 1} or {@code squaredNormOfSum < 0}
     */
    public static double mCoherence(double squaredNormOfSum, float[] squaredNorms, int normsOffset, int count) {
        Checks.size("count", count, 1, "examples");
        if (squaredNormOfSum < 0) {
            throw new IllegalArgumentException("squaredNormOfSum=" + squaredNormOfSum + " must be >= 0");
        }
        Checks.vector("squaredNorms", squaredNorms, normsOffset, count, "squaredNorms");
        double s = 0;
        for (int i = 0; i < count; i++) {
            s += squaredNorms[normsOffset + i];
        }
        return squaredNormOfSum / s;
    }

    /**
     * m-coherence of one layer (or of a flattened network gradient): {@code ||sum||^2 / sum_i ||g_i||^2} from the
     * summed gradient {@code sum[sumOffset .. sumOffset + length)} and {@code count} per-example squared norms.
     */
    public static double mCoherence(float[] sum, int sumOffset, int length, float[] squaredNorms, int normsOffset,
                                    int count) {
        double ss = squaredNorm(sum, sumOffset, length);
        return mCoherence(ss, squaredNorms, normsOffset, count);
    }

    /**
     * m-coherence from the per-example Gram matrix G of a network ({@link PerExample#gram} summed over its layers,
     * {@code count x count} at {@code gramOffset}, row stride {@code ldgram}):
     * {@code ||sum_i g_i||^2 / sum_i ||g_i||^2 = (1' G 1) / tr(G)}, summed in double in row order. With the Gram
     * matrix in double, the result is within {@code gamma_d(K + count^2) (sum_i ||g_i||)^2 / tr(G)} plus
     * {@code gamma_d(K + count)} relative of the exact value, K as in {@link PerExample#gram}. The same Gram
     * machinery gives the empirical neural tangent kernel of a network with one output: {@link PerExample#gram}
     * over every layer with D the per-example deltas of the output f(x_i) (instead of the loss) is
     * {@code Theta_ij = <df(x_i)/dtheta, df(x_j)/dtheta>}.
     *
     * @return the m-coherence; NaN if {@code tr(G) = 0} or an entry is NaN
     * @throws IllegalArgumentException  if {@code count < 1}, {@code ldgram < count} or gram is null
     * @throws IndexOutOfBoundsException if the offset is negative or the array too short
     */
    public static double mCoherence(double[] gram, int gramOffset, int ldgram, int count) {
        Checks.size("count", count, 1, "examples");
        Checks.ld("ldgram", ldgram, count, "gram", count);
        Checks.matrix("gram", gram, gramOffset, ldgram, "gram", count, count);
        double all = 0, trace = 0;
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < count; j++) {
                all += gram[gramOffset + i * ldgram + j];
            }
            trace += gram[gramOffset + i * ldgram + i];
        }
        return all / trace;
    }

    /** Coherence {@code alpha = ||E g||^2 / E ||g||^2}: the m-coherence divided by m = {@code count}. */
    public static double alpha(double squaredNormOfSum, float[] squaredNorms, int normsOffset, int count) {
        return mCoherence(squaredNormOfSum, squaredNorms, normsOffset, count) / count;
    }
}
