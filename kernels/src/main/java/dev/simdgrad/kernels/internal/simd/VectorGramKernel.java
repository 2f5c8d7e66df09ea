package dev.simdgrad.kernels.internal.simd;

import dev.simdgrad.kernels.internal.KernelProvider;
import dev.simdgrad.kernels.internal.gram.GramKernel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products in double on the Vector API, at the width the provider chose (one class for 128, 256 and 512 bits:
 * the species is a constant computed at class load, so C2 sees a fixed shape), organized as a small GEMM
 * {@code C += A B^T} over rows the driver packed depth-major in panels of NR = 2 vectors of rows: an MR x NR tile
 * of C lives in 2 MR accumulators (MR = 8 at 256 and 512 bits, 4 at 128); per depth step, two vector loads of a B
 * panel, MR broadcasts of A (from its own panel, the MR rows adjacent) and 2 MR FMAs. The loop runs over the panels
 * of B outside and the rows of A inside, so a B panel is read from L1.
 * Each entry of C is a sum over k in order within the call (one lane, no lane reduction), so the order of its
 * additions is fixed and its bits do not depend on the tile it falls in.
 */
final class VectorGramKernel implements GramKernel {
    static final VectorSpecies<Double> SD =
            VectorSpecies.of(double.class, VectorShape.forBitSize(KernelProvider.choice().bits()));
    static final int L = SD.length();
    static final int NR = 2 * L;
    /**
     * Rows of A per tile: 8 when a panel holds 8 rows (256 and 512 bits), else 4. Eight rows keep 16 accumulators, so
     * 16 independent FMAs per depth step cover the FMA latency twice over on two FMA pipes (eight, with four rows,
     * only just), and read the eight broadcasts from one line of the panel.
     */
    static final int MR = NR >= 8 ? 8 : 4;

    private static final ThreadLocal<double[]> TILE = ThreadLocal.withInitial(() -> new double[MR * NR]);

    @Override
    public int panelRows() {
        return NR;
    }

    @Override
    public void lower(double[] a, int n, int len, double[] acc, int ao, int lda) {
        run(a, a, n, n, len, acc, ao, lda, true);
    }

    @Override
    public void cross(double[] a, double[] b, int n, int m, int len, double[] acc, int ao, int lda) {
        run(a, b, n, m, len, acc, ao, lda, false);
    }

    /**
     * Panel by panel of b (NR rows, {@code len * NR} doubles: 16 KiB at 512 bits and the driver's 128 columns), every
     * group of MR rows of a against it: the b panel stays in L1 while the rows of a stream by, four doubles per depth
     * step. (Rows outer, panels inner, streamed every b panel from L2 for every group of four rows: two lines per
     * depth step against one, and measured 15-20 % slower.) The lower triangle needs, for panel q, only the rows
     * {@code i >= q * NR}.
     */
    private static void run(double[] a, double[] b, int n, int m, int len, double[] acc, int ao, int lda,
                            boolean lower) {
        int panels = (m + NR - 1) / NR;
        double[] t = TILE.get();
        for (int q = 0; q < panels; q++) {
            int j0 = q * NR;
            for (int i0 = lower ? j0 : 0; i0 < n; i0 += MR) {
                int rows = Math.min(MR, n - i0);
                // the MR rows i0.. sit in one panel of a (NR is a multiple of MR), padded with zero rows past n
                int ap = (i0 / NR) * len * NR + i0 % NR;
                if (MR == 8) {
                    tile8(a, ap, b, q * len * NR, len, t);
                } else {
                    tile(a, ap, b, q * len * NR, len, t);
                }
                if (rows == MR && j0 + NR <= m && (!lower || i0 >= j0 + NR - 1)) {
                    // a whole tile (every entry wanted): the same additions, a vector at a time
                    for (int r = 0; r < MR; r++) {
                        int o = ao + (i0 + r) * lda + j0;
                        DoubleVector.fromArray(SD, acc, o).add(DoubleVector.fromArray(SD, t, r * NR))
                                .intoArray(acc, o);
                        DoubleVector.fromArray(SD, acc, o + L).add(DoubleVector.fromArray(SD, t, r * NR + L))
                                .intoArray(acc, o + L);
                    }
                    continue;
                }
                for (int r = 0; r < rows; r++) {
                    int i = i0 + r, jEnd = Math.min(m, j0 + NR);
                    if (lower) {
                        jEnd = Math.min(jEnd, i + 1);
                    }
                    for (int j = j0; j < jEnd; j++) {
                        acc[ao + i * lda + j] += t[r * NR + j - j0];
                    }
                }
            }
        }
    }

