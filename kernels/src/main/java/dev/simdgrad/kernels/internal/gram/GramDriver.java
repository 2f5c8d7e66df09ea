package dev.simdgrad.kernels.internal.gram;

import dev.simdgrad.kernels.internal.KernelProvider;
import dev.simdgrad.kernels.internal.simd.VectorSupportProbe;

/**
 * Gram matrices in double: of the rows of a float matrix (the explicit robust aggregators) and of the per-example
 * gradients of a dense layer, {@code (X X^T + [bias]) o (D D^T)} (the fused ones).
 *
 * <p>The columns are taken in blocks of {@link #BLOCK}: the block of every row is converted to double once, straight
 * into the kernel's packed panel layout (depth-major panels of {@code GramKernel#panelRows()} rows, zero padded to
 * a multiple of 8 columns and of the panel's rows) in a per-thread buffer, then the kernel adds the block's dot
 * products into a double accumulator. Products of floats are exact in double, so an entry is a sum of exact
 * products rounded only by double additions:
 * {@code |G_ij - exact| <= gamma_d(len) sum_k |a_ik a_jk| <= gamma_d(len) ||a_i|| ||a_j||},
 * {@code gamma_d(n) = n 2^-53 / (1 - n 2^-53)}, whatever the order of the additions.
 *
 * <p>Single-threaded and in a fixed order: the same input gives the same bits for every thread count (the order of
 * the double additions depends on the vector width only).
 *
 * <p>Unchecked: the public classes validate first.
 */
public final class GramDriver {
    /** The kernel of this JVM's width. */
    public static final GramKernel K = KernelProvider.choice().bits() == 0
            ? new ScalarGramKernel() : VectorSupportProbe.gramKernel();
    /**
     * Columns per block: a packed panel of 16 rows x 128 doubles (16 KiB) stays in L1 while the kernel sweeps it with
     * every tile of rows, and 128 rows x 128 doubles (128 KiB) stay in L2. (Blocks of 256 columns, a 32 KiB panel,
     * measured about 10 % slower for the Gram matrices of a 784-256-10 step at B = 128; of 64, slower too: the tile's
     * results are added into the accumulator once per block.)
     */
    static final int BLOCK = 128;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private GramDriver() {
    }

    /** Per-thread scratch, grown on demand, never shrunk. */
    private static final class Buffers {
        double[] a = new double[0], b = new double[0], xx = new double[0], dd = new double[0];

        static double[] grow(double[] x, int size) {
            return x.length < size ? new double[size] : x;
        }
    }

    /**
     * {@code g[go + i*ldg + j] (+)= sum_k r_i[k] r_j[k]} for {@code i, j < n}, where {@code r_i} is row i of the
     * float matrix (a, ao, lda) for {@code i < rows}, and, when {@code extra} is not null, {@code r_rows} is
     * {@code extra[eo .. eo + len)} (n = rows + 1; else n = rows). Both triangles are written, mirrored, so the
     * result is exactly symmetric.
     */
    public static void gram(float[] a, int ao, int lda, int rows, float[] extra, int eo, int len,
                            double[] g, int go, int ldg, boolean accumulate) {
        int n = rows + (extra != null ? 1 : 0);
        Buffers s = BUFFERS.get();
        double[] acc = s.xx = Buffers.grow(s.xx, n * n);
        lower(a, ao, lda, rows, extra, eo, len, acc);
        store(acc, n, g, go, ldg, accumulate);
    }

    /**
     * The lower triangle (j &lt;= i) of the Gram matrix of {@link #gram} into {@code acc[i*n + j]} (n x n, zeroed
     * first); the entries above the diagonal are left undefined.
     */
    private static void lower(float[] a, int ao, int lda, int rows, float[] extra, int eo, int len, double[] acc) {
        int n = rows + (extra != null ? 1 : 0);
        Buffers s = BUFFERS.get();
        java.util.Arrays.fill(acc, 0, n * n, 0.0);
        double[] buf = s.a = Buffers.grow(s.a, padRows(n) * BLOCK);
        for (int k0 = 0; k0 < len; k0 += BLOCK) {
            int w = Math.min(BLOCK, len - k0), padded = (w + 7) & ~7;
            for (int i = 0; i < rows; i++) {
                pack(a, ao + i * lda + k0, w, padded, buf, i);
            }
            if (extra != null) {
                pack(extra, eo + k0, w, padded, buf, rows);
            }
            zeroRows(n, padded, buf);
            K.lower(buf, n, padded, acc, 0, n);
        }
    }

