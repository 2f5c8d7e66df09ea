package dev.simdgrad.kernels.internal.gemm;

import dev.simdgrad.kernels.internal.KernelProvider;
import dev.simdgrad.kernels.internal.WorkerPool;

/**
 * The five loops of BLIS around the chosen micro-kernel, row-major: {@code C := alpha op(A) op(B) + beta C}.
 *
 * <p>The loops are BLIS's for the column-major product {@code C^T = op(B)^T op(A)^T}, which is the row-major
 * product as stored: the vector dimension of the register tile (NR columns of B) plays BLIS's MR, the broadcast
 * dimension (MR rows of A) its NR. So the A micro-panel stays in L1 and the B micro-panels stream from a B block in
 * L2, and the innermost loop walks C along its rows, where it is contiguous:
 *
 * <pre>
 * loopFive  ic: NC rows of C and A       (the packed A block, NC x KC, lives in L3; each worker packs its own rows)
 * loopFour  pc: KC of the depth          (A block packed here)
 * loopThree jc: MC columns of C and B    (the packed B block, KC x MC, lives in L2; packed by all workers)
 * loopTwo   ir: MR rows                  (one packed A micro-panel, MR x KC, stays in L1)
 * loopOne   jr: NR columns               (one packed B micro-panel streamed from L2)
 *           micro-kernel: MR x NR tile in registers, then its update of C
 * </pre>
 *
 * <p>Why this order and not the one with B's micro-panel in L1 and loopOne walking down the rows of C (the order
 * before session 13, 2026-12-04): each micro-kernel call ends with the update of its 12 x 32 tile of C, 12 rows of
 * 128 bytes. Walking down C, every tile is 12 new lines in 12 pages that no prefetcher predicts, and Java has no
 * prefetch instruction to fetch them ahead; walking along the rows, each of the 12 rows is a sequential stream.
 * Measured on the Zen 4 (2026-12-04, 512 bits, 1 thread, a plain harness of both loop nests around the same kernel
 * and packing, KC 256, 4 rounds each, GFLOP/s old / new): NN 384^3 97.5-98.6 / 97.5-98.6, 768^3 95.6-99.0 /
 * 100.8-102.8, 1152^3 91.5-94.7 / 96.8-98.4, 2304^3 93.4-95.7 / 98.7-100.6; the old loops with the update of C left
 * out ran at 104-110, so the update still costs a few per cent. Loading each tile's lines of C before its
 * micro-kernel (a touch for want of a prefetch) gained 2-3 % in the old order and nothing in this one.
 *
 * <p>A stored transposed is not packed: loopTwo passes the micro-kernel A where it is ({@link #readsAInPlace}),
 * and only a last panel of fewer than MR rows is packed (zero-padded). The in-place micro-kernel rounds as the packed
 * one does.
 *
 * <p>Determinism: every element of C is produced by the same micro-kernel over the same KC blocks in the same
 * order whatever the thread count, and edge tiles go through a temporary tile whose update repeats the kernel's
 * rounding exactly, so results are bitwise identical for any number of threads. Threads split the rows of C (or
 * the NR panels when C has few rows), never pc.
 *
 * <p>Unchecked: {@code Sgemm} validates arguments first. Requires {@code m, n, k > 0} and {@code alpha != 0}.
 */
