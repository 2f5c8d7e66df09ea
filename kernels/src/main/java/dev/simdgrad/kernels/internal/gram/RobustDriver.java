package dev.simdgrad.kernels.internal.gram;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.internal.WorkerPool;
import dev.simdgrad.kernels.internal.agg.AggregateDriver;
import dev.simdgrad.kernels.internal.agg.Plan;
import java.util.Arrays;

/**
 * The robust aggregators over an explicit matrix (rows = vectors): the squared distances of the rows (one pass over
 * the matrix, {@link DistanceDriver}), the rule on them ({@link RobustRules}), then one pass to write the result (a
 * row copy, a weighted sum of rows, or Bulyan's coordinate-wise stage over the selected rows).
 *
 * <p>Unchecked: {@code Aggregate} validates first. The distance pass and the output pass run on up to
 * {@link Parallelism#threads()} workers; results are the same bits for every thread count.
 */
public final class RobustDriver {
    /**
     * The fewest columns per block of a weighted sum ({@link #weightedBlock}), however many workers: below it the
     * rows would be read in runs shorter than 16 KiB.
     */
    static final int COLUMNS = 4096;
    /**
     * At most this many columns per block of a weighted sum, so that each row is read in runs of up to 128 KiB: the
     * hardware streams long runs faster than short ones. Measured on the Zen 4 (2026-12-05, 1 thread, the weighted
     * sum of 32 rows of 4,000,000 floats, a plain harness, medians of 10 rounds in two launches): blocks of 4,096
     * columns 28.7-31.0 ms, 8,192 24.9-27.5, 16,384 23.7-25.3, 32,768 21.4-23.5, 65,536 20.9-21.5, 131,072
     * 22.1-22.5, against a read of the matrix in 19-21 ms. The block of out (128 KiB) stays in L2.
     */
    static final int WEIGHTED_COLUMNS = 32768;
    /** Terms (rows times columns) per thread below which a weighted sum stays on the calling thread. */
    static final long MIN_TERMS_PER_THREAD = 1L << 20;
    private static final WeightedJob WEIGHTED_JOB = new WeightedJob();
    private static final TrimmedJob TRIMMED_JOB = new TrimmedJob();
    /**
     * Floats of the per-thread buffer of Bulyan's coordinate-wise stage (theta rows of one tile of columns, 256 KiB:
     * in L2). Measured on the Zen 4 (2026-12-05, Bulyan f = 4 over 32 x 4,000,000, plain harness, median of 8 rounds,
     * Krum's ~74 ms distance pass included): 16,384 floats 155 ms at 1 thread, 65,536 142, 262,144 138; with the
     * stage on 2 threads, 65,536 83 ms against 122 when the stage ran on one.
     */
    static final int TRIM_FLOATS = 65536;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private RobustDriver() {
    }

    private static final class Buffers {
        double[] w = new double[0];
        int[] selected = new int[0];
        float[] rows = new float[0];
        /** The weighted sum's rows with a nonzero weight: where each starts, and its weight in float. */
        int[] starts = new int[0];
        float[] weights = new float[0];

        double[] w(int n) {
            if (w.length < n) {
                w = new double[n];
            }
            return w;
        }

        int[] selected(int n) {
            if (selected.length < n) {
                selected = new int[n];
            }
            return selected;
        }

        /** Room for n rows of a weighted sum in {@link #starts} and {@link #weights}. */
        void weighted(int n) {
            if (starts.length < n) {
                starts = new int[n];
                weights = new float[n];
            }
        }

        float[] rows(int size) {
            if (rows.length < size) {
                rows = new float[size];
            }
            return rows;
        }
    }

    /** The squared distances and norms of the rows. */
    private static Distances distances(float[] g, int go, int rows, int cols, int ldg) {
        return DistanceDriver.of(g, go, ldg, rows, null, 0, cols);
    }

