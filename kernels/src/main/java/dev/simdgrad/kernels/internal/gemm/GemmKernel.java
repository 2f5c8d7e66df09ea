package dev.simdgrad.kernels.internal.gemm;

/**
 * One SGEMM micro-kernel and the packing routines that feed it, for one vector width.
 *
 * <p>Packed layouts (BLIS): op(A) is packed into micro-panels of {@link #mr()} rows, panel {@code p} at
 * {@code p * kc * MR}, element {@code (p*MR + r, l)} at {@code p*kc*MR + l*MR + r}; op(B) into micro-panels of
 * {@link #nr()} columns, element {@code (l, p*NR + j)} at {@code p*kc*NR + l*NR + j}. Edges are zero-padded, so
 * the micro-kernel only ever sees full panels.
 *
 * <p>Implementations are unchecked: the public entry points validate every index first.
 */
public interface GemmKernel {
    /** Rows of the register tile (broadcast dimension). */
    int mr();

    /** Columns of the register tile (vector dimension). */
    int nr();

    /** Vector width in bits, 0 for the scalar kernel. */
    int vectorBits();

    /**
     * The micro-kernel: {@code tile[0:MR*NR] := Ap * Bp} (row-major, row stride NR), where Ap is one packed MR x kc
     * micro-panel and Bp one packed kc x NR micro-panel, accumulated with FMA in depth order.
     */
    void kernel(int kc, float[] ap, int apo, float[] bp, int bpo, float[] tile);

    /**
     * {@link #kernel} with op(A) read in place instead of from a packed micro-panel, for A stored transposed: element
     * {@code (r, l)} of the MR x kc micro-panel at {@code a[ao + l*lda + r]}. The same products in the same order as
     * {@link #kernel} on the packed copy, so the same bits: whether A was packed never shows in C.
     */
    void kernelAt(int kc, float[] a, int ao, int lda, float[] bp, int bpo, float[] tile);

    /**
     * {@link #kernel} for a micro-panel of A of which only the first {@code rows} rows ({@code 1 <= rows <= MR}) are
     * wanted (the last panel of a block, zero-padded): writes at least those rows of the tile, each element with the
     * products of {@link #kernel} in the same order, so the same bits. A kernel may spend fewer multiply-adds on
     * the padding; by default it computes the whole tile.
     */
    default void kernelRows(int rows, int kc, float[] ap, int apo, float[] bp, int bpo, float[] tile) {
        kernel(kc, ap, apo, bp, bpo, tile);
    }

    /**
     * Writes a full MR x NR tile into C: {@code C := (tile * alpha) + (C * beta')} with {@code beta' = first ? beta
     * : 1}, every operation rounded to float (so {@link #updateEdge} repeats it bit for bit). When
     * {@code first && beta == 0}, C is not read.
     */
    void update(float[] tile, float alpha, float beta, boolean first, float[] c, int co, int ldc);

    /** The update of {@link #update} for the top-left {@code mr x nr} part of a tile at an edge of C, in scalar code. */
    static void updateEdge(float[] tile, int nrTile, int mr, int nr, float alpha, float beta, boolean first,
                           float[] c, int co, int ldc) {
        boolean overwrite = first && beta == 0f;
        float bb = first ? beta : 1f;
        for (int i = 0; i < mr; i++) {
            int o = co + i * ldc, t = i * nrTile;
            for (int j = 0; j < nr; j++) {
                float x = tile[t + j] * alpha;
                c[o + j] = overwrite ? x : x + c[o + j] * bb;
            }
        }
    }

    /**
     * The unpacked path for small products with B not transposed: {@code C := alpha op(A) B + beta C} computed in
     * place, each element a depth-ordered FMA chain, then {@code (acc * alpha) + (C * beta)}; C is not read when
     * {@code beta == 0}. Returns {@code false}, computing nothing, if this kernel has no such path.
     */
    default boolean smallNotTransB(boolean ta, int m, int n, int k, float alpha, float[] a, int ao, int lda,
                                   float[] b, int bo, int ldb, float beta, float[] c, int co, int ldc) {
        return false;
    }

    /**
     * Columns {@code [j0, n)} of one row of the small path in scalar code: per element the same depth-ordered FMA
     * chain and update as a vector lane, so the bits match whichever part computed a column.
     */
    static void smallTail(int j0, int n, int k, float alpha, float[] a, int pa, int ls,
                          float[] b, int bo, int ldb, float beta, float[] c, int o) {
        for (int j = j0; j < n; j++) {
            float acc = 0f;
            for (int l = 0; l < k; l++) {
                acc = Math.fma(a[pa + l * ls], b[bo + l * ldb + j], acc);
            }
            float r = acc * alpha;
            c[o + j] = beta != 0f ? r + c[o + j] * beta : r;
        }
    }

    /** Packs the kc x nc block of op(B) whose top-left element is {@code b[bo]} into {@code dst[dOff..]}. */
    void packB(boolean trans, float[] b, int bo, int ldb, int kc, int nc, float[] dst, int dOff);

    /** Packs the mc x kc block of op(A) whose top-left element is {@code a[ao]} into {@code dst[0..]}. */
    void packA(boolean trans, float[] a, int ao, int lda, int mc, int kc, float[] dst);

    /**
     * Packs {@code count} strided lines, line {@code q} starting at {@code src[off + q*ld]} and contiguous along the
     * depth, into panels of {@code r} lines: {@code dst[dOff + p*kc*r + l*r + j] = src[off + (p*r + j)*ld + l]}.
     * A transposition: done in blocks of {@code r} lines so every source line is read sequentially.
     */
    static void packTransposed(float[] src, int off, int ld, int kc, int count, int r, float[] dst, int dOff) {
        int d = dOff;
        for (int q0 = 0; q0 < count; q0 += r, d += kc * r) {
            int lines = Math.min(r, count - q0);
            for (int j = 0; j < lines; j++) {
                int s = off + (q0 + j) * ld;
                for (int l = 0, t = d + j; l < kc; l++, t += r) {
                    dst[t] = src[s + l];
                }
            }
            for (int j = lines; j < r; j++) {
                for (int l = 0, t = d + j; l < kc; l++, t += r) {
                    dst[t] = 0f;
                }
            }
        }
    }

    /**
     * Packs a block whose panel rows are contiguous in the source:
     * {@code dst[dOff + p*kc*r + l*r + j] = src[off + l*ld + p*r + j]}, zero-padded past {@code count}.
     */
    static void packCopy(float[] src, int off, int ld, int kc, int count, int r, float[] dst, int dOff) {
        int d = dOff;
        for (int q0 = 0; q0 < count; q0 += r) {
            int lines = Math.min(r, count - q0);
            for (int l = 0; l < kc; l++, d += r) {
                System.arraycopy(src, off + l * ld + q0, dst, d, lines);
                for (int j = lines; j < r; j++) {
                    dst[d + j] = 0f;
                }
            }
        }
    }
}