public final class GemmDriver {
    private static final GemmKernel K = KernelProvider.gemmKernel();
    private static final int MR = K.mr();
    private static final int NR = K.nr();
    /**
     * Depth of a block, columns of a packed B block (in L2), rows of a packed A block (in L3): from this CPU's caches
     * by {@link BlockingModel}, or the system properties (see {@link dev.simdgrad.kernels.SgemmBlocking}). KC depends
     * on the machine only, never on the width, so every width and every thread count give the same bits.
     */
    static final int KC = KernelProvider.choice().blocking().kc();
    static final int MC = Math.max(NR, KernelProvider.choice().blocking().mc() / NR * NR);
    static final int NC = Math.max(MR, KernelProvider.choice().blocking().nc() / MR * MR);
    /**
     * Multiply-adds each thread must get (2^20, ~8 us of work): below it, waking a worker and a barrier per KC block
     * cost more than they save. At 2^20, 128^3 runs on two threads. Measured on the Xeon (2026-12-03, NN 128^3, 2
     * threads, JMH 2 forks x 5 iterations, two interleaved runs, calls/s): 2^21 (one thread) 10.3k +- 4.6k, 13.0k
     * +- 1.9k; 2^20 16.0k +- 2.2k, 15.4k +- 1.3k; OpenBLAS in the same runs 17.7-20.8k. (On the Zen 4 the same
     * change had measured no faster, under heavier noise.)
     */
    static final long MIN_WORK_PER_THREAD = 1L << 20;

    /**
     * Products up to this many multiply-adds with B not transposed and n a multiple of {@link #SMALL_COLUMNS} skip
     * packing. Measured on AVX-512 (NN squares, 1 thread): unpacked 5.4 / 13.5 / 26.5 GFLOP/s at 8 / 16 / 32 against
     * packed 1.4 / 3.4 / 20.6. Raised from 40^3 to 48^3 by a paired measurement in one JVM (2026-12-03, Xeon, 512
     * bits, noisy host; median of 400 alternating batches by thread CPU time, small path / packed): 48^3 24.6 / 22.3
     * GFLOP/s (1.12, quartiles 1.08-1.17), 40x48x33 1.55; beyond it packing and the 12 x 32 register tile win: 64^3
     * 0.89, 96^3 0.73. JMH with {@link #SMALL_COLUMNS} (SgemmBenchmark.simdgrad, 1 thread, -f 2 -wi 2 -i 4 -r 1s,
     * against the code before both rules in the same session): 40^3 4.7 +- 0.9 to 15.6 +- 2.3 GFLOP/s, 48^3 26.1 +-
     * 14.0 to 41.9 +- 17.3 (OpenBLAS 37.9-39.1 and 58.7-70.1 in the same runs). Re-measured on the Zen 4 after the
     * vector transposing pack, the partial-panel kernels and the loop order (2026-12-04, session 13, 512 bits, a plain
     * harness calling the packed loops and the small path in one JVM, best of 5 rounds, two launches; time of the
     * small path / packed): 16^3 0.31-0.33, 32^3 1.09, 40x32x40 0.97-1.09, 32x48x32 0.72-0.75, 48^3 0.89-0.90,
     * 56x48x56 (above the limit) 0.80-0.87, 64^3 1.37-1.38. So 48^3 stands; beyond it the small path still wins where
     * n is not a multiple of the tile's 32 columns, a rule this limit does not try to capture.
     */
    static final long SMALL_WORK = 48L * 48 * 48;

    /**
     * The small path computes the last n % L columns of each row as scalar FMA chains, one dependent chain per
     * element, which runs at a fraction of the vector rate; so it is taken only when n is a multiple of 16 (the
     * widest vector), a rule of the shape alone, so every width takes the same path and rounds the same way. Measured
     * on the Xeon (2026-12-03, 512 bits, 1 thread, noisy host; small path / packed, paired in one JVM, median of 400
     * alternating batches by thread CPU time, GFLOP/s): n a multiple of 16: 16^3 20.1 / 4.4, 32^3 26.4 / 26.4,
     * 40x32x40 54.0 / 57.4; otherwise: 8^3 0.8 / 1.2, 20^3 4.6 / 7.4, 24^3 3.3 / 12.2, 30^3 2.5 / 13.6, 36^3 8.0 /
     * 19.5, 40^3 6.9 / 28.8, 32x40x32 7.3 / 27.4 (33^3, one scalar column, 15.3 / 13.6, is the exception kept out).
     */
    static final int SMALL_COLUMNS = 16;

