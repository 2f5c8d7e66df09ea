package dev.simdgrad.kernels.internal.gemm;

/**
 * {@code c := alpha a B + beta c} for C of one row (m = 1) and B not transposed, computed along the row of C
 * without the register tile: the bias gradient of a dense layer, {@code 1^T D} over the batch, is this shape. The
 * loops would pad the row to MR and B's last panel to NR, packing both, for one useful row in twelve.
 *
 * <p>Same bits as the loops: per element of C, per depth block of {@code kcb} (the loops' {@link GemmDriver#kcFor}),
 * an FMA chain in depth order starting from 0, then the loops' update of C ({@code x = acc * alpha}; C overwritten
 * by x in the first block when beta is 0, otherwise {@code x + c * beta} in the first block and {@code x + c}
 * after it). So which of the two paths a shape takes never changes its result.
 *
 * <p>Vector widths only: the scalar kernel's chains are FMA chains only where the JVM has hardware FMA, and the
 * scalar path is a fallback not worth a second route.
 *
 * <p>a's element l is {@code a[ao + l*ls]}, B's (l, j) is {@code b[bo + l*ldb + j]}, c's element j is
 * {@code c[co + j]}. Arguments are validated by the caller.
 */
public interface RowProduct {
    void compute(int n, int k, int kcb, float alpha, float[] a, int ao, int ls, float[] b, int bo, int ldb,
                 float beta, float[] c, int co);
}
