package dev.simdgrad.kernels.internal.gram;

/**
 * Dot products of rows in double, at one vector width: the inner loop of the Gram matrices. The rows come packed by
 * the driver in panels of {@link #panelRows()} rows, depth-major: element (row j, depth k) of a block of
 * {@code len} columns is at {@code ((j / R) * len + k) * R + j % R}, R = panelRows() (R = 1 is plain row-major),
 * with the rows past the last padded with zeros up to a multiple of R (zeros add nothing).
 *
 * <p>Each product of two floats is exact in double (24 + 24 bits of significand fit in 53), so the only roundings
 * are those of the double sums. Every entry is summed over k in order (the vector kernel keeps one entry per lane
 * and never uses a {@code reduceLanes}, whose order the Vector API leaves open), so a call gives the same bits
 * every time.
 *
 * <p>Unchecked: the public classes validate first.
 */
public interface GramKernel {
    /** R, the rows per packed panel: 1 for scalar, a multiple of 4 for the vector kernel. */
    int panelRows();

    /**
     * {@code acc[ao + i * lda + j] += sum_{k < len} a(i, k) a(j, k)} for {@code j <= i < n} (the lower triangle and
     * the diagonal), a packed as described above.
     */
    void lower(double[] a, int n, int len, double[] acc, int ao, int lda);

    /** {@code acc[ao + i * lda + j] += sum_{k < len} a(i, k) b(j, k)} for {@code i < n}, {@code j < m}, both packed. */
    void cross(double[] a, double[] b, int n, int m, int len, double[] acc, int ao, int lda);
}
