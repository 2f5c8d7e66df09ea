package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.BiasActivation;
import dev.simdgrad.kernels.ParameterUpdate;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The elementwise kernels against their scalar twins ({@link ReferenceElementwise}) at this JVM's width: the same
 * bits (bound zero: one rounding per operation, nothing reordered), over lengths 0..200 (every tail of a 4-, 8- and
 * 16-lane vector), offsets, and values that include NaN, ±Inf, ±0, subnormals and near-overflow magnitudes; every
 * element outside the written span must be left as it was. Bad arguments throw before anything is written.
 */
class ElementwisePropertiesTest {
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
        Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -3e-39f, Float.MAX_VALUE, -Float.MAX_VALUE, 1e30f, 1f, -1f};
    private static final float[] RATES = {0f, 1f, 0.01f, -0.5f, 3.7e-3f, 1e-30f, 1e30f, Float.NaN};

    private static float[] values(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(8) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) (4 * r.nextDouble() - 2);
        }
        return x;
    }

    private static float rate(SplittableRandom r) {
        return r.nextInt(3) == 0 ? RATES[r.nextInt(RATES.length)] : (float) r.nextDouble();
    }

    /** Bits equal, every NaN equal to every NaN (Float.floatToIntBits canonicalizes the payload). */
    private static void assertSameBits(float[] expected, float[] got, String what) {
        assertEquals(expected.length, got.length, what);
        for (int i = 0; i < got.length; i++) {
            int at = i;
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]),
                    () -> what + "[" + at + "]: expected " + expected[at] + ", got " + got[at]);
        }
    }

    @Property(tries = 300)
    void sgdIsItsTwin(@ForAll @IntRange(min = 0, max = 200) int n, @ForAll @IntRange(min = 0, max = 17) int to,
                      @ForAll @IntRange(min = 0, max = 17) int go, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] theta = values(r, to + n + 5), g = values(r, go + n + 3);
        float lr = rate(r), wd = r.nextBoolean() ? 0f : rate(r);
        float[] want = theta.clone(), gBefore = g.clone();
        ReferenceElementwise.sgd(want, to, g, go, n, lr, wd);
        ParameterUpdate.sgd(theta, to, g, go, n, lr, wd);
        assertSameBits(want, theta, "theta (lr " + lr + ", wd " + wd + ")");
        assertArrayEquals(gBefore, g, "the gradient is read only");
    }

    @Property(tries = 300)
    void momentumIsItsTwin(@ForAll @IntRange(min = 0, max = 200) int n, @ForAll @IntRange(min = 0, max = 17) int to,
                           @ForAll @IntRange(min = 0, max = 17) int go, @ForAll @IntRange(min = 0, max = 17) int vo,
                           @ForAll boolean nesterov, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] theta = values(r, to + n + 5), g = values(r, go + n + 3), v = values(r, vo + n + 2);
        float lr = rate(r), wd = r.nextBoolean() ? 0f : rate(r), mu = r.nextBoolean() ? 0.9f : rate(r);
        float[] wantTheta = theta.clone(), wantV = v.clone(), gBefore = g.clone();
        ReferenceElementwise.momentum(wantTheta, to, g, go, wantV, vo, n, lr, wd, mu, nesterov);
        ParameterUpdate.momentum(theta, to, g, go, v, vo, n, lr, wd, mu, nesterov);
        assertSameBits(wantTheta, theta, "theta");
        assertSameBits(wantV, v, "velocity");
        assertArrayEquals(gBefore, g, "the gradient is read only");
    }

    @Property(tries = 300)
    void shiftedIsItsTwin(@ForAll @IntRange(min = 0, max = 200) int n, @ForAll @IntRange(min = 0, max = 17) int xo,
                          @ForAll @IntRange(min = 0, max = 17) int vo, @ForAll @IntRange(min = 0, max = 17) int oo,
                          @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = values(r, xo + n + 2), v = values(r, vo + n + 3), out = values(r, oo + n + 4);
        float t = rate(r);
        float[] want = out.clone(), xBefore = x.clone(), vBefore = v.clone();
        ReferenceElementwise.shifted(x, xo, v, vo, n, t, want, oo);
        ParameterUpdate.shifted(x, xo, v, vo, n, t, out, oo);
        assertSameBits(want, out, "out (t " + t + ")");
        assertArrayEquals(xBefore, x, "theta is read only");
        assertArrayEquals(vBefore, v, "the direction is read only");
    }

    @Property(tries = 300)
    void addBiasIsItsTwin(@ForAll @IntRange(min = 0, max = 9) int rows, @ForAll @IntRange(min = 0, max = 70) int cols,
                          @ForAll @IntRange(min = 0, max = 5) int pad, @ForAll @IntRange(min = 0, max = 17) int zo,
                          @ForAll @IntRange(min = 0, max = 17) int bo, @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int ldz = Math.max(1, cols + pad);
        float[] z = values(r, zo + rows * ldz + 3), b = values(r, bo + cols + 2);
        float[] want = z.clone();
        ReferenceElementwise.addBias(want, zo, rows, cols, ldz, b, bo);
        BiasActivation.addBias(z, zo, rows, cols, ldz, b, bo);
        assertSameBits(want, z, "Z (padding between rows untouched)");
    }

    @Property(tries = 300)
    void reluIsItsTwin(@ForAll @IntRange(min = 0, max = 200) int n, @ForAll @IntRange(min = 0, max = 17) int zo,
                       @ForAll @IntRange(min = 0, max = 17) int ao, @ForAll @IntRange(min = 0, max = 17) int po,
                       @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] z = values(r, zo + n + 1), a = values(r, ao + n + 4), p = values(r, po + n + 2);
        float s = r.nextBoolean() ? 1f : rate(r);
        float[] wantA = a.clone(), wantP = p.clone(), zBefore = z.clone();
        ReferenceElementwise.relu(z, zo, n, s, wantA, ao, wantP, po);
        BiasActivation.relu(z, zo, n, s, a, ao, p, po);
        assertSameBits(wantA, a, "A (scale " + s + ")");
        assertSameBits(wantP, p, "P (scale " + s + ")");
        assertArrayEquals(zBefore, z, "Z is read only");
    }

    @Test
    void reluOfTheSpecialValues() {
        float[] z = {Float.NaN, -0f, 0f, Float.MIN_VALUE, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 2f};
        float[] a = new float[z.length], p = new float[z.length];
        BiasActivation.relu(z, 0, z.length, 0.5f, a, 0, p, 0);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0f, 0f, Float.POSITIVE_INFINITY, 0f, 1f}, a);
        assertArrayEquals(new float[] {0f, 0f, 0f, 0.5f, 0f, 0.5f, 0f, 0.5f}, p);
        assertEquals(0, Float.floatToRawIntBits(a[1]), "-0 gives +0");
    }

    @Test
    void badArgumentsThrowBeforeAnythingIsWritten() {
        float[] theta = {1, 2, 3, 4, 5, 6}, g = {1, 1, 1, 1}, v = {0, 0, 0, 0};
        float[] before = theta.clone(), vBefore = v.clone();
        assertMessage(IllegalArgumentException.class, () -> ParameterUpdate.sgd(theta, 0, g, 0, -1, 1f, 0f),
                "length=-1");
        assertMessage(IndexOutOfBoundsException.class, () -> ParameterUpdate.sgd(theta, 0, g, 0, 5, 1f, 0f),
                "gradient.length=4");
        assertMessage(IndexOutOfBoundsException.class, () -> ParameterUpdate.sgd(theta, 3, g, 0, 4, 1f, 0f),
                "theta.length=6");
        assertMessage(IllegalArgumentException.class, () -> ParameterUpdate.sgd(theta, 0, theta, 2, 3, 1f, 0f),
                "overlap");
        assertMessage(IllegalArgumentException.class, () -> ParameterUpdate.sgd(theta, 0, null, 0, 1, 1f, 0f),
                "gradient is null");
        assertMessage(IllegalArgumentException.class,
                () -> ParameterUpdate.momentum(theta, 0, g, 0, theta, 2, 3, 1f, 0f, 0.9f, false), "overlap");
        assertMessage(IndexOutOfBoundsException.class,
                () -> ParameterUpdate.momentum(theta, 0, g, 0, v, 1, 4, 1f, 0f, 0.9f, false), "velocity.length=4");
        assertMessage(IllegalArgumentException.class,
                () -> ParameterUpdate.shifted(theta, 0, g, 0, 4, 1f, theta, 2), "overlap");
        assertMessage(IndexOutOfBoundsException.class,
                () -> ParameterUpdate.shifted(theta, 0, g, 0, 4, 1f, v, 1), "out.length=4");
        assertArrayEquals(before, theta);
        assertArrayEquals(vBefore, v);

        float[] z = new float[12], b = {1, 2, 3};
        assertMessage(IllegalArgumentException.class, () -> BiasActivation.addBias(z, 0, 4, 3, 2, b, 0), "ldz=2");
        assertMessage(IndexOutOfBoundsException.class, () -> BiasActivation.addBias(z, 1, 4, 3, 3, b, 0),
                "z.length=12");
        assertMessage(IndexOutOfBoundsException.class, () -> BiasActivation.addBias(z, 0, 4, 3, 3, b, 1),
                "bias.length=3");
        assertMessage(IllegalArgumentException.class, () -> BiasActivation.addBias(z, 0, 2, 3, 3, z, 3), "overlap");
        assertMessage(IndexOutOfBoundsException.class, () -> BiasActivation.relu(z, 0, 4, 1f, z, 4, b, 0),
                "slope.length=3");
        assertMessage(IllegalArgumentException.class, () -> BiasActivation.relu(z, 0, 4, 1f, z, 2, new float[4], 0),
                "overlap");
        assertArrayEquals(new float[12], z);
    }

    private static void assertMessage(Class<? extends RuntimeException> type, Runnable call, String part) {
        RuntimeException e = assertThrows(type, call::run);
        assertTrue(e.getMessage().contains(part), () -> "message \"" + e.getMessage() + "\" lacks \"" + part + "\"");
    }
}
