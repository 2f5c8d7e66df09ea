package dev.simdgrad.kernels.internal.gram;

/**
 * {@link DistanceKernel} without the Vector API (width 0): every difference and square in double, summed in double
 * in column order, one lane per sum. More accurate than the vector kernel's float lanes (relative
 * {@code gamma_d(len + 2)}), so the documented bound holds for it too.
 */
final class ScalarDistanceKernel implements DistanceKernel {
    @Override
    public int chunk() {
        return 4096;
    }

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void accumulate(float[][] rows, int[] offsets, int n, int k0, int len, double[] acc, int ao,
                           double[] dist, double[] norms) {
        for (int c = 0; c < len; c += chunk()) {
            addChunk(rows, offsets, n, k0 + c, Math.min(chunk(), len - c), acc, ao);
        }
    }

    /** One chunk: each sum's part of it added to the sum as one double. */
    private static void addChunk(float[][] rows, int[] offsets, int n, int k0, int len, double[] acc, int ao) {
        int no = n * (n - 1) / 2;
        for (int i = 0; i < n; i++) {
            float[] a = rows[i];
            int p = offsets[i] + k0;
            double s = 0;
            for (int k = 0; k < len; k++) {
                double x = a[p + k];
                s += x * x;
            }
            acc[ao + no + i] += s;
            for (int j = 0; j < i; j++) {
                float[] b = rows[j];
                int q = offsets[j] + k0;
                double e = 0;
                for (int k = 0; k < len; k++) {
                    double d = (double) a[p + k] - b[q + k];
                    e += d * d;
                }
                acc[ao + i * (i - 1) / 2 + j] += e;
            }
        }
    }
}
