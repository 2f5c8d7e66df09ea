package dev.simdgrad.verify;

/**
 * The scalar reference of {@link dev.simdgrad.kernels.PerExample}: per-example gradients built literally
 * ({@code g_i = d_i x_i^T}, then the bias {@code d_i}) and everything summed in double. Coherence's is
 * {@link ReferenceCoherence}.
 */
public final class ReferencePerExample {
    private ReferencePerExample() {
    }

    /** The full per-example gradient of example i, in double: weights row-major, then (if bias) the bias. */
    public static double[] gradient(int i, int dOut, int dIn, float[] d, int dOffset, int ldd,
                                    float[] x, int xOffset, int ldx, boolean bias) {
        double[] g = new double[dOut * dIn + (bias ? dOut : 0)];
        for (int r = 0; r < dOut; r++) {
            for (int c = 0; c < dIn; c++) {
                g[r * dIn + c] = (double) d[dOffset + i * ldd + r] * x[xOffset + i * ldx + c];
            }
            if (bias) {
                g[dOut * dIn + r] = d[dOffset + i * ldd + r];
            }
        }
        return g;
    }

    /** {@code ||g_i||^2} by summing the squares of the materialized gradient. */
    public static double[] squaredNorms(int batch, int dOut, int dIn, float[] d, int dOffset, int ldd,
                                        float[] x, int xOffset, int ldx, boolean bias) {
        double[] out = new double[batch];
        for (int i = 0; i < batch; i++) {
            double s = 0;
            for (double v : gradient(i, dOut, dIn, d, dOffset, ldd, x, xOffset, ldx, bias)) {
                s += v * v;
            }
            out[i] = s;
        }
        return out;
    }

    /** {@code sum_i s_i g_i} (weights then bias) and, in {@code magnitude}, {@code sum_i |s_i g_i|}. */
    public static double[] weightedSum(int batch, int dOut, int dIn, float[] s, int sOffset, float[] d, int dOffset,
                                       int ldd, float[] x, int xOffset, int ldx, double[] magnitude) {
        int p = dOut * dIn + dOut;
        double[] sum = new double[p];
        for (int i = 0; i < batch; i++) {
            double[] g = gradient(i, dOut, dIn, d, dOffset, ldd, x, xOffset, ldx, true);
            double w = s[sOffset + i];
            for (int q = 0; q < p; q++) {
                sum[q] += w * g[q];
                magnitude[q] += Math.abs(w * g[q]);
            }
        }
        return sum;
    }

    /** {@code scale * min(1, C / ||g_i||)}. */
    public static double clipWeight(double squaredNorm, double clipNorm, double scale) {
        if (squaredNorm != squaredNorm) {
            return Double.NaN;
        }
        return scale * Math.min(1.0, clipNorm / Math.sqrt(squaredNorm));
    }

    /** m-coherence {@code ||sum g_i||^2 / sum ||g_i||^2} of materialized gradients ({@link ReferenceCoherence}). */
    public static double mCoherence(double[][] perExample) {
        return ReferenceCoherence.of(perExample).mCoherence();
    }
}