    /**
     * Whether the micro-kernel reads op(A) in place rather than from a packed copy: when A is stored transposed. Its
     * packing copies MR floats per depth step (one {@code System.arraycopy} each), and the micro-kernel can read
     * those MR consecutive floats where they are ({@link GemmKernel#kernelAt}, same products in the same order, so
     * the same bits). A stored as is stays packed: reading its MR rows in place, as MR strided streams, was slower
     * than packing them (a scalar transposition) except with one or two panels of B. Measured on the Xeon
     * (2026-12-03, 512 bits, 1 thread, noisy host; in place / packed, paired in one JVM, median of 400 alternating
     * batches by thread CPU time): TN 64^3 1.43, 128^3 1.36, 512^3 1.17, 1024^3 1.02, 784x256x512 1.29; the NN
     * variant 48^3 1.21, 64^3 0.98 and 0.84, 96^3 0.58 and 0.71, 128^3 0.75 and 0.67, 64x256x784 0.91, 1024x64x1024
     * 1.39. By shape only, never by thread count (and the bits are the same either way). (Measured with the scalar
     * transposing pack; the vector pack of 2026-12-04 makes packing A as stored cheaper still, so that choice stands;
     * the transposed case packs by copies, which it does not change.)
     */
    static boolean readsAInPlace(boolean ta) {
        return ta;
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    /** The B block shared by the workers of a parallel run; owned by whoever owns the pool. */
    private static final Buffers SHARED = new Buffers();
    private static final Job JOB = new Job();

    private GemmDriver() {
    }

    /**
     * Per-thread scratch: packed A block, packed B block (serial runs), C^T of a narrow product and an edge tile.
     * Grown, never shrunk.
     */
    static final class Buffers {
        float[] a = new float[0];
        float[] b = new float[0];
        float[] t = new float[0];
        final float[] tile = new float[MR * NR];

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }

        float[] t(int size) {
            if (t.length < size) {
                t = new float[size];
            }
            return t;
        }
    }

    /** The arguments of one parallel call, reused so a run allocates nothing. Guarded by the worker pool. */
    static final class Job implements WorkerPool.Task {
        boolean ta, tb;
        int m, n, k;
        float alpha, beta;
        float[] a, b, c, sharedB;
        int ao, lda, bo, ldb, co, ldc;

        @Override
        public void run(int worker, int workers) {
            loops(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, sharedB, worker, workers);
        }
    }

    /** The micro-kernel this driver runs (for {@code Simd.gemmTile()}). */
    public static GemmKernel kernel() {
        return K;
    }

    /** Thread count the driver uses for this shape, given the configured maximum. */
    public static int threadsFor(int m, int n, int k, int maxThreads) {
        long work = (long) m * n * k;
        long useful = Math.max(1, work / MIN_WORK_PER_THREAD);
        int t = (int) Math.min(maxThreads, useful);
        // Each worker needs at least one MR row block (or one NR panel when splitting columns).
        int units = Math.max((m + MR - 1) / MR, (n + NR - 1) / NR);
        return Math.max(1, Math.min(t, units));
    }

    /** Requires validated arguments, {@code m, n, k > 0} and {@code alpha != 0}. */
    public static void sgemm(boolean ta, boolean tb, int m, int n, int k, float alpha,
                             float[] a, int ao, int lda, float[] b, int bo, int ldb,
                             float beta, float[] c, int co, int ldc, int maxThreads) {
        if (!tb && (long) m * n * k <= SMALL_WORK && n % SMALL_COLUMNS == 0
                && K.smallNotTransB(ta, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc)) {
            return;
        }
        if (computesTransposed(m, n)) {
            transposed(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, maxThreads);
            return;
        }
        packed(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, maxThreads);
    }

    /**
     * Whether C is better computed as its transpose {@code C^T = op(B)^T op(A)^T}: when C is narrow (n well below NR)
     * the NR-column tiles are mostly padding, and the transposed product pads n to MR rows instead. Taken when the
     * padded tiles of C hold more than 1.5 times those of C^T. A rule of the shape and the tile; the bits are the
     * same either way (see {@link #transposed}).
     */
    static boolean computesTransposed(int m, int n) {
        long tiles = (long) ceilTo(m, MR) * ceilTo(n, NR), transposedTiles = (long) ceilTo(n, MR) * ceilTo(m, NR);
        return 2 * tiles > 3 * transposedTiles;
    }

