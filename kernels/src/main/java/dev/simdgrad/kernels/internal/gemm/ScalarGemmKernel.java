package dev.simdgrad.kernels.internal.gemm;

/**
 * The plain-Java SGEMM micro-kernel: a 4 x 4 register tile in sixteen local accumulators. It is the fallback when
 * the Vector API is unavailable and the path forced by {@code simdgrad.vector.bits=0}.
 *
 * <p>With hardware FMA it accumulates with {@code Math.fma}, each element the same depth-ordered FMA chain as a
 * vector lane, and it has the same unpacked path for small products ({@link #smallNotTransB}), so it gives the
 * vector kernels' bits exactly: SGEMM's result does not depend on the width. Without FMA ({@code -XX:-UseFMA}, or
 * a CPU without it) {@code Math.fma} is emulated in software, hundreds of times slower, so the kernel then uses a
 * separate multiply and add (one more rounding per product, within the same error bound) and the packed path
 * only; the vector kernels are never used without FMA, so there is nothing to agree with.
 */
public final class ScalarGemmKernel implements GemmKernel {
    static final int MR = 4;
    static final int NR = 4;

    private final boolean fma;

    /** @param fma whether the JVM has hardware FMA ({@code Math.fma} intrinsified) */
    public ScalarGemmKernel(boolean fma) {
        this.fma = fma;
    }

    @Override public int mr() { return MR; }
    @Override public int nr() { return NR; }
    @Override public int vectorBits() { return 0; }

    /** Always the full 4 x 4 tile ({@code rows} is at most MR, and padding rows are readable by contract). */
    @Override
    public void kernel(int rows, int kc, float[] a, int ao, int rs, int ls, float[] b, int bo, int ldb,
                       float alpha, float[] d, int dOff, int ldd) {
        if (fma) {
            kernelFma(kc, a, ao, rs, ls, b, bo, ldb, alpha, d, dOff, ldd);
        } else {
            kernelMulAdd(kc, a, ao, rs, ls, b, bo, ldb, alpha, d, dOff, ldd);
        }
    }

    /** op(A) element (r, l) at {@code a[ao + r*rs + l*ls]}, B's (l, j) at {@code b[bo + l*ldb + j]}; one FMA chain per
     * element of C, in depth order. */
    private static void kernelFma(int kc, float[] a, int ao, int rs, int ls, float[] b, int bo, int ldb,
                                  float alpha, float[] d, int o, int ldd) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int l = 0; l < kc; l++) {
            int pa = ao + l * ls, pb = bo + l * ldb;
            float b0 = b[pb], b1 = b[pb + 1], b2 = b[pb + 2], b3 = b[pb + 3];
            float a0 = a[pa], a1 = a[pa + rs], a2 = a[pa + 2 * rs], a3 = a[pa + 3 * rs];
            c00 = Math.fma(a0, b0, c00); c01 = Math.fma(a0, b1, c01);
            c02 = Math.fma(a0, b2, c02); c03 = Math.fma(a0, b3, c03);
            c10 = Math.fma(a1, b0, c10); c11 = Math.fma(a1, b1, c11);
            c12 = Math.fma(a1, b2, c12); c13 = Math.fma(a1, b3, c13);
            c20 = Math.fma(a2, b0, c20); c21 = Math.fma(a2, b1, c21);
            c22 = Math.fma(a2, b2, c22); c23 = Math.fma(a2, b3, c23);
            c30 = Math.fma(a3, b0, c30); c31 = Math.fma(a3, b1, c31);
            c32 = Math.fma(a3, b2, c32); c33 = Math.fma(a3, b3, c33);
        }
        row(d, o, alpha, c00, c01, c02, c03);
        row(d, o + ldd, alpha, c10, c11, c12, c13);
        row(d, o + 2 * ldd, alpha, c20, c21, c22, c23);
        row(d, o + 3 * ldd, alpha, c30, c31, c32, c33);
    }

    /** {@link #kernelFma} with a separate multiply and add (no hardware FMA). */
    private static void kernelMulAdd(int kc, float[] a, int ao, int rs, int ls, float[] b, int bo, int ldb,
                                     float alpha, float[] d, int o, int ldd) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int l = 0; l < kc; l++) {
            int pa = ao + l * ls, pb = bo + l * ldb;
            float b0 = b[pb], b1 = b[pb + 1], b2 = b[pb + 2], b3 = b[pb + 3];
            float a0 = a[pa], a1 = a[pa + rs], a2 = a[pa + 2 * rs], a3 = a[pa + 3 * rs];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        row(d, o, alpha, c00, c01, c02, c03);
        row(d, o + ldd, alpha, c10, c11, c12, c13);
        row(d, o + 2 * ldd, alpha, c20, c21, c22, c23);
        row(d, o + 3 * ldd, alpha, c30, c31, c32, c33);
    }

    /** One row of the result, each element {@code x * alpha}, at {@code d[o .. o + 3]}. */
    private static void row(float[] d, int o, float alpha, float x0, float x1, float x2, float x3) {
        d[o] = x0 * alpha;
        d[o + 1] = x1 * alpha;
        d[o + 2] = x2 * alpha;
        d[o + 3] = x3 * alpha;
    }

    @Override
    public void update(float[] tile, float alpha, float beta, boolean first, float[] c, int co, int ldc) {
        GemmKernel.updateEdge(tile, NR, MR, NR, alpha, beta, first, c, co, ldc);
    }

    /**
     * The vector kernels' unpacked small path, element by element ({@link GemmKernel#smallTail} for every column):
     * with it a small product is one FMA chain over the whole depth at every width, as it is for the vector kernels
     * (the packed path would split a depth above 256 into blocks and round differently). Only with FMA.
     */
    @Override
    public boolean smallNotTransB(boolean ta, int m, int n, int k, float alpha, float[] a, int ao, int lda,
                                  float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
        if (!fma) {
            return false;
        }
        int rs = ta ? 1 : lda, ls = ta ? lda : 1; // strides of op(A) along its rows and along the depth
        for (int i = 0; i < m; i++) {
            GemmKernel.smallTail(0, n, k, alpha, a, ao + i * rs, ls, b, bo, ldb, beta, c, co + i * ldc);
        }
        return true;
    }

    @Override
    public void packB(boolean trans, float[] b, int bo, int ldb, int kc, int nc, float[] dst, int dOff) {
        if (trans) {
            GemmKernel.packTransposed(b, bo, ldb, kc, nc, NR, dst, dOff);
        } else {
            GemmKernel.packCopy(b, bo, ldb, kc, nc, NR, dst, dOff);
        }
    }

    @Override
    public void packA(boolean trans, float[] a, int ao, int lda, int mc, int kc, float[] dst) {
        if (trans) {
            GemmKernel.packCopy(a, ao, lda, kc, mc, MR, dst, 0);
        } else {
            GemmKernel.packTransposed(a, ao, lda, kc, mc, MR, dst, 0);
        }
    }
}
