package dev.simdgrad.verify;

import java.util.Arrays;

/**
 * The scalar references of the robust aggregators of {@link dev.simdgrad.kernels.Aggregate} (Krum, Multi-Krum,
 * geometric median, centered clipping, Bulyan), over the materialized rows, in double, straight from the
 * definitions: squared distances as {@code sum_k (a_k - b_k)^2} (no Gram matrix), Krum scores as sums of the sorted
 * distances, Weiszfeld and centered clipping as iterations on the vectors themselves. A row with a NaN or an
 * infinity is at distance +Inf from every row (the kernels' documented policy). Also the bounds the kernels are held
 * to, derived in the {@code Aggregate} Javadoc.
 *
 * <p>Row i of the matrix is {@code g[gOffset + i*ldg .. + cols)}.
 */
public final class ReferenceRobust {
    private ReferenceRobust() {
    }

    /** Row i as doubles. */
    public static double[] row(float[] g, int gOffset, int ldg, int cols, int i) {
        double[] r = new double[cols];
        for (int k = 0; k < cols; k++) {
            r[k] = g[gOffset + i * ldg + k];
        }
        return r;
    }

    public static double[][] rows(float[] g, int gOffset, int rows, int cols, int ldg) {
        double[][] r = new double[rows][];
        for (int i = 0; i < rows; i++) {
            r[i] = row(g, gOffset, ldg, cols, i);
        }
        return r;
    }

