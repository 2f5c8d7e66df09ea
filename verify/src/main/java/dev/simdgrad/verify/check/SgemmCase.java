package dev.simdgrad.verify.check;

import dev.simdgrad.kernels.Simd;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One SGEMM problem of {@link SgemmCheck}: transposes, sizes, alpha and beta, offsets and leading dimensions, an
 * optional special value planted in the operands, and the seed of its data. Its {@link #toString()} names all of
 * it, so a failing case can be rebuilt from the report alone.
 *
 * <p>The operands are stored with their offset and padding: everything of A's and B's storage that is not an
 * element of the matrix holds {@link #PAD_AB}, large enough that reading it by mistake breaks the bound by orders
 * of magnitude; everything of C's storage outside the m x n matrix holds {@link #PAD_C}, which must survive the
 * call bit for bit.
 *
 * @param transA  whether A is stored transposed (k x m)
 * @param transB  whether B is stored transposed (n x k)
 * @param m       rows of C
 * @param n       columns of C
 * @param k       depth
 * @param alpha   scale of the product
 * @param beta    scale of C's old value
 * @param aOffset index of A's element (0, 0)
 * @param bOffset index of B's element (0, 0)
 * @param cOffset index of C's element (0, 0)
 * @param lda     row stride of A's storage
 * @param ldb     row stride of B's storage
 * @param ldc     row stride of C's storage
 * @param special a non-finite value planted in the operands, or {@link Special#NONE}
 * @param dataSeed seed of the operands' values (uniform in [-1, 1))
 */
public record SgemmCase(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                        int aOffset, int bOffset, int cOffset, int lda, int ldb, int ldc,
                        Special special, long dataSeed) {

    /** Filler of A's and B's storage outside the matrices. */
    public static final float PAD_AB = 1e6f;

    /** Filler of C's storage outside the matrix; a distinctive bit pattern no kernel computes by accident. */
    public static final float PAD_C = Float.intBitsToFloat(0x7f7e_5a5a);

    /** Largest m * n * k of a random case: keeps the double-precision reference at a few milliseconds. */
    public static final long MAX_VOLUME = 1L << 21;

    /**
     * Sizes next to the blocking edges of every width's micro-kernel: MR is 4 (scalar), 6 (128 and 256 bits) or
     * 12 (512 bits), NR is 4, 8, 16 or 32, MC is this machine's ({@link Simd#sgemmBlocking()}); a size one below,
     * at and above a multiple exercises the partial tiles, the full tiles and a tile plus one.
     */
    private static final int[] EDGE_M = {1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 17, 23, 24, 25, 37,
        Simd.sgemmBlocking().mc() - 1, Simd.sgemmBlocking().mc(), Simd.sgemmBlocking().mc() + 1};
    private static final int[] EDGE_N = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 97};
    /** Depths next to the unroll of the depth loop and the KC block (k is split into near-equal blocks). */
    private static final int[] EDGE_K = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 64, Simd.sgemmBlocking().kc() - 1,
        Simd.sgemmBlocking().kc(), Simd.sgemmBlocking().kc() + 1, 300, 2 * Simd.sgemmBlocking().kc() + 1};
    private static final float[] ALPHAS = {1f, -1f, 0.5f, 2f, 0f};
    private static final float[] BETAS = {0f, 1f, -1f, 0.5f, 2f};

    /** A non-finite value planted in the operands, to check NaN and Inf semantics. */
    public enum Special {
        /** Finite operands only. */
        NONE,
        /** Every element of C is NaN; with beta = 0 C must not be read, so the result is finite. */
        NAN_IN_C,
        /** Every element of C is +Inf; with beta = 0 it must be overwritten. */
        INF_IN_C,
        /** One element of C is NaN: with beta != 0 it stays NaN, its neighbours are unaffected. */
        ONE_NAN_IN_C,
        /** One element of A is NaN: the row of C it feeds becomes NaN (unless alpha = 0 or k = 0). */
        ONE_NAN_IN_A,
        /** One element of B is +Inf: the column of C it feeds becomes +-Inf (or NaN where multiplied by 0). */
        ONE_INF_IN_B,
        /** A, B and C are all NaN; with alpha = 0 and beta = 0 neither is read and C becomes 0. */
        NAN_EVERYWHERE
    }

    /** A random case: sizes near blocking edges half the time, alpha and beta from BLAS's special values. */
    public static SgemmCase random(SplittableRandom r) {
        Special special = r.nextInt(10) == 0 ? Special.values()[1 + r.nextInt(Special.values().length - 1)]
                : Special.NONE;
        return random(r, r.nextBoolean(), r.nextBoolean(), special);
    }

    /**
     * A random case with the given transposes and special value; alpha and beta are chosen so that the special
     * value tests what it is meant to (beta = 0 for {@link Special#NAN_IN_C} and {@link Special#INF_IN_C}, alpha =
     * beta = 0 for {@link Special#NAN_EVERYWHERE}).
     */
    public static SgemmCase random(SplittableRandom r, boolean transA, boolean transB, Special special) {
        int m, n, k;
        do {
            m = size(r, EDGE_M, 80);
            n = size(r, EDGE_N, 100);
            k = size(r, EDGE_K, 300);
        } while ((long) m * n * k > MAX_VOLUME);
        float alpha = r.nextInt(3) == 0 ? (float) (r.nextDouble() * 4 - 2) : ALPHAS[r.nextInt(ALPHAS.length)];
        float beta = r.nextInt(3) == 0 ? (float) (r.nextDouble() * 4 - 2) : BETAS[r.nextInt(BETAS.length)];
        switch (special) {
            case NAN_IN_C, INF_IN_C -> beta = 0f;
            case ONE_NAN_IN_C -> beta = beta == 0f ? 1f : beta;
            case ONE_NAN_IN_A, ONE_INF_IN_B -> alpha = alpha == 0f ? 1f : alpha;
            case NAN_EVERYWHERE -> {
                alpha = 0f;
                beta = 0f;
            }
            case NONE -> { }
        }
        int aCols = transA ? m : k, bCols = transB ? k : n;
        return new SgemmCase(transA, transB, m, n, k, alpha, beta,
                offset(r), offset(r), offset(r),
                ld(r, aCols), ld(r, bCols), ld(r, n), special, r.nextLong());
    }

    /** The same problem with other sizes (leading dimensions follow; offsets, scalars, data seed kept). */
    public SgemmCase withSizes(int m, int n, int k) {
        int aCols = transA ? m : k, bCols = transB ? k : n;
        return new SgemmCase(transA, transB, m, n, k, alpha, beta, aOffset, bOffset, cOffset,
                Math.max(1, aCols) + lda - Math.max(1, transA ? this.m : this.k),
                Math.max(1, bCols) + ldb - Math.max(1, transB ? this.k : this.n),
                Math.max(1, n) + ldc - Math.max(1, this.n), special, dataSeed);
    }

    private static int size(SplittableRandom r, int[] edges, int max) {
        return r.nextBoolean() ? edges[r.nextInt(edges.length)] : 1 + r.nextInt(max);
    }

    private static int offset(SplittableRandom r) {
        return r.nextBoolean() ? 0 : 1 + r.nextInt(17);
    }

    /** The minimum leading dimension half the time, else padded by up to 9 (rows then straddle vector edges). */
    private static int ld(SplittableRandom r, int cols) {
        return Math.max(1, cols) + (r.nextBoolean() ? 0 : 1 + r.nextInt(9));
    }

    /** Rows of A's storage. */
    int aRows() {
        return transA ? k : m;
    }

    /** Columns of A's storage. */
    int aCols() {
        return transA ? m : k;
    }

    /** Rows of B's storage. */
    int bRows() {
        return transB ? n : k;
    }

    /** Columns of B's storage. */
    int bCols() {
        return transB ? k : n;
    }

    /** A's storage: offset, rows of lda with padding, and a tail, filled as described in the class comment. */
    float[] a() {
        return switch (special) {
            case ONE_NAN_IN_A -> storage(aOffset, aRows(), aCols(), lda, PAD_AB, 1, Float.NaN, false);
            case NAN_EVERYWHERE -> storage(aOffset, aRows(), aCols(), lda, PAD_AB, 1, Float.NaN, true);
            default -> storage(aOffset, aRows(), aCols(), lda, PAD_AB, 1, 0f, false);
        };
    }

    /** B's storage, like {@link #a()}. */
    float[] b() {
        return switch (special) {
            case ONE_INF_IN_B -> storage(bOffset, bRows(), bCols(), ldb, PAD_AB, 2, Float.POSITIVE_INFINITY, false);
            case NAN_EVERYWHERE -> storage(bOffset, bRows(), bCols(), ldb, PAD_AB, 2, Float.NaN, true);
            default -> storage(bOffset, bRows(), bCols(), ldb, PAD_AB, 2, 0f, false);
        };
    }

    /** C's storage before the call, like {@link #a()} but padded with {@link #PAD_C}. */
    float[] c() {
        return switch (special) {
            case ONE_NAN_IN_C -> storage(cOffset, m, n, ldc, PAD_C, 3, Float.NaN, false);
            case NAN_IN_C, NAN_EVERYWHERE -> storage(cOffset, m, n, ldc, PAD_C, 3, Float.NaN, true);
            case INF_IN_C -> storage(cOffset, m, n, ldc, PAD_C, 3, Float.POSITIVE_INFINITY, true);
            default -> storage(cOffset, m, n, ldc, PAD_C, 3, 0f, false);
        };
    }

    /**
     * Storage of a rows x cols matrix: values uniform in [-1, 1) from the data seed and the operand's number
     * (so A, B and C differ), padding elsewhere; {@code planted} (when not 0) replaces one random element, or all
     * of them when {@code everywhere}.
     */
    private float[] storage(int offset, int rows, int cols, int ld, float pad, int operand, float planted,
                            boolean everywhere) {
        int length = rows == 0 || cols == 0 ? offset + 3 : offset + (rows - 1) * ld + cols + 3;
        float[] x = new float[length];
        Arrays.fill(x, pad);
        SplittableRandom r = new SplittableRandom(dataSeed * 31 + operand);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x[offset + i * ld + j] = everywhere && planted != 0f ? planted : (float) (r.nextDouble() * 2 - 1);
            }
        }
        if (planted != 0f && !everywhere && rows > 0 && cols > 0) {
            x[offset + r.nextInt(rows) * ld + r.nextInt(cols)] = planted;
        }
        return x;
    }

    /** Every parameter, e.g. {@code "TN m=25 n=65 k=257 alpha=1.0 beta=0.0 offsets=3,0,5 ld=27,65,70 ..."}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s%s m=%d n=%d k=%d alpha=%s beta=%s offsets(a,b,c)=%d,%d,%d"
                        + " ld(a,b,c)=%d,%d,%d special=%s dataSeed=%d", transA ? "T" : "N", transB ? "T" : "N",
                m, n, k, alpha, beta, aOffset, bOffset, cOffset, lda, ldb, ldc, special, dataSeed);
    }
}
