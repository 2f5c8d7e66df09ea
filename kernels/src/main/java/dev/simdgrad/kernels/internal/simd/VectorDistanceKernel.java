package dev.simdgrad.kernels.internal.simd;

import dev.simdgrad.kernels.internal.KernelProvider;
import dev.simdgrad.kernels.internal.gram.DistanceKernel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DistanceKernel} on the Vector API at the width the provider chose (one class for 128, 256 and 512 bits; the
 * species are constants computed at class load). Vectors run along the columns: lane l of a pair's accumulator sums
 * the columns {@code k = l mod L} of the chunk in order, so each lane sums {@code chunk() / L = LANE_TERMS} terms.
 *
 * <p>Rows are taken four at a time: a tile of 4 x 4 rows keeps 16 accumulators, and per step loads 8 vectors for 16
 * subtractions and 16 FMAs (on Zen 4 the subtractions issue on the FP add pipes, beside the FMAs); the four rows of
 * a group against each other (6 pairs and 4 norms) are one tile as well. The rows past the last group of four, and
 * the columns past the last whole vector, take a plain path (the columns in double, exactly but for the double
 * rounding). A call gets up to {@link #BLOCK_CHUNKS} chunks: first every group sweeps its four rows along all of
 * them (the read of the matrix, in runs of up to 64 KiB per row at 512 bits), then the tiles sweep chunk after chunk
 * (a chunk, 32 rows x 2,048 floats, is 256 KiB). Each sum still gets its chunks in column order, one flush each.
 *
 * <p>Measured on the Zen 4 (2026-12-05, 1 thread, 32 x 4,000,000 floats, a plain harness in the kernels' package
 * calling the kernel over the matrix, 12 rounds, the first two left out, ms min / median): one chunk per call 78.6 /
 * 80.3 (groups 37.5 / 38.8 of it, tiles 40.9 / 41.2), 2 chunks 74.3 / 75.3, 4 chunks 72.0 / 73.1, 8 chunks 71.5 /
 * 72.7 (groups 28.3 / 29.0: the matrix read in longer runs; tiles 42.9 / 44.0, partly from L3). Computing while the
 * matrix streams in does not pay here: 2 or 4 rows streamed from memory against 8 or 4 rows in cache took about
 * the read plus the arithmetic, or more, never the larger of the two.
 *
 * <p>At a flush, a float accumulator is widened to double in two halves, the halves added lane by lane into the
 * pair's double lanes ({@link #lanes()} per pair); the driver sums the lanes in order at the end. A fixed order, so
 * a call gives the same bits every time. (Summing the lanes at every flush, a chain of dependent scalar additions,
 * made the 4 x 4 tile 1.5x slower at chunks of 2,048 columns and 2.5x at 512.) Each half is loaded from the tile
 * array as a half-width vector and converted whole ({@link #H}): converting part 1 of the full vector instead cost
 * about 3.6 ns per flush against 1.6 on the Zen 4, and the whole pass over 32 x 4,000,000 at 1 thread took 74 ms
 * against 68 (same bits).
 *
 * <p>Tried on the Zen 4 and slower (2026-12-05, same harness): the tiles over sub-chunks of 256-1,024 columns with
 * their accumulators saved between sub-chunks (77-86 ms: the save and restore cost more than the L1 hits gain); one
 * call per tile over all the chunks of a call (77); the read pass one row at a time with the group arithmetic moved
 * to the tiles (76); the rows copied into a padded per-thread buffer as the groups read them, or chunk by chunk
 * before the tiles (79-82: the copy is not free); 256-bit vectors (76-80).
 */
final class VectorDistanceKernel implements DistanceKernel {
    static final VectorSpecies<Float> S =
            VectorSpecies.of(float.class, VectorShape.forBitSize(KernelProvider.choice().bits()));
    static final VectorSpecies<Double> SD =
            VectorSpecies.of(double.class, VectorShape.forBitSize(KernelProvider.choice().bits()));
    static final int L = S.length(), LD = SD.length();
    /**
     * Half a float vector: the float lanes that widen to one double vector. {@link #flush} loads each half as its own
     * vector rather than converting part 1 of the whole one, which C2 compiles to a slower sequence.
     */
    static final VectorSpecies<Float> H = VectorSpecies.of(float.class, VectorShape.forBitSize(L * 16));

    /** Per-thread scratch for a tile's 16 float accumulators on their way to the double lanes ({@link #flush}). */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[16 * L]);

    @Override
    public int chunk() {
        return LANE_TERMS * L;
    }

    @Override
    public int lanes() {
        return LD;
    }

    @Override
    public void accumulate(float[][] rows, int[] offsets, int n, int k0, int len, double[] acc, int ao,
                           double[] dist, double[] norms) {
        int whole = len - len % L, chunk = chunk(), groups = n / 4, no = n * (n - 1) / 2;
        float[] t = TILE.get();
        // First the groups, each along all the chunks of the call: the first read of a row is one long run.
        for (int gi = 0; gi < groups; gi++) {
            for (int c = 0; c < whole; c += chunk) {
                group(rows, offsets, 4 * gi, k0 + c, Math.min(chunk, whole - c), no, acc, ao, t);
            }
        }
        for (int c = 0; c < whole; c += chunk) {
            int kc = k0 + c, vl = Math.min(chunk, whole - c);
            for (int gi = 1; gi < groups; gi++) {
                for (int gj = 0; gj < gi; gj++) {
                    tile(rows, offsets, 4 * gi, 4 * gj, kc, vl, acc, ao, t);
                }
            }
            for (int i = 4 * groups; i < n; i++) {
                pair(rows[i], offsets[i] + kc, null, 0, vl).intoArray(t, 0);
                flush(t, 0, acc, ao, no + i);
                for (int j = 0; j < i; j++) {
                    pair(rows[i], offsets[i] + kc, rows[j], offsets[j] + kc, vl).intoArray(t, 0);
                    flush(t, 0, acc, ao, tri(i, j));
                }
            }
        }
        if (whole < len) {
            tail(rows, offsets, n, k0 + whole, k0 + len, dist, norms);
        }
    }

    /** Index of the pair (i, j), j &lt; i, in the strict lower triangle by rows. */
    private static int tri(int i, int j) {
        return i * (i - 1) / 2 + j;
    }

    /** One lane sum per lane of {@code sum_k (a_k - b_k)^2} (b null: {@code sum_k a_k^2}), k < vl. */
    private static FloatVector pair(float[] a, int pa, float[] b, int pb, int vl) {
        FloatVector c = FloatVector.zero(S);
        for (int k = 0; k < vl; k += L) {
            FloatVector x = FloatVector.fromArray(S, a, pa + k);
            FloatVector d = b == null ? x : x.sub(FloatVector.fromArray(S, b, pb + k));
            c = d.fma(d, c);
        }
        return c;
    }

    /** Rows i0..i0+3 against each other (6 distances) and their 4 norms. */
    private static void group(float[][] r, int[] o, int i0, int k0, int vl, int no, double[] acc, int ao,
                              float[] t) {
        float[] a0 = r[i0], a1 = r[i0 + 1], a2 = r[i0 + 2], a3 = r[i0 + 3];
        int p0 = o[i0] + k0, p1 = o[i0 + 1] + k0, p2 = o[i0 + 2] + k0, p3 = o[i0 + 3] + k0;
        FloatVector z = FloatVector.zero(S);
        FloatVector n0 = z, n1 = z, n2 = z, n3 = z, c10 = z, c20 = z, c21 = z, c30 = z, c31 = z, c32 = z;
        for (int k = 0; k < vl; k += L) {
            FloatVector x0 = FloatVector.fromArray(S, a0, p0 + k), x1 = FloatVector.fromArray(S, a1, p1 + k);
            FloatVector x2 = FloatVector.fromArray(S, a2, p2 + k), x3 = FloatVector.fromArray(S, a3, p3 + k);
            n0 = x0.fma(x0, n0);
            n1 = x1.fma(x1, n1);
            n2 = x2.fma(x2, n2);
            n3 = x3.fma(x3, n3);
            FloatVector d = x1.sub(x0);
            c10 = d.fma(d, c10);
            d = x2.sub(x0);
            c20 = d.fma(d, c20);
            d = x2.sub(x1);
            c21 = d.fma(d, c21);
            d = x3.sub(x0);
            c30 = d.fma(d, c30);
            d = x3.sub(x1);
            c31 = d.fma(d, c31);
            d = x3.sub(x2);
            c32 = d.fma(d, c32);
        }
        n0.intoArray(t, 0);
        n1.intoArray(t, L);
        n2.intoArray(t, 2 * L);
        n3.intoArray(t, 3 * L);
        c10.intoArray(t, 4 * L);
        c20.intoArray(t, 5 * L);
        c21.intoArray(t, 6 * L);
        c30.intoArray(t, 7 * L);
        c31.intoArray(t, 8 * L);
        c32.intoArray(t, 9 * L);
        for (int q = 0; q < 4; q++) {
            flush(t, q, acc, ao, no + i0 + q);
        }
        flush(t, 4, acc, ao, tri(i0 + 1, i0));
        flush(t, 5, acc, ao, tri(i0 + 2, i0));
        flush(t, 6, acc, ao, tri(i0 + 2, i0 + 1));
        flush(t, 7, acc, ao, tri(i0 + 3, i0));
        flush(t, 8, acc, ao, tri(i0 + 3, i0 + 1));
        flush(t, 9, acc, ao, tri(i0 + 3, i0 + 2));
    }

    /** Rows i0..i0+3 against rows j0..j0+3 (j0 + 3 < i0): 16 distances. */
    private static void tile(float[][] r, int[] o, int i0, int j0, int k0, int vl, double[] acc, int ao,
                             float[] t) {
        float[] a0 = r[i0], a1 = r[i0 + 1], a2 = r[i0 + 2], a3 = r[i0 + 3];
        float[] b0 = r[j0], b1 = r[j0 + 1], b2 = r[j0 + 2], b3 = r[j0 + 3];
        int p0 = o[i0] + k0, p1 = o[i0 + 1] + k0, p2 = o[i0 + 2] + k0, p3 = o[i0 + 3] + k0;
        int q0 = o[j0] + k0, q1 = o[j0 + 1] + k0, q2 = o[j0 + 2] + k0, q3 = o[j0 + 3] + k0;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z, c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z, c30 = z, c31 = z, c32 = z, c33 = z;
        for (int k = 0; k < vl; k += L) {
            FloatVector y0 = FloatVector.fromArray(S, b0, q0 + k), y1 = FloatVector.fromArray(S, b1, q1 + k);
            FloatVector y2 = FloatVector.fromArray(S, b2, q2 + k), y3 = FloatVector.fromArray(S, b3, q3 + k);
            FloatVector x = FloatVector.fromArray(S, a0, p0 + k), d;
            d = x.sub(y0);
            c00 = d.fma(d, c00);
            d = x.sub(y1);
            c01 = d.fma(d, c01);
            d = x.sub(y2);
            c02 = d.fma(d, c02);
            d = x.sub(y3);
            c03 = d.fma(d, c03);
            x = FloatVector.fromArray(S, a1, p1 + k);
            d = x.sub(y0);
            c10 = d.fma(d, c10);
            d = x.sub(y1);
            c11 = d.fma(d, c11);
            d = x.sub(y2);
            c12 = d.fma(d, c12);
            d = x.sub(y3);
            c13 = d.fma(d, c13);
            x = FloatVector.fromArray(S, a2, p2 + k);
            d = x.sub(y0);
            c20 = d.fma(d, c20);
            d = x.sub(y1);
            c21 = d.fma(d, c21);
            d = x.sub(y2);
            c22 = d.fma(d, c22);
            d = x.sub(y3);
            c23 = d.fma(d, c23);
            x = FloatVector.fromArray(S, a3, p3 + k);
            d = x.sub(y0);
            c30 = d.fma(d, c30);
            d = x.sub(y1);
            c31 = d.fma(d, c31);
            d = x.sub(y2);
            c32 = d.fma(d, c32);
            d = x.sub(y3);
            c33 = d.fma(d, c33);
        }
        c00.intoArray(t, 0);
        c01.intoArray(t, L);
        c02.intoArray(t, 2 * L);
        c03.intoArray(t, 3 * L);
        c10.intoArray(t, 4 * L);
        c11.intoArray(t, 5 * L);
        c12.intoArray(t, 6 * L);
        c13.intoArray(t, 7 * L);
        c20.intoArray(t, 8 * L);
        c21.intoArray(t, 9 * L);
        c22.intoArray(t, 10 * L);
        c23.intoArray(t, 11 * L);
        c30.intoArray(t, 12 * L);
        c31.intoArray(t, 13 * L);
        c32.intoArray(t, 14 * L);
        c33.intoArray(t, 15 * L);
        for (int a = 0; a < 4; a++) {
            int q = tri(i0 + a, j0);
            for (int b = 0; b < 4; b++) {
                flush(t, 4 * a + b, acc, ao, q + b);
            }
        }
    }

    /**
     * Adds lane sum m of the tile t (lanes {@code t[m*L ..]}), widened to double exactly, into the double lanes of sum
     * q: {@code acc[ao + q*LD + l] += t[m*L + l] + t[m*L + l + LD]}, lane by lane (no reduction across lanes: that is
     * the driver's, in a fixed order, once at the end). Cheap and off the critical path, unlike a sum across lanes per
     * flush. The accumulators pass through the small array t rather than as arguments: a vector passed to a method
     * C2 does not inline is boxed, an allocation per flush.
     */
    private static void flush(float[] t, int m, double[] acc, int ao, int q) {
        DoubleVector lo = (DoubleVector) FloatVector.fromArray(H, t, m * L).convertShape(VectorOperators.F2D, SD, 0);
        DoubleVector hi = (DoubleVector) FloatVector.fromArray(H, t, m * L + LD)
                .convertShape(VectorOperators.F2D, SD, 0);
        int o = ao + q * LD;
        DoubleVector.fromArray(SD, acc, o).add(lo.add(hi)).intoArray(acc, o);
    }

    /** Columns [from, to) (fewer than L) in double: the difference of two floats and its square nearly exact. */
    private static void tail(float[][] r, int[] o, int n, int from, int to, double[] dist, double[] norms) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = from; k < to; k++) {
                double x = r[i][o[i] + k];
                s += x * x;
            }
            norms[i] += s;
            for (int j = 0; j < i; j++) {
                double e = 0;
                for (int k = from; k < to; k++) {
                    double d = (double) r[i][o[i] + k] - r[j][o[j] + k];
                    e += d * d;
                }
                dist[i * n + j] += e;
            }
        }
    }
}