    private static int ceilTo(int x, int r) {
        return (x + r - 1) / r * r;
    }

    /**
     * C through a scratch copy of C^T ({@code n x m}): C^T copied in (only when beta reads it), the packed loops on
     * {@code C^T := alpha op(B)^T op(A)^T + beta C^T}, C^T copied back. Every element is still one depth-ordered FMA
     * chain over the same KC blocks (the products {@code b_lj a_il} are the same exact products as {@code a_il b_lj}),
     * then the same update, so the bits equal those of the untransposed loops. The copies cost 2mn moves against
     * 2mnk flops. Measured on the Zen 4: see the README (How SGEMM is built, narrow products).
     */
    private static void transposed(boolean ta, boolean tb, int m, int n, int k, float alpha,
                                   float[] a, int ao, int lda, float[] b, int bo, int ldb,
                                   float beta, float[] c, int co, int ldc, int maxThreads) {
        float[] t = BUFFERS.get().t(m * n);
        if (beta != 0f) {
            transpose(c, co, ldc, m, n, t, 0, m);
        }
        packed(!tb, !ta, n, m, k, alpha, b, bo, ldb, a, ao, lda, beta, t, 0, m, maxThreads);
        transpose(t, 0, m, n, m, c, co, ldc);
    }

    /** {@code dst[dOff + j*ldd + i] = src[sOff + i*lds + j]} for the {@code rows x cols} block of src. */
    private static void transpose(float[] src, int sOff, int lds, int rows, int cols, float[] dst, int dOff, int ldd) {
        for (int i = 0, s = sOff; i < rows; i++, s += lds) {
            for (int j = 0, d = dOff + i; j < cols; j++, d += ldd) {
                dst[d] = src[s + j];
            }
        }
    }

    /** The packed loops, on as many threads as the shape earns. */
    private static void packed(boolean ta, boolean tb, int m, int n, int k, float alpha,
                               float[] a, int ao, int lda, float[] b, int bo, int ldb,
                               float beta, float[] c, int co, int ldc, int maxThreads) {
        int threads = threadsFor(m, n, k, maxThreads);
        if (threads > 1 && WorkerPool.tryAcquire()) {
            Job j = JOB;
            try {
                j.ta = ta; j.tb = tb; j.m = m; j.n = n; j.k = k; j.alpha = alpha; j.beta = beta;
                j.a = a; j.ao = ao; j.lda = lda; j.b = b; j.bo = bo; j.ldb = ldb; j.c = c; j.co = co; j.ldc = ldc;
                j.sharedB = SHARED.b(2 * blockB(n, k)); // two halves: see loops
                WorkerPool.run(j, threads);
            } finally {
                j.a = j.b = j.c = j.sharedB = null; // do not keep the caller's arrays alive
                WorkerPool.release();
            }
            return;
        }
        loops(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, null, 0, 1);
    }

    /**
     * Depth of each KC block: k split into near-equal blocks of at most KC (no thin last block), rounded up to a
     * multiple of the micro-kernel's depth unroll (4) so only the last block runs the remainder loop.
     */
    private static int kcFor(int k) {
        int blocks = (k + KC - 1) / KC;
        int even = (k + blocks - 1) / blocks;
        return Math.min(KC, (even + 3) & ~3);
    }

    private static int blockB(int n, int k) {
        int mc = Math.min(MC, n);
        return kcFor(k) * ((mc + NR - 1) / NR) * NR;
    }

    /** [from, to) of {@code units} for this worker: contiguous, as even as possible, same for every run. */
    private static int splitStart(int units, int worker, int workers) {
        return (int) ((long) units * worker / workers);
    }