    public static boolean finite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    public static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** Squared distances; +Inf for a pair with a non-finite row, 0 on the diagonal. */
    public static double[][] distances(double[][] r) {
        int n = r.length;
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                if (!finite(r[i]) || !finite(r[j])) {
                    d[i][j] = Double.POSITIVE_INFINITY;
                    continue;
                }
                double s = 0;
                for (int k = 0; k < r[i].length; k++) {
                    double t = r[i][k] - r[j][k];
                    s += t * t;
                }
                d[i][j] = s;
            }
        }
        return d;
    }

    /**
     * Krum scores over the active rows with {@code k = max(0, active - f - 2)} neighbours; +Inf for a non-finite
     * row (even when k = 0), NaN if inactive.
     */
    public static double[] krumScores(double[][] r, double[][] d, boolean[] active, int f) {
        int n = d.length, count = 0;
        for (boolean a : active) {
            count += a ? 1 : 0;
        }
        int k = Math.max(0, count - f - 2);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            if (!active[i]) {
                s[i] = Double.NaN;
                continue;
            }
            if (!finite(r[i])) {
                s[i] = Double.POSITIVE_INFINITY;
                continue;
            }
            double[] v = new double[count - 1];
            int c = 0;
            for (int j = 0; j < n; j++) {
                if (j != i && active[j]) {
                    v[c++] = d[i][j];
                }
            }
            Arrays.sort(v);
            double sum = 0;
            for (int q = 0; q < k; q++) {
                sum += v[q];
            }
            s[i] = sum;
        }
        return s;
    }

    /**
     * Terms one float lane of the explicit rules' direct distances sums before it goes into double (the
     * {@code Aggregate} Javadoc's "Accuracy of the distances").
     */
    public static final int DIRECT_LANE_TERMS = 128;

    /**
     * The relative error of an explicit rule's squared distance (or squared norm) summed directly in float lanes,
     * {@code gamma(DIRECT_LANE_TERMS + 2) + gamma_d(cols + 16)}, as the {@code Aggregate} Javadoc derives it; the
     * absolute part for results in the subnormal range is {@link #directAbsolute}.
     */
    public static double directRelative(int cols) {
        return ErrorBounds.gamma(DIRECT_LANE_TERMS + 2) + ErrorBounds.gammaDouble((long) cols + 16);
    }

    /** The absolute error a float FMA with a subnormal result can add per column: {@code cols 2^-149}. */
    public static double directAbsolute(int cols) {
        return cols * 0x1p-149;
    }

    /**
     * How far a computed Krum score of row i (active rows, k neighbours) may be from the reference's. The explicit
     * rules take each squared distance either summed directly (within {@link #directRelative} of itself, plus
     * {@link #directAbsolute}) or, when a direct result is not finite, from a double Gram matrix (within
     * {@code gamma_d(cols + 2) (|g_i| + |g_j|)^2}); the reference's own distance is within
     * {@code gamma_d(cols + 1)} of the same, and the sum of k of them adds {@code gamma_d(k)} relative. So each
     * distance is within {@code e_j = 2 gamma_d(cols + k + 4) (|g_i| + |g_j|)^2 + 2 directRelative(cols) d_ij
     * + directAbsolute(cols)} (d_ij the reference's squared distance; the factor 2 also covers the sum's own
     * rounding), whichever path was taken. The sum of the k smallest of perturbed values moves by at most the sum of
     * the k largest perturbations: the bound is the sum of the k largest e_j over the other active finite rows
     * (norms NaN or infinite for the non-finite rows, whose distances are +Inf in both, exactly; 0 when k = 0, an
     * empty sum).
     *
     * @param d the reference's squared distances ({@link #distances})
     */
    public static double scoreBound(double[] norms, double[][] d, boolean[] active, int i, int k, int cols) {
        if (k == 0 || !Double.isFinite(norms[i])) {
            return 0;
        }
        double[] e = new double[norms.length];
        int c = 0;
        for (int j = 0; j < norms.length; j++) {
            if (j != i && active[j] && Double.isFinite(norms[j])) {
                double t = norms[i] + norms[j];
                e[c++] = 2 * ErrorBounds.gammaDouble((long) cols + k + 4) * t * t
                        + 2 * directRelative(cols) * d[i][j] + directAbsolute(cols);
            }
        }
        return largestSum(e, c, k);
    }

    /**
     * The sum of the k largest of {@code e[0..c)} (sorts that prefix): how far the sum of the k smallest of c values
     * can move when each moves by at most its e.
     */
    public static double largestSum(double[] e, int c, int k) {
        Arrays.sort(e, 0, c);
        double s = 0;
        for (int q = c - 1; q >= Math.max(0, c - k); q--) {
            s += e[q];
        }
        return s;
    }

    /** The active row of smallest score, the lowest index on ties. */
    public static int argMin(double[] scores, boolean[] active) {
        int best = -1;
        for (int i = 0; i < scores.length; i++) {
            if (active[i] && (best < 0 || scores[i] < scores[best])) {
                best = i;
            }
        }
        return best;
    }

    /** Smoothed Weiszfeld on the vectors, from the mean, in double: {@code iterations} steps. */
    public static double[] weiszfeld(double[][] r, double nu, int iterations) {
        int n = r.length, p = r[0].length;
        double[] z = new double[p];
        for (double[] v : r) {
            for (int k = 0; k < p; k++) {
                z[k] += v[k] / n;
            }
        }
        for (int t = 0; t < iterations; t++) {
            double[] next = new double[p];
            double sum = 0;
            for (double[] v : r) {
                double b = 1.0 / Math.max(nu, distance(z, v));
                sum += b;
                for (int k = 0; k < p; k++) {
                    next[k] += b * v[k];
                }
            }
            for (int k = 0; k < p; k++) {
                next[k] /= sum;
            }
            z = next;
        }
        return z;
    }

    /** The geometric median's objective {@code sum_i ||z - g_i||}. */
    public static double objective(double[][] r, double[] z) {
        double s = 0;
        for (double[] v : r) {
            s += distance(z, v);
        }
        return s;
    }

    public static double distance(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double t = a[k] - b[k];
            s += t * t;
        }
        return Math.sqrt(s);
    }

    /** Centered clipping on the vectors, in double. */
    public static double[] centeredClipping(double[][] r, double[] center, double tau, int iterations) {
        int n = r.length, p = center.length;
        double[] v = center.clone();
        for (int t = 0; t < iterations; t++) {
            double[] step = new double[p];
            for (double[] g : r) {
                double d = distance(g, v);
                double s = d <= tau ? 1.0 : tau / d;
                for (int k = 0; k < p; k++) {
                    step[k] += s * (g[k] - v[k]);
                }
            }
            for (int k = 0; k < p; k++) {
                v[k] += step[k] / n;
            }
        }
        return v;
    }
}
