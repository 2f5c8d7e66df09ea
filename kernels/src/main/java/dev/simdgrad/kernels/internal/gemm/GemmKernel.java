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
     * The micro-kernel: the first {@code rows} rows of {@code tile[0:MR*NR]} (row-major, row stride NR) := A B,
     * each element one FMA chain in depth order, where A is a rows x kc block with element {@code (r, l)} at
     * {@code a[ao + r*rs + l*ls]} and B a kc x NR block with element {@code (l, j)} at {@code b[bo + l*ldb + j]}.
     * The layouts the driver passes: A packed ({@code rs = 1, ls = MR}), stored transposed and read in place
     * ({@code rs = 1, ls = lda}) or stored as is and read in place ({@code rs = lda, ls = 1}); B packed
     * ({@code ldb = NR}) or read in place ({@code ldb}). Each element gets the same products in the same order
     * whatever the layout and the row count, so where A and B were read never shows in C.
     *
     * <p>{@code rows} is MR, or the row count of a last panel ({@code 1 <= rows < MR}): the kernel reads, computes
     * and writes {@link #kernelRows kernelRows(rows)} rows, so a panel of fewer rows must be packed and zero-padded.
     */
    default void kernel(int rows, int kc, float[] a, int ao, int rs, int ls, float[] b, int bo, int ldb,
                        float[] tile) {
        kernel(rows, kc, a, ao, rs, ls, b, bo, ldb, 1f, tile, 0, nr());
    }

    /**
     * {@link #kernel(int, int, float[], int, int, int, float[], int, int, float[])} times {@code alpha} (each element
     * {@code acc * alpha}, one rounding; exact for alpha 1), written anywhere: row {@code r} at
     * {@code d[dOff + r*ldd]}, NR floats. The driver passes C itself when C := alpha A B is the whole update (beta 0,
     * the first depth block), and the tile with alpha 1 otherwise.
     */
    void kernel(int rows, int kc, float[] a, int ao, int rs, int ls, float[] b, int bo, int ldb,
                float alpha, float[] d, int dOff, int ldd);

    /**
     * The rows the kernel reads, computes and writes for a panel of {@code rows} rows ({@code 1 <= rows <= MR}): the
     * smallest of its row variants that holds them.
     */
    default int kernelRows(int rows) {
        return mr();
    }

    /**
     * Columns of the narrow kernel ({@link #kernelNarrow}), 0 if this kernel has none: a last panel of B of at most
     * this many columns is computed by it rather than by the full tile, half of which would be padding.
     */
    default int narrowColumns() {
        return 0;
    }

    /**
     * {@link #kernel} for the first {@link #narrowColumns()} columns of the tile only (the others are not written):
     * the same products in the same order per element, so the same bits. B's rows need only that many readable
     * columns.
     */
    default void kernelNarrow(int rows, int kc, float[] a, int ao, int rs, int ls, float[] b, int bo, int ldb,
                              float[] tile) {
        kernelNarrow(rows, kc, a, ao, rs, ls, b, bo, ldb, 1f, tile, 0, nr());
    }

    /**
     * {@link #kernelNarrow(int, int, float[], int, int, int, float[], int, int, float[])} times {@code alpha}, row r
     * written at {@code d[dOff + r*ldd]} (as {@link #kernel(int, int, float[], int, int, int, float[], int, int,
     * float, float[], int, int)}).
     */
    default void kernelNarrow(int rows, int kc, float[] a, int ao, int rs, int ls, float[] b, int bo, int ldb,
                              float alpha, float[] d, int dOff, int ldd) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no narrow kernel");
    }

    /**
     * Writes a full MR x NR tile into C: {@code C := (tile * alpha) + (C * beta')} with {@code beta' = first ? beta
     * : 1}, every operation rounded to float (so {@link #updateEdge} repeats it bit for bit). When
     * {@code first && beta == 0}, C is not read.
     */
    void update(float[] tile, float alpha, float beta, boolean first, float[] c, int co, int ldc);

    /**
     * The update of {@link #update} for the top-left {@code rows x cols} part of the tile (a tile at an edge of C),
     * with the same operations per element, so the same bits. Vector kernels override it; this one is
     * {@link #updateEdge}.
     */
    default void updatePart(float[] tile, int rows, int cols, float alpha, float beta, boolean first, float[] c,
                            int co, int ldc) {
        updateEdge(tile, nr(), rows, cols, alpha, beta, first, c, co, ldc);
    }

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
