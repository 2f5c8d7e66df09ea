package dev.simdgrad.kernels.internal.gemm;

import dev.simdgrad.kernels.internal.KernelProvider;
import dev.simdgrad.kernels.internal.WorkerPool;
import dev.simdgrad.kernels.internal.simd.VectorSupportProbe;

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
 * <p>What is read in place and what is packed ({@link #readsAInPlace}, {@link #readsBInPlace}): when C has at most
 * {@link #IN_PLACE_ROWS} rows (or fewer than NR columns), B not transposed is read where it is (its rows are the
 * micro-kernel's vector loads) and A too, as stored or transposed (the micro-kernel broadcasts MR strided or
 * consecutive floats per depth step); A stored transposed is read in place whatever the shape. B stored transposed
 * is always packed (a transposition), and so are operands whose rows are a multiple of 4 KiB apart. A last panel of
 * fewer than MR rows or NR columns read in place is packed (zero-padded) into a small per-thread buffer, so no read
 * runs past an operand. The micro-kernel takes strides, so the same products in the same order reach every element
 * whichever way its operands were read: the same bits.
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
     * A last panel of B of at most this many columns runs the narrow kernel (one vector, {@link
     * GemmKernel#kernelNarrow}); 0: none. Measured on the Zen 4 (2026-12-05, 512 bits, 1 thread,
     * {@code SgemmBenchmark.simdgrad} -f 1 -wi 3 -i 4, jars before and after alternated twice, GFLOP/s): NN 1000x16x100
     * 49.9, 50.2 -> 68.3, 68.3; NN 128x16x128 42.8, 43.2 -> 54.5, 57.0; NN 256x784x512 (784 = 24 x 32 + 16) 95.4,
     * 100.7 -> 102.9, 106.8; TN 256x784x128 100.0, 103.6 -> 104.7, 105.8; NN 256^3 (no narrow panel) 111.6, 110.1 ->
     * 110.5, 110.1.
     */
    private static final int NARROW = K.narrowColumns();
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
     * Products up to this many multiply-adds with B not transposed and n an odd multiple of {@link #SMALL_COLUMNS}
     * take the small path (4 x 1-vector tiles, no edge panels) instead of the loops. Measured on AVX-512 (NN squares,
     * 1 thread): unpacked 5.4 / 13.5 / 26.5 GFLOP/s at 8 / 16 / 32 against packed 1.4 / 3.4 / 20.6. Raised from 40^3
     * to 48^3 by a paired measurement in one JVM (2026-12-03, Xeon, 512 bits, noisy host; median of 400 alternating
     * batches by thread CPU time, small path / packed): 48^3 24.6 / 22.3 GFLOP/s (1.12, quartiles 1.08-1.17), 40x48x33
     * 1.55; beyond it packing and the 12 x 32 register tile win: 64^3 0.89, 96^3 0.73. Since the loops read A and B
     * in place ({@link #readsBInPlace}), they win wherever n is a multiple of the tile's 32 columns; the small path
     * only where the last 32-column panel would be half padding. Measured on the Zen 4 (2026-12-04, session 14, 512
     * bits, a plain harness calling the loops and the small path in one JVM, best of 5 rounds, two launches; time of
     * the small path / the loops): n a multiple of 32: 32^3 1.39, 24x32x24 1.73-1.77, 40x32x40 1.55-1.58, 16x32x64
     * 1.29, 64^3 1.66-1.68, 16x64x16 1.08-1.10; n an odd multiple of 16: 16^3 0.35, 16x16x64 0.32, 48x16x48 0.61,
     * 80x16x80 0.63, 16x48x16 0.62, 32x48x32 0.84-0.86, 48x48x16 0.94, 24x48x64 0.90, 48^3 1.04-1.09 (at the limit),
     * 16x80x64 0.85, 32x80x32 0.99.
     */
    static final long SMALL_WORK = 48L * 48 * 48;

    /**
     * The small path computes the last n % L columns of each row as scalar FMA chains, one dependent chain per
     * element, which runs at a fraction of the vector rate; so it is taken only when n is a multiple of 16 (the
     * widest vector), a rule of the shape alone, so every width takes the same path and rounds the same way (odd
     * multiples only: see {@link #SMALL_WORK}). Measured on the Xeon (2026-12-03, 512 bits, 1 thread, noisy host;
     * small path / packed, paired in one JVM, median of 400 alternating batches by thread CPU time, GFLOP/s): n a
     * multiple of 16: 16^3 20.1 / 4.4, 32^3 26.4 / 26.4, 40x32x40 54.0 / 57.4; otherwise: 8^3 0.8 / 1.2, 20^3 4.6 /
     * 7.4, 24^3 3.3 / 12.2, 30^3 2.5 / 13.6, 36^3 8.0 / 19.5, 40^3 6.9 / 28.8, 32x40x32 7.3 / 27.4 (33^3, one scalar
     * column, 15.3 / 13.6, is the exception kept out).
     */
    static final int SMALL_COLUMNS = 16;

    /**
     * Rows of C up to which B is read in place (see {@link #readsBInPlace}). Reading a micro-panel of B in place costs
     * a little more on every sweep of loopTwo over the B block (its kc rows are kc strided lines, in as many pages,
     * where a packed micro-panel is one contiguous run) while packing costs once per block; so in place wins where
     * C has few rows and packing where it has many. Measured on the Zen 4 (2026-12-04, session 14, 512 bits, 1 thread,
     * `SgemmBenchmark.simdgrad` -f 1 -wi 3 -i 4, GFLOP/s packed / in place): NN 512x784x784 94.7 / 97.5, 512^3 101.9 /
     * 105.3 (-f 2); 1024x784x784 100.1 / 85.7, 2048x784x784 95.5 / 86.4, 2048x784x1024 98.3 / 89.2.
     */
    static final int IN_PLACE_ROWS = 512;

    /**
     * Whether the micro-kernel reads op(B) in place rather than from a packed block: when B is not transposed (each
     * depth step of a micro-panel is then NR consecutive floats of a row of B), C has at most {@link #IN_PLACE_ROWS}
     * rows or fewer than NR columns (B's only panel is then the packed edge panel, and A is read in place with it:
     * NN 1000x16x100, `SgemmBenchmark.simdgrad` -f 2, 35.3-35.8 GFLOP/s with A packed, 50.1 in place), and the rows
     * of B are not a multiple of 4 KiB apart ({@link #spreadRows}). The B block is then the KC x MC
     * region of B itself, and a parallel run needs no shared packed block and no barrier. A rule of the shape and
     * the layout, never of the thread count; the bits are the same either way. Measured on the Zen 4 (2026-12-04,
     * session 14, 512 bits, 1 thread): a plain harness of these loops with both operands in place against the packed
     * loops (k within one depth block, best of 7 rounds, same bits, GFLOP/s packed / in place): NN 64^3 77.4-78.6 /
     * 102.5-106.1; 96^3 90.2 / 109.5; 128^3 93.9-95.8 / 108.3-109.5; 192^3 101.4 / 112.4; 256^3 100.9-102.2 /
     * 111.3-111.8; 256x1024x256 103.8 / 106.7; 128x256x10 44.6 / 63.5; TN 64^3 89.1 / 102.5, 128^3 102.2 / 109.2,
     * 256^3 107.5 / 110.9 (packing A and reading only B in place fell between: 88.2 at 64^3, 105.3 at 256^3). With
     * rows of B 4 KiB apart (`SgemmBenchmark.simdgrad`, -f 1, packed / B in place): NN 128x2048x2048 88.9 / 66.7.
     * JMH of the whole rule: see the README (How SGEMM is built).
     */
    static boolean readsBInPlace(boolean tb, int m, int n, int ldb) {
        return !tb && fewRows(m, n) && spreadRows(ldb);
    }

    /**
     * Whether the micro-kernel reads op(A) in place rather than from a packed block: when A is stored transposed
     * (a depth step of a micro-panel is then MR consecutive floats, which packing would only copy), and under the row
     * rule of {@link #readsBInPlace} (at most {@link #IN_PLACE_ROWS} rows of C, or fewer than NR columns) when A's rows
     * are not a multiple of 4 KiB apart: the micro-kernel then broadcasts from MR strided rows, whether B is read in
     * place or packed. On the Xeon (2026-12-03, scalar transposing pack) reading A as stored in place against a packed
     * B had run slower than packing it (in place / packed, paired in one JVM: 96^3 0.58 and 0.71, 128^3 0.75 and
     * 0.67), so A was packed with B until session 14. On the Zen 4 (2026-12-04, 512 bits, 1 thread,
     * `SgemmBenchmark.simdgrad` -f 1 -wi 3 -i 4, two runs each, GFLOP/s packed / in place, B transposed and packed):
     * NT 64^3 75.5, 72.2 / 85.6, 86.5; 128^3 92.9, 94.4 / 99.9, 99.2; 128x256x784 (the 784-256-10 step's forward)
     * 94.8, 93.3 / 100.2, 99.2; 256x512x784 96.8, 101.9 / 101.1, 103.5. Rows of A 4 KiB apart (B in place, A packed /
     * in place): NN 256x784x1024 91.9 / 76.3, 512x512x2048 93.6 / 82.0. By shape and layout only.
     */
    static boolean readsAInPlace(boolean ta, int m, int n, int lda) {
        return ta || fewRows(m, n) && spreadRows(lda);
    }

    /**
     * The row rule of reading in place: at most {@link #IN_PLACE_ROWS} rows of C, or fewer columns than one micro-panel
     * (B's only panel is then the packed edge panel, so nothing of B is swept in place).
     */
    private static boolean fewRows(int m, int n) {
        return m <= IN_PLACE_ROWS || n < NR;
    }

    /**
     * Whether rows {@code ld} floats apart spread over the cache sets: false when they are a multiple of 4 KiB apart,
     * the set period of an 8-way 32 KiB L1 (and of every x86 L1 we know), where the MR rows of an A micro-panel all
     * fall in the same sets (12 lines for 8 ways) and the rows of a B block in L2 into 32 set ranges or fewer.
     */
    static boolean spreadRows(int ld) {
        return ld % 1024 != 0;
    }

    /**
     * C of one row with B not transposed, when it runs on one thread: along the row, same bits as the loops
     * ({@link RowProduct}); null on the scalar path. The loops would pack the row into a 12-row panel and B's last
     * columns into a 32-column panel. Measured on the Zen 4 (2026-12-05, 512 bits, 1 thread, plain harness, loops /
     * row path, us per call): 1 x 256 x 128 3.4 / 1.6-1.9, 1 x 10 x 128 2.7-2.8 / 0.2: the bias gradients of the
     * 784-256-10 step.
     */
    private static final RowProduct ROW = KernelProvider.choice().bits() == 0 ? null
            : VectorSupportProbe.rowProduct();

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    /** The B block shared by the workers of a parallel run; owned by whoever owns the pool. */
    private static final Buffers SHARED = new Buffers();
    private static final Job JOB = new Job();

    private GemmDriver() {
    }

    /**
     * Per-thread scratch: packed A block, packed B block (serial runs), C^T of a narrow product, an edge tile and
     * the edge panel of B.
     * Grown, never shrunk.
     */
    static final class Buffers {
        float[] a = new float[0];
        float[] b = new float[0];
        float[] t = new float[0];
        final float[] tile = new float[MR * NR];
        /** The last, partial micro-panel of B read in place, packed and zero-padded: KC x NR. */
        final float[] edgeB = new float[KC * NR];

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
        if (!tb && (long) m * n * k <= SMALL_WORK && n % (2 * SMALL_COLUMNS) == SMALL_COLUMNS
                && K.smallNotTransB(ta, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc)) {
            return;
        }
        if (m == 1 && !tb && ROW != null && threadsFor(m, n, k, maxThreads) == 1) {
            ROW.compute(n, k, kcFor(k), alpha, a, ao, ta ? lda : 1, b, bo, ldb, beta, c, co);
            return;
        }
        if (computesTransposed(ta, tb, m, n, k, lda, ldb, beta != 0f)) {
            transposed(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, maxThreads);
            return;
        }
        packed(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, maxThreads);
    }

    /**
     * Whether C is better computed as its transpose {@code C^T = op(B)^T op(A)^T}, by an estimate of each product's
     * cost in FMA lanes: the padded register tiles times the depth, plus {@link #MOVE} lanes for every float a
     * transposing copy moves (half that for a straight copy): the operands each product packs, and for C^T the copy
     * of C^T to C (and of C to C^T when beta reads C). Two shapes gain. Narrow C (n well below NR): the NR-column
     * tiles are mostly padding, and the transposed product pads n to MR rows instead. And B stored transposed with
     * fewer rows than columns in C (NT, m &lt; n): the direct product packs op(B), n k floats, where the transposed one
     * reads B in place and packs op(A)^T, m k floats, plus the m n of C^T: the forward product X W^T of a dense layer
     * (NT 128x256x784, the 784-256-10 step: 505-531 direct against 487-493 us, plain harness, before the copy of
     * C^T); taken when the estimate is at least 2 % lower and C^T is small ({@link #MAX_TRANSPOSED_C}). A rule of the
     * shape, the tile and the width; the bits are the same either way (see {@link #transposed}).
     */
    static boolean computesTransposed(boolean ta, boolean tb, int m, int n, int k, int lda, int ldb,
                                      boolean readsC) {
        long direct = cost(ta, tb, m, n, k, lda, ldb);
        long viaTranspose = cost(!tb, !ta, n, m, k, ldb, lda) + MOVE * (long) m * n * (readsC ? 2 : 1);
        if (50 * viaTranspose >= 49 * direct) {
            return false;   // within 2 %: more than the estimate can tell
        }
        long tiles = (long) ceilTo(m, MR) * ceilTo(n, NR), transposedTiles = (long) ceilTo(n, MR) * ceilTo(m, NR);
        boolean narrow = 2 * tiles > 3 * transposedTiles;
        return narrow || (long) m * n <= MAX_TRANSPOSED_C;
    }

    /**
     * The largest C (in floats) computed through C^T for its packing alone, not for its shape: 64 Ki floats (256 KiB,
     * a quarter of the Zen 4's L2, beside the blocks the loops keep there). Measured on the Zen 4 (2026-12-05, 512
     * bits, 1 thread, {@code SgemmBenchmark.simdgrad} -f 1 -wi 3 -i 4, direct and transposed jars alternated twice,
     * GFLOP/s): NT 64x256x784 90.1, 89.9 -> 102.3, 98.3; NT 128x256x784 98.3, 98.0 -> 103.4, 100.2; NT 128x512x784
     * 99.2, 99.2 -> 103.3, 100.7; NT 128x512x512 101.9, 98.9 -> 102.7, 102.3; TT 128x256x784 96.7, 98.3 -> 106.5,
     * 103.3; but NT 256x512x784 (C^T of 128 Ki floats) 101.8, 104.4 -> 101.4, 100.2, and NN 256x784x512 (an estimate
     * 0.6 % apart) 100.8, 100.2 -> 104.1, 94.3. Narrow products go through C^T whatever their size.
     */
    static final long MAX_TRANSPOSED_C = 1 << 16;

    /**
     * FMA lanes a float costs when a transposing copy moves it: the register transpose at 512 bits moves 200,704
     * floats (NT 128x256x784's B) in 38.5 us, 0.19 ns or 0.7 cycles a float, in which the FMA pipes would retire 11
     * lanes (16 per cycle at the peak); the plain-Java transposition at other widths, 0.5-0.95 ns a float
     * ({@code VectorTranspose}'s header), about 40.
     */
    static final long MOVE = K.vectorBits() == 512 ? 11 : 40;

    /** The estimate of {@link #computesTransposed} for the product as given. */
    private static long cost(boolean ta, boolean tb, int m, int n, int k, int lda, int ldb) {
        long lanes = (long) ceilTo(m, MR) * ceilTo(n, NR) * k;
        // A as stored and B transposed are packed by a transposition; A transposed and B as stored by copies
        long aMoves = readsAInPlace(ta, m, n, lda) ? 0 : (long) m * k * (ta ? MOVE / 2 : MOVE);
        long bMoves = readsBInPlace(tb, m, n, ldb) ? 0 : (long) n * k * (tb ? MOVE : MOVE / 2);
        return lanes + aMoves + bMoves;
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

    /**
     * {@code dst[dOff + j*ldd + i] = src[sOff + i*lds + j]} for the {@code rows x cols} block of src: in registers at
     * 512 bits, in plain Java otherwise.
     */
    private static void transpose(float[] src, int sOff, int lds, int rows, int cols, float[] dst, int dOff, int ldd) {
        if (K.vectorBits() == 512) {
            VectorSupportProbe.transpose512(src, sOff, lds, rows, cols, dst, dOff, ldd);
            return;
        }
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
                j.sharedB = readsBInPlace(tb, m, n, ldb) ? null : SHARED.b(2 * blockB(n, k)); // two halves: see loops
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
     * each packing its own panels into its own buffer and all of the A block: no barrier. B read in place needs
     * neither the shared block nor the barrier.
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
        boolean aInPlace = readsAInPlace(ta, m, n, lda), bInPlace = readsBInPlace(tb, m, n, ldb);
        float[] bbuf = bInPlace ? null : splitRows ? sharedB : own.b(half);
        int r0 = 0, r1 = m;
        if (splitRows) {
            r0 = Math.min(m, splitStart(rowBlocks, worker, workers) * MR);
            r1 = Math.min(m, splitStart(rowBlocks, worker + 1, workers) * MR);
        }
        int ownRows = Math.min(NC, Math.max(1, r1 - r0));
        float[] abuf = own.a(aInPlace ? MR * kcb : ((ownRows + MR - 1) / MR) * MR * kcb);
        // op(A) element (r, l) of the block at aSrc: a[aSrc + r*rs + l*ls] in place, abuf[panel*MR*kc + l*MR + r] packed
        int rs = ta ? 1 : lda, ls = ta ? lda : 1;
        int block = 0;
        for (int ic = 0; ic < m; ic += NC) {                                 // loopFive
            int lo = Math.max(ic, r0), hi = Math.min(Math.min(m, ic + NC), r1); // this worker's rows of the block
            for (int pc = 0; pc < k; pc += kcb) {                             // loopFour
                int kc = Math.min(kcb, k - pc);
                boolean first = pc == 0;
                int aSrc = ao + lo * rs + pc * ls;
                if (hi > lo) {
                    int partial = (hi - lo) % MR;
                    if (!aInPlace) {
                        K.packA(ta, a, aSrc, lda, hi - lo, kc, abuf);
                    } else if (partial > 0 && K.kernelRows(partial) != partial) {
                        // the last panel, zero-padded, so the kernel reads no row past A's (one it reads exactly, 4
                        // or 8 rows of a 12-row tile, is read in place)
                        K.packA(ta, a, aSrc + (hi - lo - partial) * rs, lda, partial, kc, abuf);
                    }
                }
                // A's panels as the macro-kernel reads them: in place (the partial last one from abuf), or packed
                float[] aOp = aInPlace ? a : abuf, aEdge = aInPlace ? abuf : null;
                int aOff = aInPlace ? aSrc : 0, aStep = aInPlace ? MR * rs : MR * kc;
                int aRs = aInPlace ? rs : 1, aLs = aInPlace ? ls : MR;
                for (int jc = 0; jc < n; jc += MC, block++) {                 // loopThree
                    int mc = Math.min(MC, n - jc);
                    int panels = (mc + NR - 1) / NR;
                    int p0 = splitStart(panels, worker, workers), p1 = splitStart(panels, worker + 1, workers);
                    int q0 = splitRows ? 0 : p0, q1 = splitRows ? panels : p1;
                    // Panel q of the B block: b[bSrc + q*bStep + l*bld + j] in place. Packed with split rows: the
                    // halves of the shared buffer alternate. Packed otherwise: this worker's own buffer holds its
                    // panels [p0, p1) from index 0, panel q at bSrc + q * kc * NR.
                    int bSrc, bStep, bld;
                    if (bInPlace) {
                        bSrc = bo + pc * ldb + jc;
                        bStep = NR;
                        bld = ldb;
                        if (mc % NR != 0 && q1 == panels && hi > lo) { // the last panel, zero-padded
                            K.packB(false, b, bSrc + (panels - 1) * NR, ldb, kc, mc % NR, own.edgeB, 0);
                        }
                    } else {
                        bSrc = splitRows ? (block & 1) * half : -p0 * kc * NR;
                        bStep = kc * NR;
                        bld = NR;
                        if (p1 > p0) {
                            int cols = Math.min(mc - p0 * NR, (p1 - p0) * NR);
                            int src = tb ? bo + (jc + p0 * NR) * ldb + pc : bo + pc * ldb + jc + p0 * NR;
                            K.packB(tb, b, src, ldb, kc, cols, bbuf, bSrc + p0 * kc * NR);
                        }
                        if (splitRows) {
                            WorkerPool.barrier(workers);
                        }
                    }
                    if (q1 > q0 && hi > lo) {
                        macroKernel(hi - lo, mc, kc, q0, q1, alpha, beta, first, aOp, aOff, aStep, aRs, aLs, aEdge,
                                bInPlace ? b : bbuf, bSrc, bStep, bld, bInPlace ? own.edgeB : null,
                                c, co + lo * ldc + jc, ldc, own.tile);
                    }
                }
            }
        }
    }

    /**
     * loopTwo and loopOne over the MR panels of a block of {@code rows} rows of op(A) and panels [q0, q1) of a block
     * of {@code cols} columns of op(B). A panel p: element (r, l) at {@code a[aSrc + p*aStep + r*rs + l*ls]}, except
     * a last panel of fewer than MR rows when A is read in place: that one is in {@code aEdge} (null otherwise),
     * packed (rs 1, ls MR). B panel q: element (l, j) at {@code b[bSrc + q*bStep + l*bld + j]}, except a last panel
     * of fewer than NR columns when B is read in place: that one is in {@code bEdge} (null otherwise), packed (row
     * stride NR). A last A panel of fewer than MR rows runs a kernel variant of 4 or 8 rows instead of MR (same
     * bits). Measured on the Zen 4 (2026-12-04, 512 bits, `SgemmBenchmark.simdgrad`, 1 thread, -f 2 -wi 3 -i 4, old
     * and new jars alternated twice, GFLOP/s): NN 64^3 (a 4-row last panel) 71.6, 70.3 -> 77.8, 77.1; 128^3 (8 rows)
     * 92.7, 92.1 -> 95.6, 95.4; 256^3 100.6, 99.7 -> 103.8, 103.0; 256x784x512 99.4, 98.3 -> 101.4, 101.9; NT
     * 128x256x784 93.5, 92.7 -> 95.5, 96.1 (all packed then). A last panel read in place whose rows a variant reads
     * exactly (4 or 8 of a 12-row tile: every m that is a power of two) is read where it is, not packed.
     *
     * <p>When the update is C := alpha A B (beta 0, the first depth block), a tile the kernel writes exactly (MR or a
     * row variant's rows, NR columns or the narrow kernel's) is written by the kernel straight into C, each element
     * {@code acc * alpha}, skipping the store to the tile, its reload and the update's pass; other tiles and later
     * depth blocks go through the tile (alpha 1 there: exact) and {@link GemmKernel#update} (or its vectorized
     * {@link GemmKernel#updatePart} for edge tiles), with the same operations, so the same bits either way. Measured on the Zen 4 (2026-12-05,
     * session 16, 512 bits, 1 thread): a plain harness of NN 64^3 (12 tiles, one depth block) took 4.78 us for the
     * kernels alone, 5.1 with their updates and 5.45-5.6 for these loops; 4.9-5.3 after. {@code SgemmBenchmark.simdgrad}
     * -f 2 -wi 3 -i 4, jars before and after alternated twice, GFLOP/s: NN 64^3 93.3, 94.9 -> 106.5, 103.4; 128^3
     * 106.0, 106.7 -> 109.9, 109.3; TN 256x784x128 102.6, 103.1 -> 106.3, 105.3; unchanged within the error bars:
     * 256^3 110.2, 110.0 -> 109.1, 110.8; 512^3 106.2, 98.6 -> 105.2, 105.8; NT 128x256x784 102.3, 101.2 -> 102.3,
     * 101.2; NN 256x784x512 102.5 +- 2.7, 98.7 +- 5.6 -> 98.3 +- 5.6, 95.7 +- 5.1. The 784-256-10 training step
     * ({@code TrainStepBenchmark.trainStep} mean, 1 thread, -f 2 -wi 3 -i 4, alternated), ms: 1.101, 1.103 before;
     * 1.079, 1.084 with alpha 1 only; 1.062, 1.057 with any alpha (its gradient products have alpha 1/B).
     */
    private static void macroKernel(int rows, int cols, int kc, int q0, int q1, float alpha, float beta,
                                    boolean first, float[] a, int aSrc, int aStep, int rs, int ls, float[] aEdge,
                                    float[] b, int bSrc, int bStep, int bld, float[] bEdge,
                                    float[] c, int cBase, int ldc, float[] tile) {
        // the update of a first block with beta 0 is C := alpha A B, the kernel's own store
        boolean overwrites = beta == 0f && first;
        for (int ir = 0, p = 0; ir < rows; ir += MR, p++) {                  // loopTwo
            int mr = Math.min(MR, rows - ir);
            boolean packedRows = aEdge != null && K.kernelRows(mr) != mr;
            float[] pa = packedRows ? aEdge : a;
            int pao = packedRows ? 0 : aSrc + p * aStep, prs = packedRows ? 1 : rs, pls = packedRows ? MR : ls;
            for (int q = q0; q < q1; q++) {                                   // loopOne
                int jr = q * NR;
                int nr = Math.min(NR, cols - jr);
                int cOff = cBase + ir * ldc + jr;
                float[] pb = nr < NR && bEdge != null ? bEdge : b;
                int pbo = pb == bEdge ? 0 : bSrc + q * bStep, pld = pb == bEdge ? NR : bld;
                boolean narrow = nr <= NARROW;
                // C := alpha A B is the whole update, and the kernel writes exactly this tile: straight into C
                boolean direct = overwrites && K.kernelRows(mr) == mr && nr == (narrow ? NARROW : NR);
                float[] d = direct ? c : tile;
                int dOff = direct ? cOff : 0, ldd = direct ? ldc : NR;
                float scale = direct ? alpha : 1f;
                if (narrow) {
                    K.kernelNarrow(mr, kc, pa, pao, prs, pls, pb, pbo, pld, scale, d, dOff, ldd);
                } else {
                    K.kernel(mr, kc, pa, pao, prs, pls, pb, pbo, pld, scale, d, dOff, ldd);
                }
                if (direct) {
                    continue;
                }
                if (mr == MR && nr == NR) {
                    K.update(tile, alpha, beta, first, c, cOff, ldc);
                } else {
                    K.updatePart(tile, mr, nr, alpha, beta, first, c, cOff, ldc);
                }
            }
        }
    }
}