    /**
     * {@code c[co + i*ldc + j] = sum_k a_i[k] b_j[k]} for {@code i < n}, {@code j < m}: rows of (a, ao, lda) against
     * rows of (b, bo, ldb), {@code len} columns, in double.
     */
    public static void cross(float[] a, int ao, int lda, int n, float[] b, int bo, int ldb, int m, int len,
                             double[] c, int co, int ldc) {
        Buffers s = BUFFERS.get();
        double[] acc = s.xx = Buffers.grow(s.xx, n * m);
        java.util.Arrays.fill(acc, 0, n * m, 0.0);
        double[] ba = s.a = Buffers.grow(s.a, padRows(n) * BLOCK);
        double[] bb = s.b = Buffers.grow(s.b, padRows(m) * BLOCK);
        for (int k0 = 0; k0 < len; k0 += BLOCK) {
            int w = Math.min(BLOCK, len - k0), padded = (w + 7) & ~7;
            for (int i = 0; i < n; i++) {
                pack(a, ao + i * lda + k0, w, padded, ba, i);
            }
            for (int j = 0; j < m; j++) {
                pack(b, bo + j * ldb + k0, w, padded, bb, j);
            }
            zeroRows(n, padded, ba);
            zeroRows(m, padded, bb);
            K.cross(ba, bb, n, m, padded, acc, 0, m);
        }
        for (int i = 0; i < n; i++) {
            System.arraycopy(acc, i * m, c, co + i * ldc, m);
        }
    }

    /**
     * The per-example Gram matrix of a dense layer, {@code G (+)= (X X^T + [bias]) o (D D^T)}: entry (i, j) is
     * {@code <g_i, g_j>} for {@code g_i = d_i x_i^T} (and {@code d_i} for the bias), i.e.
     * {@code (x_i . x_j + [bias]) (d_i . d_j)}, both dot products in double and their product rounded once.
     */
    public static void denseLayer(int batch, int dOut, int dIn, float[] d, int dOff, int ldd, float[] x, int xOff,
                                  int ldx, boolean bias, double[] g, int go, int ldg, boolean accumulate) {
        Buffers s = BUFFERS.get();
        int nn = batch * batch;
        double[] xx = Buffers.grow(s.dd, nn);
        s.dd = xx;
        lower(x, xOff, ldx, batch, null, 0, dIn, xx);
        double[] dd = Buffers.grow(s.b, nn);
        s.b = dd;
        lower(d, dOff, ldd, batch, null, 0, dOut, dd);
        double one = bias ? 1.0 : 0.0;
        // the lower triangle, each value written to (i, j) and (j, i): exactly symmetric, as the full products were
        for (int i = 0; i < batch; i++) {
            for (int j = 0; j <= i; j++) {
                double v = (xx[i * batch + j] + one) * dd[i * batch + j];
                int o = go + i * ldg + j;
                g[o] = accumulate ? g[o] + v : v;
                if (j < i) {
                    o = go + j * ldg + i;
                    g[o] = accumulate ? g[o] + v : v;
                }
            }
        }
    }

    /** Rows rounded up to a whole panel of the kernel. */
    private static int padRows(int n) {
        int r = K.panelRows();
        return (n + r - 1) / r * r;
    }

    /** Row j's w values from a[p..], as doubles, into the packed block of depth {@code padded} (zeros past w). */
    private static void pack(float[] a, int p, int w, int padded, double[] buf, int j) {
        int r = K.panelRows(), o = (j / r) * padded * r + j % r;
        for (int k = 0; k < w; k++) {
            buf[o + k * r] = a[p + k];
        }
        for (int k = w; k < padded; k++) {
            buf[o + k * r] = 0.0;
        }
    }

    /** The padding rows n .. padRows(n) of the packed block: zeros. */
    private static void zeroRows(int n, int padded, double[] buf) {
        int r = K.panelRows();
        for (int j = n; j < padRows(n); j++) {
            int o = (j / r) * padded * r + j % r;
            for (int k = 0; k < padded; k++) {
                buf[o + k * r] = 0.0;
            }
        }
    }

    private static void store(double[] acc, int n, double[] g, int go, int ldg, boolean accumulate) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = j <= i ? acc[i * n + j] : acc[j * n + i];
                int o = go + i * ldg + j;
                g[o] = accumulate ? g[o] + v : v;
            }
        }
    }
}
