package dev.simdgrad.kernels.internal.agg;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.internal.KernelProvider;
import dev.simdgrad.kernels.internal.WorkerPool;
import dev.simdgrad.kernels.internal.simd.VectorSupportProbe;

/**
 * Runs the aggregation kernel of the chosen width over coordinate ranges, on up to {@link Parallelism#threads()}
 * threads. Threads split the coordinates (columns) into contiguous ranges aligned to the tile width; each
 * coordinate's result is computed the same way whatever range it falls in, so results are bitwise identical for
 * any thread count.
 *
 * <p>Unchecked: the public classes validate first.
 */
public final class AggregateDriver {
    /** The kernel for this JVM's width. */
    public static final AggregateKernel K = KernelProvider.choice().bits() == 0
            ? new ScalarAggregateKernel() : VectorSupportProbe.aggregateKernel(KernelProvider.choice().bits());
    /** Below this many values (rows x columns) per extra thread, waking a worker costs more than it saves. */
    static final long MIN_WORK_PER_THREAD = 1L << 16;
    /** Floats of the copied block of X of a fused aggregation (B x tile columns): 16 KiB, it stays in L1. */
    static final int TILE_FLOATS = 4096;
    /** Floats of a packed block of an explicit matrix (64 KiB: B x tile columns, in L2). */
    static final int PACK_FLOATS = 16384;

    private AggregateDriver() {
    }

    /** The plan for this kernel (the calling thread's last plan when it is the same, so a repeated call allocates nothing). */
    public static Plan plan(int op, int rows, int param) {
        Scratch s = Scratch.get();
        Plan last = s.lastPlan;
        if (last != null && last.op == op && last.rows == rows && last.param == param) {
            return last;
        }
        Plan p = Plan.of(op, rows, param, K.insertionMax(), K.vector());
        s.lastPlan = p;
        return p;
    }

    private static int workers(long work, int units) {
        long w = Math.min(Parallelism.threads(), Math.max(1, work / MIN_WORK_PER_THREAD));
        return (int) Math.max(1, Math.min(w, units));
    }

    /** Aggregates columns [0, cols) of an explicit matrix into out[oo..). */
    public static void explicit(Plan plan, float[] g, int go, int ldg, int cols, float[] out, int oo) {
        int lanes = K.lanes();
        int units = (cols + lanes - 1) / lanes;
        int workers = workers((long) plan.rows * cols, units);
        if (workers <= 1 || !WorkerPool.tryAcquire()) {
            explicitRange(plan, g, go, ldg, 0, cols, out, oo, Scratch.get());
            return;
        }
        try {
            ExplicitJob j = EXPLICIT_JOB;
            j.plan = plan;
            j.g = g;
            j.go = go;
            j.ldg = ldg;
            j.cols = cols;
            j.units = units;
            j.out = out;
            j.oo = oo;
            try {
                WorkerPool.run(j, workers);
            } finally {
                j.plan = null;
                j.g = null;
                j.out = null;
            }
        } finally {
            WorkerPool.release();
        }
    }

    /** The arguments of one parallel explicit call, reused so a run allocates nothing. Guarded by the pool. */
    private static final class ExplicitJob implements WorkerPool.Task {
        Plan plan;
        float[] g, out;
        int go, ldg, cols, units, oo;

        @Override
        public void run(int w, int n) {
            int lanes = K.lanes();
            int from = (int) ((long) units * w / n) * lanes;
            int to = Math.min(cols, (int) ((long) units * (w + 1) / n) * lanes);
            if (from < to) {
                explicitRange(plan, g, go, ldg, from, to, out, oo, Scratch.get());
            }
        }
    }

    /** The arguments of one parallel fused call, reused so a run allocates nothing. Guarded by the pool. */
    private static final class FusedJob implements WorkerPool.Task {
        Plan plan;
        float[] dt, x, gw;
        int batch, dOut, dIn, xOff, ldx, gwOff, ldgw, tile, units;

        @Override
        public void run(int w, int n) {
            fusedRange(plan, batch, dOut, dIn, dt, x, xOff, ldx, gw, gwOff, ldgw, tile, (int) ((long) units * w / n),
                    (int) ((long) units * (w + 1) / n), Scratch.get());
        }
    }

    private static final ExplicitJob EXPLICIT_JOB = new ExplicitJob();
    private static final FusedJob FUSED_JOB = new FusedJob();

    /**
     * Columns [from, to) of an explicit matrix. The mean adds the rows one after the other into an L1 block of
     * column sums ({@link #meanByRows}); the order statistics first pack a block of {@code tile} columns (B x tile,
     * about 64 KiB, in L2) row by row, so G is read sequentially once instead of one cache line per row per lane
     * group, then aggregate the packed block.
     */
    private static void explicitRange(Plan plan, float[] g, int go, int ldg, int from, int to, float[] out, int oo,
                                      Scratch s) {
        int rows = plan.rows, lanes = K.lanes();
        int tile = Math.max(lanes, Math.min(512, PACK_FLOATS / rows / lanes * lanes));
        if (plan.op == Plan.MEAN) {
            meanByRows(rows, g, go, ldg, from, to, out, oo, s);
            return;
        }
        if (rows < 4 || to - from <= tile) {
            K.aggregate(plan, g, go + from, ldg, to - from, out, oo + from, s);
            return;
        }
        float[] t = s.tile(rows * tile);
        for (int c0 = from; c0 < to; c0 += tile) {
            int w = Math.min(tile, to - c0);
            for (int i = 0; i < rows; i++) {
                System.arraycopy(g, go + i * ldg + c0, t, i * tile, w);
            }
            K.aggregate(plan, t, 0, tile, w, out, oo + c0, s);
        }
    }

