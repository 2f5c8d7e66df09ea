package dev.simdgrad.kernels.internal.simd;

import dev.simdgrad.kernels.internal.KernelProvider;
import dev.simdgrad.kernels.internal.elementwise.ElementwiseKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ElementwiseKernel} on the Vector API at the width the provider chose (one class for 128, 256 and 512 bits,
 * the species a constant computed at class load). The same float operations per element as the scalar loops, in the
 * same order (mul then add or sub, never fma), so the same bits; the tails run the scalar loops.
 */
final class VectorElementwiseKernel implements ElementwiseKernel {
    static final VectorSpecies<Float> S =
            VectorSpecies.of(float.class, VectorShape.forBitSize(KernelProvider.choice().bits()));
    static final int L = S.length();

    @Override
    public void sgd(float[] theta, int to, float[] g, int go, int n, float lr, float wd) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector t = FloatVector.fromArray(S, theta, to + i);
            FloatVector d = FloatVector.fromArray(S, g, go + i).add(t.mul(wd));
            t.sub(d.mul(lr)).intoArray(theta, to + i);
        }
        ElementwiseKernel.SCALAR.sgd(theta, to + i, g, go + i, n - i, lr, wd);
    }

    @Override
    public void momentum(float[] theta, int to, float[] g, int go, float[] v, int vo, int n, float lr, float wd,
                         float mu, boolean nesterov) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector t = FloatVector.fromArray(S, theta, to + i);
            FloatVector gi = FloatVector.fromArray(S, g, go + i).add(t.mul(wd));
            FloatVector vi = FloatVector.fromArray(S, v, vo + i).mul(mu).add(gi);
            vi.intoArray(v, vo + i);
            FloatVector d = nesterov ? gi.add(vi.mul(mu)) : vi;
            t.sub(d.mul(lr)).intoArray(theta, to + i);
        }
        ElementwiseKernel.SCALAR.momentum(theta, to + i, g, go + i, v, vo + i, n - i, lr, wd, mu, nesterov);
    }

    @Override
    public void shifted(float[] x, int xo, float[] v, int vo, int n, float t, float[] out, int oo) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector.fromArray(S, x, xo + i).add(FloatVector.fromArray(S, v, vo + i).mul(t)).intoArray(out, oo + i);
        }
        ElementwiseKernel.SCALAR.shifted(x, xo + i, v, vo + i, n - i, t, out, oo + i);
    }

    @Override
    public void addBias(float[] z, int zo, int rows, int cols, int ldz, float[] b, int bo) {
        for (int r = 0; r < rows; r++) {
            int row = zo + r * ldz, c = 0;
            for (; c <= cols - L; c += L) {
                FloatVector.fromArray(S, z, row + c).add(FloatVector.fromArray(S, b, bo + c)).intoArray(z, row + c);
            }
            for (; c < cols; c++) {
                z[row + c] += b[bo + c];
            }
        }
    }

    @Override
    public void relu(float[] z, int zo, int n, float s, float[] a, int ao, float[] p, int po) {
        FloatVector zero = FloatVector.zero(S), sv = FloatVector.broadcast(S, s);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector x = FloatVector.fromArray(S, z, zo + i);
            VectorMask<Float> positive = x.compare(VectorOperators.GT, 0f);
            zero.blend(x.mul(s), positive).intoArray(a, ao + i);
            zero.blend(sv, positive).intoArray(p, po + i);
        }
        ElementwiseKernel.SCALAR.relu(z, zo + i, n - i, s, a, ao + i, p, po + i);
    }
}
