package dev.simdgrad.kernels.internal.simd;

import dev.simdgrad.kernels.internal.KernelProvider;
import dev.simdgrad.kernels.internal.agg.RowSum;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowSum} on the Vector API at the width the provider chose: one class for 128, 256 and 512 bits, the species
 * a constant computed at class load (so C2 sees a fixed shape). Four vectors per iteration keep the loads in flight;
 * the tail is the scalar loop. C2's own vectorization of the scalar loop measured about 2x slower here (a plain Java
 * harness, 128 x 200,704 floats, blocks of 4,096: 24-32 ms against 12-15 ms per mean).
 */
final class VectorRowSum implements RowSum {
    static final VectorSpecies<Float> S =
            VectorSpecies.of(float.class, VectorShape.forBitSize(KernelProvider.choice().bits()));
    static final int L = S.length();

    @Override
    public void add(float[] acc, float[] g, int p, int w) {
        int j = 0;
        for (; j <= w - 4 * L; j += 4 * L) {
            FloatVector.fromArray(S, acc, j).add(FloatVector.fromArray(S, g, p + j)).intoArray(acc, j);
            FloatVector.fromArray(S, acc, j + L).add(FloatVector.fromArray(S, g, p + j + L)).intoArray(acc, j + L);
            FloatVector.fromArray(S, acc, j + 2 * L).add(FloatVector.fromArray(S, g, p + j + 2 * L))
                    .intoArray(acc, j + 2 * L);
            FloatVector.fromArray(S, acc, j + 3 * L).add(FloatVector.fromArray(S, g, p + j + 3 * L))
                    .intoArray(acc, j + 3 * L);
        }
        for (; j <= w - L; j += L) {
            FloatVector.fromArray(S, acc, j).add(FloatVector.fromArray(S, g, p + j)).intoArray(acc, j);
        }
        for (; j < w; j++) {
            acc[j] += g[p + j];
        }
    }

    @Override
    public void add4(float[] acc, float[] g, int p, int ld, int w) {
        int p1 = p + ld, p2 = p + 2 * ld, p3 = p + 3 * ld;
        int j = 0;
        for (; j <= w - 2 * L; j += 2 * L) {
            FloatVector a = FloatVector.fromArray(S, acc, j), b = FloatVector.fromArray(S, acc, j + L);
            a = a.add(FloatVector.fromArray(S, g, p + j));
            b = b.add(FloatVector.fromArray(S, g, p + j + L));
            a = a.add(FloatVector.fromArray(S, g, p1 + j));
            b = b.add(FloatVector.fromArray(S, g, p1 + j + L));
            a = a.add(FloatVector.fromArray(S, g, p2 + j));
            b = b.add(FloatVector.fromArray(S, g, p2 + j + L));
            a = a.add(FloatVector.fromArray(S, g, p3 + j));
            b = b.add(FloatVector.fromArray(S, g, p3 + j + L));
            a.intoArray(acc, j);
            b.intoArray(acc, j + L);
        }
        for (; j < w; j++) {
            acc[j] = (((acc[j] + g[p + j]) + g[p1 + j]) + g[p2 + j]) + g[p3 + j];
        }
    }

