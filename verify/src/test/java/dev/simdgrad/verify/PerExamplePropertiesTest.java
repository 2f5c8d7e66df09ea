package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.simdgrad.kernels.Coherence;
import dev.simdgrad.kernels.PerExample;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** {@link PerExample} and {@link Coherence} against {@link ReferencePerExample}. */
class PerExamplePropertiesTest {

    private static FusedAggregatePropertiesTest.Layer layer(int batch, int dOut, int dIn, long seed) {
        return FusedAggregatePropertiesTest.Layer.make(batch, dOut, dIn, 0, seed);
    }

    @Property(tries = 100)
    void squaredNormsMatchMaterialized(@ForAll @IntRange(min = 1, max = 40) int batch,
                                       @ForAll @IntRange(min = 1, max = 20) int dOut,
                                       @ForAll @IntRange(min = 1, max = 70) int dIn, @ForAll boolean bias,
                                       @ForAll long seed) {
        var l = layer(batch, dOut, dIn, seed);
        float[] n = new float[batch + 2];
        n[0] = 7f;
        PerExample.squaredNorms(batch, dOut, dIn, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(), l.ldx(), bias, false, n, 1);
        double[] ref = ReferencePerExample.squaredNorms(batch, dOut, dIn, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(),
                l.ldx(), bias);
        for (int i = 0; i < batch; i++) {
            assertClose("norm " + i, ref[i], n[1 + i], 1.0 + 1e-6);
        }
        assertEquals(7f, n[0]);
        // accumulate: a second layer (the same one again) doubles the norms
        PerExample.squaredNorms(batch, dOut, dIn, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(), l.ldx(), bias, true, n, 1);
        for (int i = 0; i < batch; i++) {
            assertClose("accumulated norm " + i, 2 * ref[i], n[1 + i], 2.0);
        }
    }

    private static void assertClose(String what, double ref, float k, double ulps) {
        double tol = ulps * Math.ulp((float) ref) + Float.MIN_VALUE;
        if (!(Math.abs(k - ref) <= tol)) {
            fail(what + ": kernel " + k + ", reference " + ref + ", error " + Math.abs(k - ref) + " > " + tol);
        }
    }

    @Property(tries = 100)
    void weightedGradientWithinBound(@ForAll @IntRange(min = 1, max = 40) int batch,
                                     @ForAll @IntRange(min = 1, max = 20) int dOut,
                                     @ForAll @IntRange(min = 1, max = 70) int dIn,
                                     @ForAll @IntRange(min = 0, max = 2) int weighting, @ForAll long seed) {
        var l = layer(batch, dOut, dIn, seed);
        float[] s = new float[batch];
        if (weighting == 0) {
            java.util.Arrays.fill(s, 1f / batch);
        } else if (weighting == 1) {
            float[] n = new float[batch];
            PerExample.squaredNorms(batch, dOut, dIn, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(), l.ldx(), true, false,
                    n, 0);
            PerExample.clipWeights(batch, n, 0, 1.5f, 1f / batch, s, 0);
            for (int i = 0; i < batch; i++) {
                assertClose("clip weight " + i, ReferencePerExample.clipWeight(n[i], 1.5f, 1f / batch), s[i], 1.0);
            }
        } else {
            java.util.Random r = new java.util.Random(seed);
            for (int i = 0; i < batch; i++) {
                s[i] = (float) r.nextGaussian();
            }
        }
        float[] gw = new float[dOut * dIn + 3], gb = new float[dOut];
        PerExample.weightedGradient(batch, dOut, dIn, s, 0, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(), l.ldx(), 0f,
                gw, 3, dIn, gb, 0);
        double[] mag = new double[dOut * dIn + dOut];
        double[] ref = ReferencePerExample.weightedSum(batch, dOut, dIn, s, 0, l.d(), l.dOff(), l.ldd(), l.x(),
                l.xOff(), l.ldx(), mag);
        for (int q = 0; q < ref.length; q++) {
            float k = q < dOut * dIn ? gw[3 + q] : gb[q - dOut * dIn];
            double tol = ErrorBounds.gamma(batch + 3) * mag[q] + 0.5 * Math.ulp((float) ref[q]) + Float.MIN_VALUE;
            if (!(Math.abs(k - ref[q]) <= tol)) {
                fail("coordinate " + q + ": kernel " + k + ", reference " + ref[q] + " > bound " + tol);
            }
        }
    }