    /**
     * The five loops for one worker. With several workers splitting rows, each worker packs the A block of its own
     * rows, each B block is packed cooperatively into one of two halves of {@code sharedB} (alternating), then, after
     * one barrier, each worker computes its own rows against the whole block. One barrier per B block suffices: a
     * worker passing the barrier of block t knows everyone has finished computing block t - 1, the last reader of
     * the half that block t + 1 will overwrite. Every worker runs the same blocks (loopFive over all of C's rows, its
     * own rows intersected), so all meet the same barriers. With few rows, workers split the column panels instead,
     * each packing its own panels into its own buffer and all of the A block: no barrier.
     */
    static void loops(boolean ta, boolean tb, int m, int n, int k, float alpha,
                      float[] a, int ao, int lda, float[] b, int bo, int ldb,
                      float beta, float[] c, int co, int ldc, float[] sharedB, int worker, int workers) {
        Buffers own = BUFFERS.get();
        int kcb = kcFor(k);
        int half = blockB(n, k);
        int rowBlocks = (m + MR - 1) / MR;
        // Split rows when every worker gets at least two MR blocks; otherwise split column panels.
        boolean splitRows = workers > 1 && rowBlocks >= 2 * workers;
        float[] bbuf = splitRows ? sharedB : own.b(half);
        int r0 = 0, r1 = m;
        if (splitRows) {
            r0 = Math.min(m, splitStart(rowBlocks, worker, workers) * MR);
            r1 = Math.min(m, splitStart(rowBlocks, worker + 1, workers) * MR);
        }
        boolean inPlace = readsAInPlace(ta);
        int ownRows = Math.min(NC, Math.max(1, r1 - r0));
        float[] abuf = own.a(inPlace ? MR * kcb : ((ownRows + MR - 1) / MR) * MR * kcb);
        int block = 0;
        for (int ic = 0; ic < m; ic += NC) {                                 // loopFive
            int lo = Math.max(ic, r0), hi = Math.min(Math.min(m, ic + NC), r1); // this worker's rows of the block
            for (int pc = 0; pc < k; pc += kcb) {                             // loopFour
                int kc = Math.min(kcb, k - pc);
                boolean first = pc == 0;
                int aSrc = ta ? ao + pc * lda + lo : ao + lo * lda + pc;
                if (!inPlace && hi > lo) {
                    K.packA(ta, a, aSrc, lda, hi - lo, kc, abuf);
                }
                for (int jc = 0; jc < n; jc += MC, block++) {                 // loopThree
                    int mc = Math.min(MC, n - jc);
                    int panels = (mc + NR - 1) / NR;
                    int p0 = splitStart(panels, worker, workers), p1 = splitStart(panels, worker + 1, workers);
                    // Split rows: alternate halves of the shared buffer. Otherwise this worker's own buffer holds its
                    // panels [p0, p1) from index 0, and panel q sits at bBase + q * kc * NR as the macro-kernel expects.
                    int bBase = splitRows ? (block & 1) * half : -p0 * kc * NR;
                    if (p1 > p0) {
                        int cols = Math.min(mc - p0 * NR, (p1 - p0) * NR);
                        int src = tb ? bo + (jc + p0 * NR) * ldb + pc : bo + pc * ldb + jc + p0 * NR;
                        K.packB(tb, b, src, ldb, kc, cols, bbuf, bBase + p0 * kc * NR);
                    }
                    if (splitRows) {
                        WorkerPool.barrier(workers);
                    }
                    int q0 = splitRows ? 0 : p0, q1 = splitRows ? panels : p1;
                    if (q1 > q0 && hi > lo) {
                        int cBase = co + lo * ldc + jc;
                        if (inPlace) {
                            macroKernelInPlaceA(hi - lo, mc, kc, q0, q1, alpha, beta, first, a, aSrc, lda, abuf,
                                    bbuf, bBase, c, cBase, ldc, own.tile);
                        } else {
                            macroKernel(hi - lo, mc, kc, q0, q1, alpha, beta, first, abuf, bbuf, bBase, c, cBase,
                                    ldc, own.tile);
                        }
                    }
                }
            }
        }
    }