    /** Column sums of a block: 4,096 floats (16 KiB) stay in L1 beside the row segment being added. */
    static final int MEAN_BLOCK = 4096;

    /** The row adder of this JVM's width (also the robust aggregators' weighted sums of rows). */
    public static final RowSum ROWS = KernelProvider.choice().bits() == 0 ? RowSum.SCALAR
            : VectorSupportProbe.rowSum();

    /**
     * The explicit mean of columns [from, to), row-wise: for each block of {@link #MEAN_BLOCK} columns the rows are
     * added in order into the block's sums, so G is read as {@code rows} sequential 16 KiB segments per block rather
     * than as {@code rows} concurrent strided streams (one cache line and one page per row per lane group), which the
     * hardware prefetcher and the TLB handle badly. Each column is still summed from 0 in row order and divided by
     * {@code rows}: the same operations in the same order as the scalar twin, so the same bits at every width.
     * Measured (a plain Java harness, 128 x 200,704 floats, 512-bit): 12-15 ms against 20-24 ms for the strided
     * four-lane-group loop. Rows are added four at a time ({@link RowSum#add4}, the same additions in the same
     * order): on the Zen 4 (2026-12-04, the same harness, 20 means per timing, six timings) one row at a time took
     * 6.8-10.5 ms and four at a time 4.2-4.6 ms against 3.2-4.9 ms for one read of the matrix by a vector sum (eight
     * at a time 4.0-4.8; blocks of 8,192 columns no better); one segment at a time, each 16 KiB segment of a row
     * restarts the prefetcher after a 784 KiB jump.
     */
    private static void meanByRows(int rows, float[] g, int go, int ldg, int from, int to, float[] out, int oo,
                                   Scratch s) {
        float[] acc = s.tile(MEAN_BLOCK);
        float n = rows;
        for (int c0 = from; c0 < to; c0 += MEAN_BLOCK) {
            int w = Math.min(MEAN_BLOCK, to - c0);
            java.util.Arrays.fill(acc, 0, w, 0f);
            int i = 0, p = go + c0;
            for (; i <= rows - 4; i += 4, p += 4 * ldg) {
                ROWS.add4(acc, g, p, ldg, w);
            }
            for (; i < rows; i++, p += ldg) {
                ROWS.add(acc, g, p, w);
            }
            ROWS.divide(out, oo + c0, acc, n, w);
        }
    }

    /** Element-wise median of three arrays. */
    public static void medianOfThree(float[] a, float[] b, float[] c, int off, int length, float[] out, int oo) {
        K.medianOfThree(a, b, c, off, length, out, oo);
    }

    /**
     * Fused aggregation of the weight gradient of a dense layer: coordinate (r, c) has the values
     * {@code d[dOff + i*ldd + r] * x[xOff + i*ldx + c]}, i < batch, and its aggregate goes to
     * {@code gw[gwOff + r*ldgw + c]}. For each block of {@code tile} columns of X: copy the block (batch x tile)
     * once, then for each output row r aggregate the batch x tile values, each generated in registers by one
     * multiply (the same float product an explicit matrix would hold) when the kernel reads it. Memory: O(dOut x batch) for the transposed
     * deltas and O(batch x tile) per thread.
     */
    public static void fused(Plan plan, int batch, int dOut, int dIn, float[] d, int dOff, int ldd,
                             float[] x, int xOff, int ldx, float[] gw, int gwOff, int ldgw) {
        int lanes = K.lanes();
        int tile = Math.max(lanes, Math.min(256, TILE_FLOATS / batch / lanes * lanes));
        Scratch own = Scratch.get();
        float[] dt = own.shared(dOut * batch);
        for (int i = 0; i < batch; i++) {
            for (int r = 0, p = dOff + i * ldd; r < dOut; r++) {
                dt[r * batch + i] = d[p + r];
            }
        }
        int units = (dIn + tile - 1) / tile;
        int workers = workers((long) batch * dIn * dOut, units);
        if (workers <= 1 || !WorkerPool.tryAcquire()) {
            fusedRange(plan, batch, dOut, dIn, dt, x, xOff, ldx, gw, gwOff, ldgw, tile, 0, units, own);
            return;
        }
        try {
            FusedJob j = FUSED_JOB;
            j.plan = plan;
            j.batch = batch;
            j.dOut = dOut;
            j.dIn = dIn;
            j.dt = dt;
            j.x = x;
            j.xOff = xOff;
            j.ldx = ldx;
            j.gw = gw;
            j.gwOff = gwOff;
            j.ldgw = ldgw;
            j.tile = tile;
            j.units = units;
            try {
                WorkerPool.run(j, workers);
            } finally {
                j.plan = null;
                j.dt = null;
                j.x = null;
                j.gw = null;
            }
        } finally {
            WorkerPool.release();
        }
    }

    private static void fusedRange(Plan plan, int batch, int dOut, int dIn, float[] dt, float[] x, int xOff,
                                   int ldx, float[] gw, int gwOff, int ldgw, int tile, int unitFrom, int unitTo,
                                   Scratch s) {
        float[] xt = s.xTile(batch * tile);
        for (int u = unitFrom; u < unitTo; u++) {
            int c0 = u * tile, w = Math.min(tile, dIn - c0);
            for (int i = 0; i < batch; i++) {
                System.arraycopy(x, xOff + i * ldx + c0, xt, i * tile, w);
            }
            for (int r = 0; r < dOut; r++) {
                K.aggregateFused(plan, dt, r * batch, xt, 0, tile, w, gw, gwOff + r * ldgw + c0, s);
            }
        }
    }
}
