package dev.simdgrad.kernels.internal.gram;

/**
 * Plain-Java dot products in double over row-major rows (panels of one row). One row against four at a time: four
 * independent sums hide the latency of the additions and read the first row once for four products.
 */
public final class ScalarGramKernel implements GramKernel {
    @Override
    public int panelRows() {
        return 1;
    }

    @Override
    public void lower(double[] a, int n, int len, double[] acc, int ao, int lda) {
        for (int i = 0; i < n; i++) {
            rowAgainst(a, i * len, a, len, i + 1, len, acc, ao + i * lda);
        }
    }

    @Override
    public void cross(double[] a, double[] b, int n, int m, int len, double[] acc, int ao, int lda) {
        for (int i = 0; i < n; i++) {
            rowAgainst(a, i * len, b, len, m, len, acc, ao + i * lda);
        }
    }

    /** acc[o + j] += a[p..p+len) . b[j*stride..) for j < to. */
    private static void rowAgainst(double[] a, int p, double[] b, int stride, int to, int len, double[] acc, int o) {
        int j = 0;
        for (; j + 4 <= to; j += 4) {
            int q0 = j * stride, q1 = q0 + stride, q2 = q1 + stride, q3 = q2 + stride;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int k = 0; k < len; k++) {
                double x = a[p + k];
                s0 += x * b[q0 + k];
                s1 += x * b[q1 + k];
                s2 += x * b[q2 + k];
                s3 += x * b[q3 + k];
            }
            acc[o + j] += s0;
            acc[o + j + 1] += s1;
            acc[o + j + 2] += s2;
            acc[o + j + 3] += s3;
        }
        for (; j < to; j++) {
            int q = j * stride;
            double s = 0;
            for (int k = 0; k < len; k++) {
                s += a[p + k] * b[q + k];
            }
            acc[o + j] += s;
        }
    }
}
