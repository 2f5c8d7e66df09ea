package dev.simdgrad.verify;

import java.util.Arrays;

/**
 * The scalar references of {@link dev.simdgrad.kernels.Aggregate}: for every coordinate, copy its values to
 * {@code double}, sort them ({@link Arrays#sort(double[])}: the total order, {@code -0.0 < 0.0}) and apply the
 * definition literally, summing in double. A NaN among a coordinate's values makes its result NaN. Also the error
 * bounds the float kernels are held to (see the {@code Aggregate} Javadoc for their derivation).
 *
 * <p>Column j of G has the values {@code g[gOffset + i*ldg + j]}, {@code i < rows}; results are returned as
 * {@code double[cols]}.
 */
public final class ReferenceAggregate {
    private ReferenceAggregate() {
    }

    /** The values of column j, in row order. */
    public static double[] column(float[] g, int gOffset, int rows, int ldg, int j) {
        double[] v = new double[rows];
        for (int i = 0; i < rows; i++) {
            v[i] = g[gOffset + i * ldg + j];
        }
        return v;
    }

    private static boolean hasNaN(double[] v) {
        for (double x : v) {
            if (x != x) {
                return true;
            }
        }
        return false;
    }

    private static double sorted(double[] v, int rank) {
        return v[rank];
    }

    public static double[] mean(float[] g, int gOffset, int rows, int cols, int ldg) {
        double[] out = new double[cols];
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (double x : column(g, gOffset, rows, ldg, j)) {
                s += x;
            }
            out[j] = s / rows;
        }
        return out;
    }

    /** Median of one list of values: middle one, or the mean of the two middle ones; NaN if one is NaN. */
    public static double median(double[] values) {
        if (hasNaN(values)) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return (n & 1) == 1 ? sorted(v, n / 2) : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    public static double[] median(float[] g, int gOffset, int rows, int cols, int ldg) {
        double[] out = new double[cols];
        for (int j = 0; j < cols; j++) {
            out[j] = median(column(g, gOffset, rows, ldg, j));
        }
        return out;
    }

    public static double[] trimmedMean(float[] g, int gOffset, int rows, int cols, int ldg, int c) {
        double[] out = new double[cols];
        for (int j = 0; j < cols; j++) {
            double[] v = column(g, gOffset, rows, ldg, j);
            if (hasNaN(v)) {
                out[j] = Double.NaN;
                continue;
            }
            Arrays.sort(v);
            double s = 0;
            for (int i = c; i < rows - c; i++) {
                s += v[i];
            }
            out[j] = s / (rows - 2 * c);
        }
        return out;
    }

    public static double[] winsorizedMean(float[] g, int gOffset, int rows, int cols, int ldg, int c) {
        double[] out = new double[cols];
        for (int j = 0; j < cols; j++) {
            double[] v = column(g, gOffset, rows, ldg, j);
            if (hasNaN(v)) {
                out[j] = Double.NaN;
                continue;
            }
            Arrays.sort(v);
            for (int i = 0; i < c; i++) {
                v[i] = v[c];
                v[rows - 1 - i] = v[rows - 1 - c];
            }
            double s = 0;
            for (double x : v) {
                s += x;
            }
            out[j] = s / rows;
        }
        return out;
    }

    /** First row of group g: {@code floor(g rows / groups)}. */
    public static int groupStart(int g, int rows, int groups) {
        return (int) ((long) g * rows / groups);
    }

    public static double[] medianOfMeans(float[] g, int gOffset, int rows, int cols, int ldg, int groups) {
        double[] out = new double[cols];
        for (int j = 0; j < cols; j++) {
            double[] v = column(g, gOffset, rows, ldg, j);
            double[] means = new double[groups];
            for (int k = 0; k < groups; k++) {
                int from = groupStart(k, rows, groups), to = groupStart(k + 1, rows, groups);
                double s = 0;
                for (int i = from; i < to; i++) {
                    s += v[i];
                }
                means[k] = s / (to - from);
            }
            out[j] = hasNaN(v) ? Double.NaN : median(means);
        }
        return out;
    }

    public static double[] medianOfThree(float[] a, float[] b, float[] c, int offset, int length) {
        double[] out = new double[length];
        for (int j = 0; j < length; j++) {
            out[j] = median(new double[] {a[offset + j], b[offset + j], c[offset + j]});
        }
        return out;
    }

    // ---- error bounds (absolute, per coordinate), as derived in the Aggregate Javadoc ----

    /** Mean: {@code gamma(B + 1) sum|v_i| / B} (B - 1 additions and the division). */
    public static double[] meanBound(float[] g, int gOffset, int rows, int cols, int ldg) {
        double[] out = new double[cols];
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (double x : column(g, gOffset, rows, ldg, j)) {
                s += Math.abs(x);
            }
            out[j] = ErrorBounds.gamma(rows + 1) * s / rows;
        }
        return out;
    }

    /** Winsorized: {@code gamma(B + 1) sum|w_i| / B} over the clipped values; trimmed: see the class doc. */
    public static double[] trimWinsorBound(float[] g, int gOffset, int rows, int cols, int ldg, int c,
                                           boolean trimmed) {
        double[] out = new double[cols];
        for (int j = 0; j < cols; j++) {
            double[] v = column(g, gOffset, rows, ldg, j);
            Arrays.sort(v);
            double lo = v[c], hi = v[rows - 1 - c], s = 0;
            for (double x : v) {
                s += Math.abs(Math.min(Math.max(x, lo), hi));
            }
            out[j] = trimmed
                    ? ErrorBounds.gamma(rows + 4) * (s + c * Math.abs(lo) + c * Math.abs(hi)) / (rows - 2 * c)
                    : ErrorBounds.gamma(rows + 1) * s / rows;
        }
        return out;
    }

    /** Median of means: the largest group-mean bound (the median is 1-Lipschitz), plus one rounding (added by the caller). */
    public static double[] medianOfMeansBound(float[] g, int gOffset, int rows, int cols, int ldg, int groups) {
        double[] out = new double[cols];
        for (int j = 0; j < cols; j++) {
            double[] v = column(g, gOffset, rows, ldg, j);
            double worst = 0;
            for (int k = 0; k < groups; k++) {
                int from = groupStart(k, rows, groups), to = groupStart(k + 1, rows, groups);
                double s = 0;
                for (int i = from; i < to; i++) {
                    s += Math.abs(v[i]);
                }
                worst = Math.max(worst, ErrorBounds.gamma(to - from + 1) * s / (to - from));
            }
            out[j] = worst;
        }
        return out;
    }
}
