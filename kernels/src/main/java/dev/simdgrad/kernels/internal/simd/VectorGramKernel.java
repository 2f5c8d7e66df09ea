package dev.simdgrad.kernels.internal.simd;

import dev.simdgrad.kernels.internal.KernelProvider;
import dev.simdgrad.kernels.internal.gram.GramKernel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products in double on the Vector API, at the width the provider chose (one class for 128, 256 and 512 bits:
 * the species is a constant computed at class load, so C2 sees a fixed shape). One row against four at a time: five
 * loads per four FMAs, and four independent accumulators cover the FMA latency. The lanes of each accumulator are
 * stored and added in lane order (a {@code reduceLanes} may add them in any order, so its bits could differ between
 * the interpreter and compiled code).
 */
final class VectorGramKernel implements GramKernel {
    static final VectorSpecies<Double> SD =
            VectorSpecies.of(double.class, VectorShape.forBitSize(KernelProvider.choice().bits()));
    static final int L = SD.length();

    private static final ThreadLocal<double[]> LANES = ThreadLocal.withInitial(() -> new double[4 * L]);

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public void lower(double[] a, int stride, int n, int len, double[] acc, int ao, int lda) {
        double[] t = LANES.get();
        for (int i = 0; i < n; i++) {
            rowAgainst(a, i * stride, a, stride, i + 1, len, acc, ao + i * lda, t);
        }
    }

    @Override
    public void cross(double[] a, double[] b, int stride, int n, int m, int len, double[] acc, int ao, int lda) {
        double[] t = LANES.get();
        for (int i = 0; i < n; i++) {
            rowAgainst(a, i * stride, b, stride, m, len, acc, ao + i * lda, t);
        }
    }

    /** acc[o + j] += a[p..p+len) . b[j*stride..) for j < to; len is a multiple of L. */
    private static void rowAgainst(double[] a, int p, double[] b, int stride, int to, int len, double[] acc, int o,
                                   double[] t) {
        int j = 0;
        for (; j + 4 <= to; j += 4) {
            int q0 = j * stride, q1 = q0 + stride, q2 = q1 + stride, q3 = q2 + stride;
            DoubleVector s0 = DoubleVector.zero(SD), s1 = s0, s2 = s0, s3 = s0;
            for (int k = 0; k < len; k += L) {
                DoubleVector x = DoubleVector.fromArray(SD, a, p + k);
                s0 = x.fma(DoubleVector.fromArray(SD, b, q0 + k), s0);
                s1 = x.fma(DoubleVector.fromArray(SD, b, q1 + k), s1);
                s2 = x.fma(DoubleVector.fromArray(SD, b, q2 + k), s2);
                s3 = x.fma(DoubleVector.fromArray(SD, b, q3 + k), s3);
            }
            s0.intoArray(t, 0);
            s1.intoArray(t, L);
            s2.intoArray(t, 2 * L);
            s3.intoArray(t, 3 * L);
            acc[o + j] += lanes(t, 0);
            acc[o + j + 1] += lanes(t, L);
            acc[o + j + 2] += lanes(t, 2 * L);
            acc[o + j + 3] += lanes(t, 3 * L);
        }
        for (; j < to; j++) {
            int q = j * stride;
            DoubleVector s = DoubleVector.zero(SD);
            for (int k = 0; k < len; k += L) {
                s = DoubleVector.fromArray(SD, a, p + k).fma(DoubleVector.fromArray(SD, b, q + k), s);
            }
            s.intoArray(t, 0);
            acc[o + j] += lanes(t, 0);
        }
    }

    private static double lanes(double[] t, int from) {
        double s = 0;
        for (int q = 0; q < L; q++) {
            s += t[from + q];
        }
        return s;
    }
}
