package dev.simdgrad.kernels.internal.agg;

import java.util.Arrays;

/**
 * The scalar twin of the aggregation kernels: plain Java, one coordinate at a time. Order statistics by sorting a
 * copy of the coordinate's values ({@link Arrays#sort(float[], int, int)}, the total order of
 * {@link Float#compare}); sums in row order; the same finishing arithmetic as the vector kernels, which call
 * the static methods here for their tail columns.
 */
public final class ScalarAggregateKernel implements AggregateKernel {
    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public int insertionMax() {
        return 0;
    }

    @Override
    public boolean vector() {
        return false;
    }

    @Override
    public void aggregate(Plan plan, float[] a, int base, int stride, int cols, float[] out, int oo, Scratch s) {
        columns(plan, a, base, stride, cols, out, oo, s);
    }

    @Override
    public void aggregateFused(Plan plan, float[] dt, int dOff, float[] xt, int base, int stride, int cols,
                               float[] out, int oo, Scratch s) {
        int rows = plan.rows;
        float[] t = s.tile(rows * cols);
        for (int i = 0; i < rows; i++) {
            float d = dt[dOff + i];
            for (int j = 0, q = base + i * stride; j < cols; j++) {
                t[i * cols + j] = d * xt[q + j];
            }
        }
        columns(plan, t, 0, cols, cols, out, oo, s);
    }

    /** Eight partial sums (j mod 8) combined pairwise: a fixed order, eight chains for the latency of a double add. */
    @Override
    public double sumOfSquares(float[] v, int o, int n, double[] lanes) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int j = 0;
        for (; j <= n - 8; j += 8) {
            double a0 = v[o + j], a1 = v[o + j + 1], a2 = v[o + j + 2], a3 = v[o + j + 3];
            double a4 = v[o + j + 4], a5 = v[o + j + 5], a6 = v[o + j + 6], a7 = v[o + j + 7];
            s0 += a0 * a0;
            s1 += a1 * a1;
            s2 += a2 * a2;
            s3 += a3 * a3;
            s4 += a4 * a4;
            s5 += a5 * a5;
            s6 += a6 * a6;
            s7 += a7 * a7;
        }
        for (; j < n; j++) {
            double a = v[o + j];
            s0 += a * a;
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    @Override
    public void medianOfThree(float[] a, float[] b, float[] c, int off, int length, float[] out, int oo) {
        medianOfThreeScalar(a, b, c, off, length, out, oo);
    }

    /** {@code max(min(a, b), min(max(a, b), c))} with {@link Math#min} / {@link Math#max}: exact, NaN-propagating. */
    public static void medianOfThreeScalar(float[] a, float[] b, float[] c, int off, int length, float[] out, int oo) {
        for (int j = 0; j < length; j++) {
            float x = a[off + j], y = b[off + j], z = c[off + j];
            out[oo + j] = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
        }
    }

    /** The scalar path for {@code cols} columns (also the vector kernels' tail and GENERAL path). */
    public static void columns(Plan plan, float[] a, int base, int stride, int cols, float[] out, int oo, Scratch s) {
        int rows = plan.rows;
        for (int j = 0; j < cols; j++) {
            int p = base + j;
            float r;
            switch (plan.op) {
                case Plan.MEAN -> r = sum(a, p, stride, 0, rows) / rows;
                case Plan.MEDIAN -> {
                    float[] t = s.column(rows);
                    boolean nan = false;
                    for (int i = 0, q = p; i < rows; i++, q += stride) {
                        float x = a[q];
                        nan |= x != x;
                        t[i] = x;
                    }
                    r = nan ? Float.NaN : middle(t, rows);
                }
                case Plan.TRIMMED, Plan.WINSORIZED -> {
                    float[] t = s.column(rows);
                    for (int i = 0, q = p; i < rows; i++, q += stride) {
                        t[i] = a[q];
                    }
                    Arrays.sort(t, 0, rows);
                    int c = plan.param;
                    float lo = t[c], hi = t[rows - 1 - c];
                    r = finishTrimWinsor(clampSum(a, p, stride, rows, lo, hi), lo, hi, c, rows,
                            plan.op == Plan.TRIMMED);
                }
                case Plan.MEDIAN_OF_MEANS -> {
                    int groups = plan.param;
                    float[] t = s.column(groups);
                    boolean nan = false;
                    for (int g = 0; g < groups; g++) {
                        int from = groupStart(g, rows, groups), to = groupStart(g + 1, rows, groups);
                        float m = sum(a, p + from * stride, stride, from, to) / (to - from);
                        nan |= m != m;
                        t[g] = m;
                    }
                    r = nan ? Float.NaN : middle(t, groups);
                }
                default -> throw new IllegalStateException("op " + plan.op);
            }
            out[oo + j] = r;
        }
    }

    /** First row of group {@code g} of {@code groups} consecutive groups of {@code rows} rows. */
    public static int groupStart(int g, int rows, int groups) {
        return (int) ((long) g * rows / groups);
    }

    /** {@code a[p] + a[p + stride] + ...} for rows {@code from..to-1} (p points at row {@code from}), left to right. */
    static float sum(float[] a, int p, int stride, int from, int to) {
        float s = 0f;
        for (int i = from; i < to; i++, p += stride) {
            s += a[p];
        }
        return s;
    }

    /** Sorts {@code t[0..n)} and returns its median: the middle value, or the mean of the two middle values. */
    static float middle(float[] t, int n) {
        Arrays.sort(t, 0, n);
        return (n & 1) == 1 ? t[n / 2] : mid(t[n / 2 - 1], t[n / 2]);
    }

    /**
     * {@code (a + b) / 2} with one rounding: {@code (a + b) * 0.5}, exact but for the rounding of the sum, and
     * {@code a * 0.5 + b * 0.5} when the sum overflows (the halves of such large values are exact).
     */
    public static float mid(float a, float b) {
        float s = a + b;
        return Float.isInfinite(s) ? a * 0.5f + b * 0.5f : s * 0.5f;
    }

    /**
     * Sum of the values clamped to {@code [lo, hi]}, in row order; the comparisons are written so that a NaN value
     * passes through (and makes the sum NaN).
     */
    static float clampSum(float[] a, int p, int stride, int rows, float lo, float hi) {
        float s = 0f;
        for (int i = 0; i < rows; i++, p += stride) {
            float x = a[p];
            float y = x < lo ? lo : x;
            y = y > hi ? hi : y;
            s += y;
        }
        return s;
    }

    /**
     * From the winsorized sum {@code w} and the thresholds (the (c+1)-th smallest and largest): the winsorized mean
     * {@code w / rows}, or the trimmed mean {@code (w - c lo - c hi) / (rows - 2c)}; for the trimmed mean a NaN sum
     * stays NaN, equal thresholds give the threshold itself (every kept value equals it), and an infinite threshold
     * gives {@code lo + hi} (the kept values include it, and any finite ones cannot change an infinite sum).
     */
    public static float finishTrimWinsor(float w, float lo, float hi, int c, int rows, boolean trimmed) {
        if (!trimmed) {
            return w / rows;
        }
        if (w != w) {
            return w;
        }
        if (lo == hi) {
            return lo;
        }
        if (Float.isInfinite(lo) || Float.isInfinite(hi)) {
            return lo + hi;
        }
        return (w - lo * c - hi * c) / (rows - 2 * c);
    }
}