    /** t[r*NR + jj] = sum_k a[ap + k*NR + r] * p[po + k*NR + jj] for r < 8, jj < NR: an 8 x NR tile. */
    private static void tile8(double[] a, int ap, double[] p, int po, int len, double[] t) {
        DoubleVector c00 = DoubleVector.zero(SD), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int k = 0; k < len; k++) {
            int o = po + k * NR, x = ap + k * NR;
            DoubleVector b0 = DoubleVector.fromArray(SD, p, o), b1 = DoubleVector.fromArray(SD, p, o + L);
            DoubleVector xr = DoubleVector.broadcast(SD, a[x]);
            c00 = xr.fma(b0, c00);
            c01 = xr.fma(b1, c01);
            xr = DoubleVector.broadcast(SD, a[x + 1]);
            c10 = xr.fma(b0, c10);
            c11 = xr.fma(b1, c11);
            xr = DoubleVector.broadcast(SD, a[x + 2]);
            c20 = xr.fma(b0, c20);
            c21 = xr.fma(b1, c21);
            xr = DoubleVector.broadcast(SD, a[x + 3]);
            c30 = xr.fma(b0, c30);
            c31 = xr.fma(b1, c31);
            xr = DoubleVector.broadcast(SD, a[x + 4]);
            c40 = xr.fma(b0, c40);
            c41 = xr.fma(b1, c41);
            xr = DoubleVector.broadcast(SD, a[x + 5]);
            c50 = xr.fma(b0, c50);
            c51 = xr.fma(b1, c51);
            xr = DoubleVector.broadcast(SD, a[x + 6]);
            c60 = xr.fma(b0, c60);
            c61 = xr.fma(b1, c61);
            xr = DoubleVector.broadcast(SD, a[x + 7]);
            c70 = xr.fma(b0, c70);
            c71 = xr.fma(b1, c71);
        }
        c00.intoArray(t, 0);
        c01.intoArray(t, L);
        c10.intoArray(t, NR);
        c11.intoArray(t, NR + L);
        c20.intoArray(t, 2 * NR);
        c21.intoArray(t, 2 * NR + L);
        c30.intoArray(t, 3 * NR);
        c31.intoArray(t, 3 * NR + L);
        c40.intoArray(t, 4 * NR);
        c41.intoArray(t, 4 * NR + L);
        c50.intoArray(t, 5 * NR);
        c51.intoArray(t, 5 * NR + L);
        c60.intoArray(t, 6 * NR);
        c61.intoArray(t, 6 * NR + L);
        c70.intoArray(t, 7 * NR);
        c71.intoArray(t, 7 * NR + L);
    }

    /** t[r*NR + jj] = sum_k a[ap + k*NR + r] * p[po + k*NR + jj] for r < MR, jj < NR: a 4 x NR tile. */
    private static void tile(double[] a, int ap, double[] p, int po, int len, double[] t) {
        DoubleVector c00 = DoubleVector.zero(SD), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,
                c31 = c00;
        for (int k = 0; k < len; k++) {
            int o = po + k * NR, x = ap + k * NR;
            DoubleVector b0 = DoubleVector.fromArray(SD, p, o), b1 = DoubleVector.fromArray(SD, p, o + L);
            DoubleVector x0 = DoubleVector.broadcast(SD, a[x]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            DoubleVector x1 = DoubleVector.broadcast(SD, a[x + 1]);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            DoubleVector x2 = DoubleVector.broadcast(SD, a[x + 2]);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            DoubleVector x3 = DoubleVector.broadcast(SD, a[x + 3]);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
        }
        c00.intoArray(t, 0);
        c01.intoArray(t, L);
        c10.intoArray(t, NR);
        c11.intoArray(t, NR + L);
        c20.intoArray(t, 2 * NR);
        c21.intoArray(t, 2 * NR + L);
        c30.intoArray(t, 3 * NR);
        c31.intoArray(t, 3 * NR + L);
    }
}