    /** Krum; returns the selected row or -1 (then out is NaN). */
    public static int krum(float[] g, int go, int rows, int cols, int ldg, int f, float[] out, int oo) {
        int best = RobustRules.krum(distances(g, go, rows, cols, ldg), f, null);
        if (best < 0) {
            Arrays.fill(out, oo, oo + cols, Float.NaN);
        } else {
            System.arraycopy(g, go + best * ldg, out, oo, cols);
        }
        return best;
    }

    /** Multi-Krum: the mean of the m selected rows, each weighted by fl(1/m), summed in float in row order. */
    public static void multiKrum(float[] g, int go, int rows, int cols, int ldg, int f, int m, float[] out, int oo) {
        Buffers b = BUFFERS.get();
        int[] sel = b.selected(m);
        if (!RobustRules.multiKrum(distances(g, go, rows, cols, ldg), f, m, sel)) {
            Arrays.fill(out, oo, oo + cols, Float.NaN);
            return;
        }
        double[] w = b.w(rows);
        Arrays.fill(w, 0, rows, 0.0);
        for (int q = 0; q < m; q++) {
            w[sel[q]] = 1.0 / m;
        }
        weightedRows(g, go, ldg, rows, cols, w, null, 0, 0, out, oo);
    }

    /** Smoothed Weiszfeld; returns the iterations run (0 and out NaN if a row is not finite). */
    public static int geometricMedian(float[] g, int go, int rows, int cols, int ldg, double nu, int maxIterations,
                                      double tolerance, float[] out, int oo) {
        Distances dist = distances(g, go, rows, cols, ldg);
        if (!dist.allFinite()) {
            Arrays.fill(out, oo, oo + cols, Float.NaN);
            return 0;
        }
        double[] w = BUFFERS.get().w(rows);
        int it = RobustRules.weiszfeld(dist, nu, maxIterations, tolerance, w);
        weightedRows(g, go, ldg, rows, cols, w, null, 0, 0, out, oo);
        return it;
    }

    /** Centered clipping; out NaN if a row or the center is not finite. out may be the center (same offset). */
    public static void centeredClipping(float[] g, int go, int rows, int cols, int ldg, float[] center, int co,
                                        double tau, int iterations, float[] out, int oo) {
        int n = rows + 1;
        Distances dist = DistanceDriver.of(g, go, ldg, rows, center, co, cols);
        if (!dist.allFinite()) {
            Arrays.fill(out, oo, oo + cols, Float.NaN);
            return;
        }
        double[] w = BUFFERS.get().w(n);
        RobustRules.centeredClipping(dist, tau, iterations, w);
        weightedRows(g, go, ldg, rows, cols, w, center, co, w[rows], out, oo);
    }

    /** Bulyan: iterated-Krum selection of theta = rows - 2f rows, then their coordinate-wise trimmed mean (c = f). */
    public static void bulyan(float[] g, int go, int rows, int cols, int ldg, int f, float[] out, int oo) {
        Buffers b = BUFFERS.get();
        int theta = rows - 2 * f;
        int[] sel = b.selected(theta);
        if (!RobustRules.bulyan(distances(g, go, rows, cols, ldg), f, sel)) {
            Arrays.fill(out, oo, oo + cols, Float.NaN);
            return;
        }
        trimmedRows(g, go, ldg, cols, sel, theta, f, out, oo);
    }

