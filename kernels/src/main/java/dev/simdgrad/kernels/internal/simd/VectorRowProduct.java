package dev.simdgrad.kernels.internal.simd;

import dev.simdgrad.kernels.internal.KernelProvider;
import dev.simdgrad.kernels.internal.gemm.RowProduct;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowProduct} on the Vector API at the width the provider chose: four (then one) vectors of C's row at a
 * time, each lane its column's FMA chain per depth block, a's element broadcast; the columns past the last whole
 * vector in one masked vector (the same chains; masked lanes are neither read nor written).
 *
 * <p>The update of C ({@code x = acc * alpha}, then x or {@code x + c * beta'}) is written out at each use, not in a
 * helper taking vectors: a vector passed to a method C2 does not inline is boxed, and with such a helper the path
 * allocated 384-1,536 bytes per call in some JVMs ({@code SgemmAllocationTest}, 1 x 256 x 128 and 1 x 100 x 300).
 */
final class VectorRowProduct implements RowProduct {
    static final VectorSpecies<Float> S =
            VectorSpecies.of(float.class, VectorShape.forBitSize(KernelProvider.choice().bits()));
    static final int L = S.length();

    @Override
    public void compute(int n, int k, int kcb, float alpha, float[] a, int ao, int ls, float[] b, int bo, int ldb,
                        float beta, float[] c, int co) {
        int j = 0;
        for (; j <= n - 4 * L; j += 4 * L) {
            for (int pc = 0; pc < k; pc += kcb) {
                int end = Math.min(k, pc + kcb);
                FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                for (int l = pc; l < end; l++) {
                    FloatVector x = FloatVector.broadcast(S, a[ao + l * ls]);
                    int p = bo + l * ldb + j;
                    s0 = x.fma(FloatVector.fromArray(S, b, p), s0);
                    s1 = x.fma(FloatVector.fromArray(S, b, p + L), s1);
                    s2 = x.fma(FloatVector.fromArray(S, b, p + 2 * L), s2);
                    s3 = x.fma(FloatVector.fromArray(S, b, p + 3 * L), s3);
                }
                boolean overwrite = pc == 0 && beta == 0f;
                float bb = pc == 0 ? beta : 1f;
                int o = co + j;
                (overwrite ? s0.mul(alpha) : s0.mul(alpha).add(FloatVector.fromArray(S, c, o).mul(bb)))
                        .intoArray(c, o);
                (overwrite ? s1.mul(alpha) : s1.mul(alpha).add(FloatVector.fromArray(S, c, o + L).mul(bb)))
                        .intoArray(c, o + L);
                (overwrite ? s2.mul(alpha) : s2.mul(alpha).add(FloatVector.fromArray(S, c, o + 2 * L).mul(bb)))
                        .intoArray(c, o + 2 * L);
                (overwrite ? s3.mul(alpha) : s3.mul(alpha).add(FloatVector.fromArray(S, c, o + 3 * L).mul(bb)))
                        .intoArray(c, o + 3 * L);
            }
        }
        for (; j <= n - L; j += L) {
            for (int pc = 0; pc < k; pc += kcb) {
                int end = Math.min(k, pc + kcb);
                FloatVector s = FloatVector.zero(S);
                for (int l = pc; l < end; l++) {
                    s = FloatVector.broadcast(S, a[ao + l * ls]).fma(FloatVector.fromArray(S, b, bo + l * ldb + j), s);
                }
                int o = co + j;
                (pc == 0 && beta == 0f ? s.mul(alpha)
                        : s.mul(alpha).add(FloatVector.fromArray(S, c, o).mul(pc == 0 ? beta : 1f))).intoArray(c, o);
            }
        }
        if (j < n) {
            // the last columns as one masked vector: a scalar chain per column would wait on the FMA latency
            VectorMask<Float> m = S.indexInRange(j, n);
            for (int pc = 0; pc < k; pc += kcb) {
                int end = Math.min(k, pc + kcb);
                FloatVector s = FloatVector.zero(S);
                for (int l = pc; l < end; l++) {
                    s = FloatVector.broadcast(S, a[ao + l * ls]).fma(FloatVector.fromArray(S, b, bo + l * ldb + j, m), s);
                }
                int o = co + j;
                (pc == 0 && beta == 0f ? s.mul(alpha)
                        : s.mul(alpha).add(FloatVector.fromArray(S, c, o, m).mul(pc == 0 ? beta : 1f)))
                        .intoArray(c, o, m);
            }
        }
    }
}