    @Override
    public void addScaled(float[] acc, int ao, float s, float[] g, int p, int w) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int j = 0;
        for (; j <= w - 2 * L; j += 2 * L) {
            FloatVector.fromArray(S, acc, ao + j).add(sv.mul(FloatVector.fromArray(S, g, p + j)))
                    .intoArray(acc, ao + j);
            FloatVector.fromArray(S, acc, ao + j + L).add(sv.mul(FloatVector.fromArray(S, g, p + j + L)))
                    .intoArray(acc, ao + j + L);
        }
        for (; j <= w - L; j += L) {
            FloatVector.fromArray(S, acc, ao + j).add(sv.mul(FloatVector.fromArray(S, g, p + j)))
                    .intoArray(acc, ao + j);
        }
        for (; j < w; j++) {
            acc[ao + j] += s * g[p + j];
        }
    }

    @Override
    public void addScaled4(float[] acc, int ao, float s0, float s1, float s2, float s3, float[] g, int p0, int p1,
                           int p2, int p3, int w) {
        FloatVector v0 = FloatVector.broadcast(S, s0), v1 = FloatVector.broadcast(S, s1);
        FloatVector v2 = FloatVector.broadcast(S, s2), v3 = FloatVector.broadcast(S, s3);
        int j = 0;
        for (; j <= w - 2 * L; j += 2 * L) {
            FloatVector a = FloatVector.fromArray(S, acc, ao + j), b = FloatVector.fromArray(S, acc, ao + j + L);
            a = a.add(v0.mul(FloatVector.fromArray(S, g, p0 + j)));
            b = b.add(v0.mul(FloatVector.fromArray(S, g, p0 + j + L)));
            a = a.add(v1.mul(FloatVector.fromArray(S, g, p1 + j)));
            b = b.add(v1.mul(FloatVector.fromArray(S, g, p1 + j + L)));
            a = a.add(v2.mul(FloatVector.fromArray(S, g, p2 + j)));
            b = b.add(v2.mul(FloatVector.fromArray(S, g, p2 + j + L)));
            a = a.add(v3.mul(FloatVector.fromArray(S, g, p3 + j)));
            b = b.add(v3.mul(FloatVector.fromArray(S, g, p3 + j + L)));
            a.intoArray(acc, ao + j);
            b.intoArray(acc, ao + j + L);
        }
        for (; j < w; j++) {
            acc[ao + j] = (((acc[ao + j] + s0 * g[p0 + j]) + s1 * g[p1 + j]) + s2 * g[p2 + j]) + s3 * g[p3 + j];
        }
    }

    @Override
    public void addScaled8(float[] acc, int ao, float[] s, int[] p, int q, int c0, float[] g, int w) {
        FloatVector v0 = FloatVector.broadcast(S, s[q]), v1 = FloatVector.broadcast(S, s[q + 1]);
        FloatVector v2 = FloatVector.broadcast(S, s[q + 2]), v3 = FloatVector.broadcast(S, s[q + 3]);
        FloatVector v4 = FloatVector.broadcast(S, s[q + 4]), v5 = FloatVector.broadcast(S, s[q + 5]);
        FloatVector v6 = FloatVector.broadcast(S, s[q + 6]), v7 = FloatVector.broadcast(S, s[q + 7]);
        int p0 = p[q] + c0, p1 = p[q + 1] + c0, p2 = p[q + 2] + c0, p3 = p[q + 3] + c0;
        int p4 = p[q + 4] + c0, p5 = p[q + 5] + c0, p6 = p[q + 6] + c0, p7 = p[q + 7] + c0;
        int j = 0;
        for (; j <= w - 2 * L; j += 2 * L) {
            FloatVector a = FloatVector.fromArray(S, acc, ao + j), b = FloatVector.fromArray(S, acc, ao + j + L);
            a = a.add(v0.mul(FloatVector.fromArray(S, g, p0 + j)));
            b = b.add(v0.mul(FloatVector.fromArray(S, g, p0 + j + L)));
            a = a.add(v1.mul(FloatVector.fromArray(S, g, p1 + j)));
            b = b.add(v1.mul(FloatVector.fromArray(S, g, p1 + j + L)));
            a = a.add(v2.mul(FloatVector.fromArray(S, g, p2 + j)));
            b = b.add(v2.mul(FloatVector.fromArray(S, g, p2 + j + L)));
            a = a.add(v3.mul(FloatVector.fromArray(S, g, p3 + j)));
            b = b.add(v3.mul(FloatVector.fromArray(S, g, p3 + j + L)));
            a = a.add(v4.mul(FloatVector.fromArray(S, g, p4 + j)));
            b = b.add(v4.mul(FloatVector.fromArray(S, g, p4 + j + L)));
            a = a.add(v5.mul(FloatVector.fromArray(S, g, p5 + j)));
            b = b.add(v5.mul(FloatVector.fromArray(S, g, p5 + j + L)));
            a = a.add(v6.mul(FloatVector.fromArray(S, g, p6 + j)));
            b = b.add(v6.mul(FloatVector.fromArray(S, g, p6 + j + L)));
            a = a.add(v7.mul(FloatVector.fromArray(S, g, p7 + j)));
            b = b.add(v7.mul(FloatVector.fromArray(S, g, p7 + j + L)));
            a.intoArray(acc, ao + j);
            b.intoArray(acc, ao + j + L);
        }
        for (; j < w; j++) {
            float x = acc[ao + j];
            x += s[q] * g[p0 + j];
            x += s[q + 1] * g[p1 + j];
            x += s[q + 2] * g[p2 + j];
            x += s[q + 3] * g[p3 + j];
            x += s[q + 4] * g[p4 + j];
            x += s[q + 5] * g[p5 + j];
            x += s[q + 6] * g[p6 + j];
            x += s[q + 7] * g[p7 + j];
            acc[ao + j] = x;
        }
    }

    @Override
    public void scale(float[] out, int oo, float s, float[] g, int p, int w) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int j = 0;
        for (; j <= w - 2 * L; j += 2 * L) {
            sv.mul(FloatVector.fromArray(S, g, p + j)).intoArray(out, oo + j);
            sv.mul(FloatVector.fromArray(S, g, p + j + L)).intoArray(out, oo + j + L);
        }
        for (; j <= w - L; j += L) {
            sv.mul(FloatVector.fromArray(S, g, p + j)).intoArray(out, oo + j);
        }
        for (; j < w; j++) {
            out[oo + j] = s * g[p + j];
        }
    }

    @Override
    public void divide(float[] out, int oo, float[] acc, float n, int w) {
        // C2 leaves the scalar loop unvectorized (out and acc may be the same array): 81 us for the 50,890
        // coordinates of a 784-64-10 network, the whole cost of a 2-row mean
        int j = 0;
        for (; j <= w - L; j += L) {
            FloatVector.fromArray(S, acc, j).div(n).intoArray(out, oo + j);
        }
        for (; j < w; j++) {
            out[oo + j] = acc[j] / n;
        }
    }
}