    /**
     * Bulyan's coordinate-wise stage: the trimmed mean (c = f) of the rows {@code sel[0..theta)}, copied tile by
     * tile (in the order of sel) into a per-thread buffer of {@link #TRIM_FLOATS}. Each of up to
     * {@link Parallelism#threads()} workers takes one contiguous range of whole tiles; a column's result does not
     * depend on its range, so the bits are the same for any thread count.
     */
    static void trimmedRows(float[] g, int go, int ldg, int cols, int[] sel, int theta, int f, float[] out, int oo) {
        Plan plan = AggregateDriver.plan(Plan.TRIMMED, theta, f);
        int tile = Math.max(1, Math.min(cols, TRIM_FLOATS / theta));
        int tiles = (cols + tile - 1) / tile;
        int workers = (int) Math.max(1, Math.min(Math.min(Parallelism.threads(), tiles),
                (long) theta * cols / MIN_TERMS_PER_THREAD));
        if (workers <= 1 || !WorkerPool.tryAcquire()) {
            trimmedRange(g, go, ldg, cols, sel, theta, plan, tile, out, oo, 0, 1);
            return;
        }
        try {
            TrimmedJob j = TRIMMED_JOB;
            j.set(g, go, ldg, cols, sel, theta, plan, tile, out, oo);
            try {
                WorkerPool.run(j, workers);
            } finally {
                j.set(null, 0, 0, 0, null, 0, null, 0, null, 0);
            }
        } finally {
            WorkerPool.release();
        }
    }

    /** Worker {@code worker} of {@code workers}: its contiguous range of whole tiles of {@link #trimmedRows}. */
    private static void trimmedRange(float[] g, int go, int ldg, int cols, int[] sel, int theta, Plan plan,
                                     int tile, float[] out, int oo, int worker, int workers) {
        int tiles = (cols + tile - 1) / tile;
        long from = (long) tiles * worker / workers * tile;
        long to = Math.min(cols, (long) tiles * (worker + 1) / workers * tile);
        float[] t = BUFFERS.get().rows(theta * tile);
        for (int c0 = (int) from; c0 < to; c0 += tile) {
            int w = (int) Math.min(tile, to - c0);
            for (int q = 0; q < theta; q++) {
                System.arraycopy(g, go + sel[q] * ldg + c0, t, q * tile, w);
            }
            AggregateDriver.explicit(plan, t, 0, tile, w, out, oo + c0);
        }
    }

    /** The arguments of one parallel trimmed stage, reused so a call allocates nothing. Guarded by the pool. */
    private static final class TrimmedJob implements WorkerPool.Task {
        float[] g, out;
        int[] sel;
        Plan plan;
        int go, ldg, cols, theta, tile, oo;

        void set(float[] g, int go, int ldg, int cols, int[] sel, int theta, Plan plan, int tile, float[] out,
                 int oo) {
            this.g = g;
            this.go = go;
            this.ldg = ldg;
            this.cols = cols;
            this.sel = sel;
            this.theta = theta;
            this.plan = plan;
            this.tile = tile;
            this.out = out;
            this.oo = oo;
        }

        @Override
        public void run(int worker, int workers) {
            trimmedRange(g, go, ldg, cols, sel, theta, plan, tile, out, oo, worker, workers);
        }
    }

    /**
     * {@code out[oo + j] = fl(wc) center[co + j] + sum_i fl(w_i) g[go + i*ldg + j]} in float, the center first (when
     * not null), then the rows with a nonzero weight in increasing order, each term one multiply and one add (no
     * FMA, so every width gives the same bits). Rows of weight zero are not read. Column blocks
     * ({@link #weightedBlock}) keep out in L2 while the rows stream by in long runs; the
     * rows are added eight at a time, then four ({@code RowSum.addScaled8}, {@code addScaled4}: the same additions in
     * the same order, several sequential streams for the prefetcher instead of one, and out loaded and stored once
     * per eight rows); the blocks are split among up to
     * {@link Parallelism#threads()} workers (a column's value does not depend on who computes it).
     */
    static void weightedRows(float[] g, int go, int ldg, int rows, int cols, double[] w, float[] center, int co,
                             double wc, float[] out, int oo) {
        Buffers b = BUFFERS.get();
        b.weighted(rows);
        int[] nz = b.starts;
        float[] fw = b.weights;
        int count = 0;
        for (int i = 0; i < rows; i++) {
            float f = (float) w[i];
            if (f != 0f) {
                nz[count] = go + i * ldg;
                fw[count++] = f;
            }
        }
        int threads = Parallelism.threads(), block = weightedBlock(cols, threads);
        int blocks = (cols + block - 1) / block;
        int workers = (int) Math.max(1, Math.min(Math.min(threads, blocks),
                (long) count * cols / MIN_TERMS_PER_THREAD));
        if (workers <= 1 || !WorkerPool.tryAcquire()) {
            weightedBlocks(g, nz, fw, count, cols, block, center, co, wc, out, oo, 0, 1);
            return;
        }
        try {
            WeightedJob j = WEIGHTED_JOB;
            j.set(g, nz, fw, count, cols, block, center, co, wc, out, oo);
            try {
                WorkerPool.run(j, workers);
            } finally {
                j.set(null, null, null, 0, 0, 0, null, 0, 0, null, 0);
            }
        } finally {
            WorkerPool.release();
        }
    }

