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
 * a group against each other (6 pairs and 4 norms) are one tile as well. The rows past the last group of four take
 * 1 x 4 strips against each group and single pairs among themselves; the columns past the last whole vector take a
 * plain path (in double, exactly but for the double rounding). A call gets up to {@link #BLOCK_CHUNKS} chunks: first
 * every group sweeps its four rows along all of them (the read of the matrix, in runs of up to 64 KiB per row at 512
 * bits), its ten double sums in registers for the whole call; then the tiles sweep chunk after chunk (a chunk, 32
 * rows x 2,048 floats, is 256 KiB). Each sum still gets its chunks in column order, one widening each.
 *
 * <p>Measured on the Zen 4 (2026-12-05, 1 thread, 32 x 4,000,000 floats, a plain harness in the kernels' package
 * calling the kernel over the matrix, 12 rounds, the first two left out, ms min / median): one chunk per call 78.6 /
 * 80.3 (groups 37.5 / 38.8 of it, tiles 40.9 / 41.2), 2 chunks 74.3 / 75.3, 4 chunks 72.0 / 73.1, 8 chunks 71.5 /
 * 72.7 (groups 28.3 / 29.0: the matrix read in longer runs; tiles 42.9 / 44.0, partly from L3). (Then also: 2 or 4
 * rows streamed from memory against 8 or 4 rows in cache took about the read plus the arithmetic, never the larger
 * of the two; those variants stored their sums at every chunk, which the next paragraph shows is costly. Without
 * those stores it still holds: the benchmarks' {@code StreamOverlapBenchmark}, 2026-12-06, finds that arithmetic on
 * the rows being read hides under the read, up to about 10 ms of it over 32 x 4,000,000, while the same loop with
 * 2 or 4 more rows loaded from L2 takes the read plus its whole in-cache time.)
 *
 * <p>The group sweep's sums stay in registers (2026-12-05, same machine): it used to store its ten float sums to
 * the tile array at the end of every chunk and flush them from there, and took 25-28 ms of the pass; a plain
 * harness streaming the same four rows with the same arithmetic ran at 21-22 ms without those stores, 27-31 with
 * them, 23-24 with a single store per chunk, and about 20 with the same stores into a double array instead (C2
 * presumably orders stores to a float array after the loads of the float matrix). So the group arithmetic, 10 FMAs
 * per four vectors read, hides under the read once nothing is stored per chunk. The whole distance pass over 32 x
 * 4,000,000 at 1 thread (the old and new kernel alternated in one JVM, medians of 10 rounds, two launches): 69.9 /
 * 71.9 -> 60.1 / 64.3 ms; 32 x 1,000,003: 18.6-18.9 -> 15.1-15.5 ms; same bits at 128, 256 and 512. The widening is
 * spelled out in {@link #group}: as a helper taking the vector, C2 left it out of line (its inlining budget spent
 * on the grown method) and boxed every vector, 100 KB per call of Krum over 12 rows, which
 * {@code AggregateRobustAllocationTest} now catches. At 128 and 256 bits the pass is arithmetic-bound and the change
 * is neutral (within 1 %).
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
    private static final VectorOperators.Conversion<Float, Double> F2D = VectorOperators.F2D;
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
            group(rows, offsets, 4 * gi, k0, whole, chunk, no, acc, ao);
        }
        for (int c = 0; c < whole; c += chunk) {
            int kc = k0 + c, vl = Math.min(chunk, whole - c);
            for (int gi = 1; gi < groups; gi++) {
                for (int gj = 0; gj < gi; gj++) {
                    tile(rows, offsets, 4 * gi, 4 * gj, kc, vl, acc, ao, t);
                }
            }
            for (int i = 4 * groups; i < n; i++) {
                norm(rows[i], offsets[i] + kc, vl, t);
                flush(t, 0, acc, ao, no + i);
                for (int gj = 0; gj < groups; gj++) {
                    strip(rows, offsets, i, 4 * gj, kc, vl, t);
                    for (int b = 0; b < 4; b++) {
                        flush(t, b, acc, ao, tri(i, 4 * gj + b));
                    }
                }
                for (int j = 4 * groups; j < i; j++) {
                    pair(rows[i], offsets[i] + kc, rows[j], offsets[j] + kc, vl, t);
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

    /**
     * One lane sum per lane of {@code sum_k (a_k - b_k)^2}, k &lt; vl, into {@code t[0 .. L)}. (Written to t rather
     * than returned, and apart from {@link #norm}: a vector returned from a method C2 leaves out of line is boxed, and
     * one loop for both, {@code b == null ? x : x - y}, boxed a vector per step, 2.9 MB per call of Krum over 13
     * rows of 40,007.)
     */
    private static void pair(float[] a, int pa, float[] b, int pb, int vl, float[] t) {
        FloatVector c = FloatVector.zero(S);
        for (int k = 0; k < vl; k += L) {
            FloatVector d = FloatVector.fromArray(S, a, pa + k).sub(FloatVector.fromArray(S, b, pb + k));
            c = d.fma(d, c);
        }
        c.intoArray(t, 0);
    }

    /**
     * Row i against rows j0..j0+3 (a row past the last group against a group): the four lane sums of
     * {@code sum_k (a_ik - a_jk)^2} into {@code t[b*L ..]}, b &lt; 4, each the same as {@link #pair}'s, with one load
     * of row i per step for four pairs.
     */
    private static void strip(float[][] r, int[] o, int i, int j0, int k0, int vl, float[] t) {
        float[] a = r[i], b0 = r[j0], b1 = r[j0 + 1], b2 = r[j0 + 2], b3 = r[j0 + 3];
        int p = o[i] + k0, q0 = o[j0] + k0, q1 = o[j0 + 1] + k0, q2 = o[j0 + 2] + k0, q3 = o[j0 + 3] + k0;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        for (int k = 0; k < vl; k += L) {
            FloatVector x = FloatVector.fromArray(S, a, p + k);
            FloatVector d = x.sub(FloatVector.fromArray(S, b0, q0 + k));
            c0 = d.fma(d, c0);
            d = x.sub(FloatVector.fromArray(S, b1, q1 + k));
            c1 = d.fma(d, c1);
            d = x.sub(FloatVector.fromArray(S, b2, q2 + k));
            c2 = d.fma(d, c2);
            d = x.sub(FloatVector.fromArray(S, b3, q3 + k));
            c3 = d.fma(d, c3);
        }
        c0.intoArray(t, 0);
        c1.intoArray(t, L);
        c2.intoArray(t, 2 * L);
        c3.intoArray(t, 3 * L);
    }

    /** One lane sum per lane of {@code sum_k a_k^2}, k &lt; vl, into {@code t[0 .. L)}. */
    private static void norm(float[] a, int pa, int vl, float[] t) {
        FloatVector c = FloatVector.zero(S);
        for (int k = 0; k < vl; k += L) {
            FloatVector x = FloatVector.fromArray(S, a, pa + k);
            c = x.fma(x, c);
        }
        c.intoArray(t, 0);
    }

    /**
     * Rows i0..i0+3 against each other (6 distances) and their 4 norms, over columns {@code [k0, k0 + whole)} chunk
     * by chunk. The 10 double sums stay in registers across the chunks (loaded from acc first, stored once at the
     * end): the same additions in the same order as a {@link #flush} per chunk, without the stores, which cost the
     * read pass about 3.5 ms in 26 (32 x 4,000,000, Zen 4).
     */
    private static void group(float[][] r, int[] o, int i0, int k0, int whole, int chunk, int no, double[] acc,
                              int ao) {
        float[] a0 = r[i0], a1 = r[i0 + 1], a2 = r[i0 + 2], a3 = r[i0 + 3];
        int p0 = o[i0] + k0, p1 = o[i0 + 1] + k0, p2 = o[i0 + 2] + k0, p3 = o[i0 + 3] + k0;
        int on = ao + (no + i0) * LD, o10 = ao + tri(i0 + 1, i0) * LD, o20 = ao + tri(i0 + 2, i0) * LD;
        int o30 = ao + tri(i0 + 3, i0) * LD;
        DoubleVector m0 = DoubleVector.fromArray(SD, acc, on), m1 = DoubleVector.fromArray(SD, acc, on + LD);
        DoubleVector m2 = DoubleVector.fromArray(SD, acc, on + 2 * LD);
        DoubleVector m3 = DoubleVector.fromArray(SD, acc, on + 3 * LD);
        DoubleVector e10 = DoubleVector.fromArray(SD, acc, o10), e20 = DoubleVector.fromArray(SD, acc, o20);
        DoubleVector e21 = DoubleVector.fromArray(SD, acc, o20 + LD), e30 = DoubleVector.fromArray(SD, acc, o30);
        DoubleVector e31 = DoubleVector.fromArray(SD, acc, o30 + LD);
        DoubleVector e32 = DoubleVector.fromArray(SD, acc, o30 + 2 * LD);
        FloatVector z = FloatVector.zero(S);
        for (int c = 0; c < whole; c += chunk) {
            int end = Math.min(whole, c + chunk);
            FloatVector n0 = z, n1 = z, n2 = z, n3 = z, c10 = z, c20 = z, c21 = z, c30 = z, c31 = z, c32 = z;
            for (int k = c; k < end; k += L) {
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
            // each float sum widened to double in registers, its upper half added to the lower lane by lane: what a
            // flush adds. Spelled out (the Vector API calls are force-inlined): a helper taking the vector was left
            // out of line by C2 once group() grew past its inlining budget, and then boxed every vector.
            m0 = m0.add(((DoubleVector) n0.reinterpretShape(H, 0).convertShape(F2D, SD, 0))
                    .add((DoubleVector) n0.reinterpretShape(H, 1).convertShape(F2D, SD, 0)));
            m1 = m1.add(((DoubleVector) n1.reinterpretShape(H, 0).convertShape(F2D, SD, 0))
                    .add((DoubleVector) n1.reinterpretShape(H, 1).convertShape(F2D, SD, 0)));
            m2 = m2.add(((DoubleVector) n2.reinterpretShape(H, 0).convertShape(F2D, SD, 0))
                    .add((DoubleVector) n2.reinterpretShape(H, 1).convertShape(F2D, SD, 0)));
            m3 = m3.add(((DoubleVector) n3.reinterpretShape(H, 0).convertShape(F2D, SD, 0))
                    .add((DoubleVector) n3.reinterpretShape(H, 1).convertShape(F2D, SD, 0)));
            e10 = e10.add(((DoubleVector) c10.reinterpretShape(H, 0).convertShape(F2D, SD, 0))
                    .add((DoubleVector) c10.reinterpretShape(H, 1).convertShape(F2D, SD, 0)));
            e20 = e20.add(((DoubleVector) c20.reinterpretShape(H, 0).convertShape(F2D, SD, 0))
                    .add((DoubleVector) c20.reinterpretShape(H, 1).convertShape(F2D, SD, 0)));
            e21 = e21.add(((DoubleVector) c21.reinterpretShape(H, 0).convertShape(F2D, SD, 0))
                    .add((DoubleVector) c21.reinterpretShape(H, 1).convertShape(F2D, SD, 0)));
            e30 = e30.add(((DoubleVector) c30.reinterpretShape(H, 0).convertShape(F2D, SD, 0))
                    .add((DoubleVector) c30.reinterpretShape(H, 1).convertShape(F2D, SD, 0)));
            e31 = e31.add(((DoubleVector) c31.reinterpretShape(H, 0).convertShape(F2D, SD, 0))
                    .add((DoubleVector) c31.reinterpretShape(H, 1).convertShape(F2D, SD, 0)));
            e32 = e32.add(((DoubleVector) c32.reinterpretShape(H, 0).convertShape(F2D, SD, 0))
                    .add((DoubleVector) c32.reinterpretShape(H, 1).convertShape(F2D, SD, 0)));
        }
        m0.intoArray(acc, on);
        m1.intoArray(acc, on + LD);
        m2.intoArray(acc, on + 2 * LD);
        m3.intoArray(acc, on + 3 * LD);
        e10.intoArray(acc, o10);
        e20.intoArray(acc, o20);
        e21.intoArray(acc, o20 + LD);
        e30.intoArray(acc, o30);
        e31.intoArray(acc, o30 + LD);
        e32.intoArray(acc, o30 + 2 * LD);
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
