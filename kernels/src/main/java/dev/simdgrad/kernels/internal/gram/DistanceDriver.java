package dev.simdgrad.kernels.internal.gram;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.internal.KernelProvider;
import dev.simdgrad.kernels.internal.WorkerPool;
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
 * <p><b>Threads.</b> The columns are cut into segments by the shape alone ({@link #segments}); each segment sums its
 * chunks into its own lane accumulator, the segments run on up to {@link Parallelism#threads()} workers, and the
 * totals add the segments in order: the same bits for every thread count.
 */
final class DistanceDriver {
    private static final DistanceKernel K = KernelProvider.choice().bits() == 0
            ? new ScalarDistanceKernel() : VectorSupportProbe.distanceKernel();

    /** At most this many column segments (each its own accumulator: the unit of work of a thread). */
    static final int MAX_SEGMENTS = 16;
    /** At most this many bytes of segment accumulators (but always one segment). */
    static final long SEGMENT_BYTES = 16L << 20;
    /** Terms (pairs and norms times columns) per thread below which a call stays on the calling thread. */
    static final long MIN_TERMS_PER_THREAD = 1L << 21;
    private static final Job JOB = new Job();

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
        int chunk = K.chunk(), lanes = K.lanes(), no = n * (n - 1) / 2, block = (no + n) * lanes;
        int chunks = (int) (((long) len + chunk - 1) / chunk);
        int segments = segments(chunks, block);
        long size = (long) segments * block;
        if (sc.lanes.length < size) {
            sc.lanes = new double[Math.toIntExact(size)];
        }
        double[] acc = sc.lanes;
        java.util.Arrays.fill(acc, 0, (int) size, 0.0);
        int workers = (int) Math.max(1, Math.min(Math.min(Parallelism.threads(), segments),
                ((long) no + n) * len / MIN_TERMS_PER_THREAD));
        if (workers <= 1 || !WorkerPool.tryAcquire()) {
            segmentRange(sc.rows, sc.offsets, n, len, chunks, segments, block, 0, 1, acc, d, norms);
        } else {
            try {
                Job j = JOB;
                j.set(sc.rows, sc.offsets, n, len, chunks, segments, block, acc, d, norms);
                try {
                    WorkerPool.run(j, workers);
                } finally {
                    j.set(null, null, 0, 0, 0, 0, 0, null, null, null);
                }
            } finally {
                WorkerPool.release();
            }
        }
        java.util.Arrays.fill(sc.rows, 0, n, null);
        // each sum: its direct part (the last columns), then the segments in order, each its lanes in order
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < segments; q++) {
                norms[i] += sum(acc, q * block + (no + i) * lanes, lanes);
            }
            if (!Double.isFinite(norms[i])) {
                return null;
            }
            for (int j = 0; j < i; j++) {
                double v = d[i * n + j];
                for (int q = 0; q < segments; q++) {
                    v += sum(acc, q * block + (i * (i - 1) / 2 + j) * lanes, lanes);
                }
                if (!Double.isFinite(v)) {
                    return null;
                }
                d[i * n + j] = v;
                d[j * n + i] = v;
            }
        }
        return s;
    }

    /**
     * Segments of the columns, each with its own accumulator: at most {@link #MAX_SEGMENTS}, at least one chunk each,
     * at most {@link #SEGMENT_BYTES} of accumulators in all (but always one). A function of the shape alone, never of
     * the thread count, so that the sums, and the bits, are the same for any number of threads.
     */
    private static int segments(int chunks, int block) {
        long byMemory = SEGMENT_BYTES / (8L * block);
        return (int) Math.max(1, Math.min(Math.min(chunks, MAX_SEGMENTS), byMemory));
    }

    /** Segments worker, worker + workers, ...: chunk after chunk into the segment's own accumulator. */
    private static void segmentRange(float[][] rows, int[] offsets, int n, int len, int chunks, int segments,
                                     int block, int worker, int workers, double[] acc, double[] d, double[] norms) {
        int chunk = K.chunk();
        for (int q = worker; q < segments; q += workers) {
            int c0 = (int) ((long) q * chunks / segments), c1 = (int) ((long) (q + 1) * chunks / segments);
            for (int c = c0; c < c1; c += DistanceKernel.BLOCK_CHUNKS) {
                int last = Math.min(c1, c + DistanceKernel.BLOCK_CHUNKS);
                int k0 = c * chunk, k1 = (int) Math.min(len, (long) last * chunk);
                // only the last chunk has columns past the last whole vector, so only one worker writes d, norms
                K.accumulate(rows, offsets, n, k0, k1 - k0, acc, q * block, d, norms);
            }
        }
    }

    /** The arguments of one parallel call, reused so a call allocates nothing. Guarded by the pool. */
    private static final class Job implements WorkerPool.Task {
        float[][] rows;
        int[] offsets;
        int n, len, chunks, segments, block;
        double[] acc, d, norms;

        void set(float[][] rows, int[] offsets, int n, int len, int chunks, int segments, int block, double[] acc,
                 double[] d, double[] norms) {
            this.rows = rows;
            this.offsets = offsets;
            this.n = n;
            this.len = len;
            this.chunks = chunks;
            this.segments = segments;
            this.block = block;
            this.acc = acc;
            this.d = d;
            this.norms = norms;
        }

        @Override
        public void run(int worker, int workers) {
            segmentRange(rows, offsets, n, len, chunks, segments, block, worker, workers, acc, d, norms);
        }
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