    /**
     * Columns per block of a weighted sum over {@code cols} columns on up to {@code threads} workers:
     * {@link #WEIGHTED_COLUMNS}, less when that would leave a worker without a block, never below {@link #COLUMNS}
     * (a multiple of 64). The blocks only share the columns out, each column's sum is the same whoever computes it,
     * so the block may depend on the thread count.
     */
    static int weightedBlock(int cols, int threads) {
        long perThread = ((long) cols + threads - 1) / threads;
        return (int) Math.max(COLUMNS, Math.min(WEIGHTED_COLUMNS, (perThread + 63) / 64 * 64));
    }

    /**
     * Column blocks worker, worker + workers, ... (of {@code block} columns) of {@link #weightedRows}: the rows start
     * at {@code g[starts[q]]} with float weights {@code fw[q]}, {@code q < count}.
     */
    private static void weightedBlocks(float[] g, int[] starts, float[] fw, int count, int cols, int block,
                                       float[] center, int co, double wc, float[] out, int oo, int worker,
                                       int workers) {
        float fc = (float) wc;
        for (long c = (long) worker * block; c < cols; c += (long) workers * block) {
            int c0 = (int) c, c1 = (int) Math.min(cols, c + block), width = c1 - c0;
            if (center != null) {
                AggregateDriver.ROWS.scale(out, oo + c0, fc, center, co + c0, width);
            } else {
                Arrays.fill(out, oo + c0, oo + c1, 0f);
            }
            int q = 0;
            for (; q + 8 <= count; q += 8) {
                AggregateDriver.ROWS.addScaled8(out, oo + c0, fw, starts, q, c0, g, width);
            }
            for (; q + 4 <= count; q += 4) {
                AggregateDriver.ROWS.addScaled4(out, oo + c0, fw[q], fw[q + 1], fw[q + 2], fw[q + 3], g,
                        starts[q] + c0, starts[q + 1] + c0, starts[q + 2] + c0, starts[q + 3] + c0, width);
            }
            for (; q < count; q++) {
                AggregateDriver.ROWS.addScaled(out, oo + c0, fw[q], g, starts[q] + c0, width);
            }
        }
    }

    /** The arguments of one parallel weighted sum, reused so a call allocates nothing. Guarded by the pool. */
    private static final class WeightedJob implements WorkerPool.Task {
        float[] g, fw, center, out;
        int[] starts;
        int count, cols, block, co, oo;
        double wc;

        void set(float[] g, int[] starts, float[] fw, int count, int cols, int block, float[] center, int co,
                 double wc, float[] out, int oo) {
            this.g = g;
            this.starts = starts;
            this.fw = fw;
            this.count = count;
            this.cols = cols;
            this.block = block;
            this.center = center;
            this.co = co;
            this.wc = wc;
            this.out = out;
            this.oo = oo;
        }

        @Override
        public void run(int worker, int workers) {
            weightedBlocks(g, starts, fw, count, cols, block, center, co, wc, out, oo, worker, workers);
        }
    }
}