    @Property(tries = 60)
    void gradientsAreTheProducts(@ForAll @IntRange(min = 1, max = 20) int batch,
                                 @ForAll @IntRange(min = 1, max = 9) int dOut,
                                 @ForAll @IntRange(min = 1, max = 70) int dIn, @ForAll boolean bias,
                                 @ForAll @IntRange(min = 0, max = 1000) int a, @ForAll @IntRange(min = 0, max = 1000) int b,
                                 @ForAll long seed) {
        var l = layer(batch, dOut, dIn, seed);
        int params = dOut * dIn + (bias ? dOut : 0);
        int from = a % params, count = b % (params - from + 1);
        int ldo = count + 2;
        float[] out = new float[batch * ldo + 1];
        java.util.Arrays.fill(out, Float.NaN);
        PerExample.gradients(batch, dOut, dIn, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(), l.ldx(), bias, from, count,
                out, 1, ldo);
        assertTrue(Float.isNaN(out[0]), "out[0], before outOffset, was written");
        for (int i = 0; i < batch; i++) {
            for (int q = count; q < ldo && 1 + i * ldo + q < out.length; q++) {
                assertTrue(Float.isNaN(out[1 + i * ldo + q]), "example " + i + ": the padding at " + q + " was written");
            }
        }
        for (int i = 0; i < batch; i++) {
            double[] g = ReferencePerExample.gradient(i, dOut, dIn, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(), l.ldx(),
                    bias);
            for (int q = 0; q < count; q++) {
                assertEquals((float) g[from + q], out[1 + i * ldo + q], "example " + i + " coordinate " + (from + q));
            }
        }
    }

    @Property(tries = 60)
    void coherenceMatchesMaterialized(@ForAll @IntRange(min = 1, max = 30) int batch,
                                      @ForAll @IntRange(min = 1, max = 10) int dOut,
                                      @ForAll @IntRange(min = 1, max = 30) int dIn, @ForAll long seed) {
        var l = layer(batch, dOut, dIn, seed);
        float[] ones = new float[batch];
        java.util.Arrays.fill(ones, 1f);
        float[] gw = new float[dOut * dIn], gb = new float[dOut], n = new float[batch];
        PerExample.weightedGradient(batch, dOut, dIn, ones, 0, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(), l.ldx(), 0f,
                gw, 0, dIn, gb, 0);
        PerExample.squaredNorms(batch, dOut, dIn, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(), l.ldx(), true, false, n, 0);
        double ss = Coherence.squaredNorm(gw, 0, gw.length) + Coherence.squaredNorm(gb, 0, gb.length);
        double k = Coherence.mCoherence(ss, n, 0, batch);
        double[][] per = new double[batch][];
        for (int i = 0; i < batch; i++) {
            per[i] = ReferencePerExample.gradient(i, dOut, dIn, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(), l.ldx(), true);
        }
        double ref = ReferencePerExample.mCoherence(per);
        assertTrue(Math.abs(k - ref) <= 1e-4 * Math.max(1, ref), "m-coherence " + k + " vs " + ref);
        assertTrue(k >= -1e-6 && k <= batch * (1 + 1e-4), "m-coherence " + k + " outside [0, " + batch + "]");
        assertEquals(k / batch, Coherence.alpha(ss, n, 0, batch), 1e-12);
    }

    @Example
    void coherenceOfIdenticalAndOrthogonalGradients() {
        // identical examples: m-coherence = m
        int m = 5;
        float[] d = new float[m * 2], x = new float[m * 3];
        for (int i = 0; i < m; i++) {
            d[2 * i] = 1;
            d[2 * i + 1] = -2;
            x[3 * i] = 0.5f;
            x[3 * i + 2] = 3;
        }
        float[] ones = {1, 1, 1, 1, 1}, gw = new float[6], n = new float[m];
        PerExample.weightedGradient(m, 2, 3, ones, 0, d, 0, 2, x, 0, 3, 0f, gw, 0, 3, null, 0);
        PerExample.squaredNorms(m, 2, 3, d, 0, 2, x, 0, 3, false, false, n, 0);
        assertEquals(m, Coherence.mCoherence(gw, 0, 6, n, 0, m), 1e-5);
        // orthogonal: example i has x = e_i, d = 1
        float[] d1 = {1, 1, 1}, x1 = {1, 0, 0, 0, 1, 0, 0, 0, 1}, g1 = new float[3], n1 = new float[3];
        PerExample.weightedGradient(3, 1, 3, ones, 0, d1, 0, 1, x1, 0, 3, 0f, g1, 0, 3, null, 0);
        PerExample.squaredNorms(3, 1, 3, d1, 0, 1, x1, 0, 3, false, false, n1, 0);
        assertEquals(1.0, Coherence.mCoherence(g1, 0, 3, n1, 0, 3), 1e-7);
    }
}
