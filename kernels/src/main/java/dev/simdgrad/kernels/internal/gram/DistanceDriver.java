package dev.simdgrad.kernels.internal.gram;

import dev.simdgrad.kernels.internal.KernelProvider;
import dev.simdgrad.kernels.internal.simd.VectorSupportProbe;

/**
 * The squared distances and norms of the rows of a float matrix (and optionally one more vector, the center of
 * centered clipping), for the explicit robust aggregators.
 *
 * <p><b>Why not the Gram matrix.</b> The rules need distances; from a Gram matrix they come as
 * {@code G_ii + G_jj - 2 G_ij}, whose cancellation forces G into double (every product, at a quarter of the float
 * rate: the double Gram of 32 x 4,000,000 floats measured 440 ms, 2.3 GB/s). Summed directly, a squared distance is
 * a sum of non-negative terms: its float accumulation is accurate relative to the distance itself
 * ({@link DistanceKernel}), better than the double Gram for close rows and about {@code 1e-5} relative for any
 * rows, at the float rate.
 *
 * <p><b>Fallback.</b> When a result is not finite (a NaN or an infinity in a row, or, with the vector kernel, a
 * float overflow of a square or a sum: differences beyond about 1.8e19), the distances come from the double Gram
 * matrix as before ({@link GramDriver#gram}, {@link Distances#fromGram}), whose policy for non-finite
 * rows the rules document. So the rules see either the direct distances or the Gram ones, and the documented error
 * bound is the larger of the two.
 *
 * <p>Single-threaded and in a fixed order: the same bits for every thread count.
 */
final class DistanceDriver {
    private static final DistanceKernel K = KernelProvider.choice().bits() == 0
            ? new ScalarDistanceKernel() : VectorSupportProbe.distanceKernel();

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        float[][] rows = new float[0][];
        int[] offsets = new int[0];
        double[] gram = new double[0], lanes = new double[0];
    }

    private DistanceDriver() {
    }

    /**
     * The distances of rows {@code a[ao + i*lda ..]} for {@code i < rows} and, when {@code extra} is not null, of
     * {@code extra[eo ..]} as vector {@code rows}; each of length len.
     */
    static Distances of(float[] a, int ao, int lda, int rows, float[] extra, int eo, int len) {
        int n = rows + (extra != null ? 1 : 0);
        Distances s = direct(a, ao, lda, rows, extra, eo, len, n);
        if (s != null) {
            return s;
        }
        Scratch sc = SCRATCH.get();
        if (sc.gram.length < n * n) {
            sc.gram = new double[n * n];
        }
        GramDriver.gram(a, ao, lda, rows, extra, eo, len, sc.gram, 0, n, false);
        return Distances.fromGram(sc.gram, n);
    }

    /** The direct distances, or null when one is not finite. */
    private static Distances direct(float[] a, int ao, int lda, int rows, float[] extra, int eo, int len, int n) {
        Scratch sc = SCRATCH.get();
        if (sc.rows.length < n) {
            sc.rows = new float[n][];
            sc.offsets = new int[n];
        }
        for (int i = 0; i < rows; i++) {
            sc.rows[i] = a;
            sc.offsets[i] = ao + i * lda;
        }
        if (extra != null) {
            sc.rows[rows] = extra;
            sc.offsets[rows] = eo;
        }
        Distances s = Distances.scratch(n);
        double[] d = s.d, norms = s.norms;
        java.util.Arrays.fill(d, 0, n * n, 0.0);
        java.util.Arrays.fill(norms, 0, n, 0.0);
        int chunk = K.chunk(), lanes = K.lanes(), no = n * (n - 1) / 2, size = (no + n) * lanes;
        if (sc.lanes.length < size) {
            sc.lanes = new double[size];
        }
        double[] acc = sc.lanes;
        java.util.Arrays.fill(acc, 0, size, 0.0);
        for (int k0 = 0; k0 < len; k0 += chunk) {
            K.accumulate(sc.rows, sc.offsets, n, k0, Math.min(chunk, len - k0), acc, d, norms);
        }
        java.util.Arrays.fill(sc.rows, 0, n, null);
        for (int i = 0; i < n; i++) {
            norms[i] += sum(acc, (no + i) * lanes, lanes);
            if (!Double.isFinite(norms[i])) {
                return null;
            }
            for (int j = 0; j < i; j++) {
                double v = d[i * n + j] += sum(acc, (i * (i - 1) / 2 + j) * lanes, lanes);
                if (!Double.isFinite(v)) {
                    return null;
                }
                d[j * n + i] = v;
            }
        }
        return s;
    }

    /** {@code a[o] + a[o+1] + ... + a[o+count-1]}, in that order. */
    private static double sum(double[] a, int o, int count) {
        double s = 0;
        for (int q = 0; q < count; q++) {
            s += a[o + q];
        }
        return s;
    }
}
