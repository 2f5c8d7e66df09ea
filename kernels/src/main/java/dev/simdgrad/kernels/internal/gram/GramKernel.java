package dev.simdgrad.kernels.internal.gram;

/**
 * Dot products of rows in double, at one vector width: the inner loop of the Gram matrices. Rows are blocks of
 * doubles, row i at {@code a[i * stride]}, {@code len} values each (the driver pads a block to a multiple of 8
 * with zeros, which add nothing).
 *
 * <p>Each product of two floats is exact in double (24 + 24 bits of significand fit in 53), so the only roundings
 * are those of the double sums. The order of the sums is fixed for an implementation (the scalar one sums each
 * entry over k in order, the vector one too, one entry per lane; neither uses a {@code reduceLanes}, whose order
 * the Vector API leaves open), so a call gives the same bits every time.
 *
 * <p>Unchecked: the public classes validate first.
 */
public interface GramKernel {
    /** Lanes per double vector (1 for scalar). */
    int lanes();

    /**
     * {@code acc[ao + i * lda + j] += sum_{k < len} a[i*stride + k] * a[j*stride + k]} for {@code j <= i < n} (the
     * lower triangle and the diagonal).
     */
    void lower(double[] a, int stride, int n, int len, double[] acc, int ao, int lda);

    /**
     * {@code acc[ao + i * lda + j] += sum_{k < len} a[i*stride + k] * b[j*stride + k]} for {@code i < n},
     * {@code j < m}.
     */
    void cross(double[] a, double[] b, int stride, int n, int m, int len, double[] acc, int ao, int lda);
}
