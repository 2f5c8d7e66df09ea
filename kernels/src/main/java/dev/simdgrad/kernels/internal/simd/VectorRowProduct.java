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
                boolean first = pc == 0;
                update(s0, alpha, beta, first, c, co + j);
                update(s1, alpha, beta, first, c, co + j + L);
                update(s2, alpha, beta, first, c, co + j + 2 * L);
                update(s3, alpha, beta, first, c, co + j + 3 * L);
            }
        }
        for (; j <= n - L; j += L) {
            for (int pc = 0; pc < k; pc += kcb) {
                int end = Math.min(k, pc + kcb);
                FloatVector s = FloatVector.zero(S);
                for (int l = pc; l < end; l++) {
                    s = FloatVector.broadcast(S, a[ao + l * ls]).fma(FloatVector.fromArray(S, b, bo + l * ldb + j), s);
                }
                update(s, alpha, beta, pc == 0, c, co + j);
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
                FloatVector x = s.mul(alpha);
                boolean first = pc == 0;
                if (!(first && beta == 0f)) {
                    x = x.add(FloatVector.fromArray(S, c, co + j, m).mul(first ? beta : 1f));
                }
                x.intoArray(c, co + j, m);
            }
        }
    }

    private static void update(FloatVector acc, float alpha, float beta, boolean first, float[] c, int o) {
        FloatVector x = acc.mul(alpha);
        if (first && beta == 0f) {
            x.intoArray(c, o);
        } else {
            x.add(FloatVector.fromArray(S, c, o).mul(first ? beta : 1f)).intoArray(c, o);
        }
    }
}