    /**
     * {@link #macroKernel} with A stored transposed and read in place ({@code a[src]} is the top-left element of the
     * rows x kc block of op(A)): full MR-row panels go to {@link GemmKernel#kernelAt}, which gives the packed kernel's
     * bits; a last panel of fewer than MR rows is packed (zero-padded) into {@code abuf} once and goes to {@link
     * GemmKernel#kernelRows}, so no read runs past A's last column.
     */
    private static void macroKernelInPlaceA(int rows, int cols, int kc, int q0, int q1, float alpha, float beta,
                                            boolean first, float[] a, int src, int lda, float[] abuf, float[] bbuf,
                                            int bBase, float[] c, int cBase, int ldc, float[] tile) {
        int full = rows - rows % MR;
        if (full < rows) {
            K.packA(true, a, src + full, lda, rows - full, kc, abuf);
        }
        for (int ir = 0; ir < rows; ir += MR) {                               // loopTwo
            int mr = Math.min(MR, rows - ir);
            for (int q = q0; q < q1; q++) {                                   // loopOne
                int jr = q * NR;
                int nr = Math.min(NR, cols - jr);
                int bpo = bBase + q * kc * NR;
                int cOff = cBase + ir * ldc + jr;
                if (mr < MR) {
                    K.kernelRows(mr, kc, abuf, 0, bbuf, bpo, tile);
                } else {
                    K.kernelAt(kc, a, src + ir, lda, bbuf, bpo, tile);
                }
                if (mr == MR && nr == NR) {
                    K.update(tile, alpha, beta, first, c, cOff, ldc);
                } else {
                    GemmKernel.updateEdge(tile, NR, mr, nr, alpha, beta, first, c, cOff, ldc);
                }
            }
        }
    }

    /**
     * loopTwo and loopOne over all MR panels of the packed A block ({@code rows} rows) and panels [q0, q1) of the
     * packed B block ({@code cols} columns). A last A panel of fewer than MR rows goes to {@link
     * GemmKernel#kernelRows}, which spends 4 or 8 rows of multiply-adds on it instead of MR (same bits). Measured on
     * the Zen 4 (2026-12-04, 512 bits, `SgemmBenchmark.simdgrad`, 1 thread, -f 2 -wi 3 -i 4, old and new jars
     * alternated twice, GFLOP/s): NN 64^3 (a 4-row last panel) 71.6, 70.3 -> 77.8, 77.1; 128^3 (8 rows) 92.7, 92.1 ->
     * 95.6, 95.4; 256^3 100.6, 99.7 -> 103.8, 103.0; 256x784x512 99.4, 98.3 -> 101.4, 101.9; NT 128x256x784 93.5,
     * 92.7 -> 95.5, 96.1.
     */
    private static void macroKernel(int rows, int cols, int kc, int q0, int q1, float alpha, float beta,
                                    boolean first, float[] abuf, float[] bbuf, int bBase, float[] c, int cBase,
                                    int ldc, float[] tile) {
        for (int ir = 0; ir < rows; ir += MR) {                               // loopTwo
            int mr = Math.min(MR, rows - ir);
            int apo = ir * kc;
            for (int q = q0; q < q1; q++) {                                   // loopOne
                int jr = q * NR;
                int nr = Math.min(NR, cols - jr);
                int bpo = bBase + q * kc * NR;
                int cOff = cBase + ir * ldc + jr;
                if (mr < MR) {
                    K.kernelRows(mr, kc, abuf, apo, bbuf, bpo, tile);
                } else {
                    K.kernel(kc, abuf, apo, bbuf, bpo, tile);
                }
                if (mr == MR && nr == NR) {
                    K.update(tile, alpha, beta, first, c, cOff, ldc);
                } else {
                    GemmKernel.updateEdge(tile, NR, mr, nr, alpha, beta, first, c, cOff, ldc);
                }
            }
        }
    }
}
