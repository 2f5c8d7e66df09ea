package dev.simdgrad.verify;

import dev.simdgrad.kernels.PerExample;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link PerExample#gradients} on a layer of 2^32 weights (dOut = dIn = 65536; D and X stay small, one example
 * each): coordinates past 2^31 are computed in long, so a window near the int limit gives D[r] * X[c] for the right
 * (r, c), and the bias coordinates of a layer just under 2^31 weights are found.
 */
class PerExampleLargeLayerTest {
    private static final int N = 1 << 16;

    private static float[] ramp(int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i % 1000 + 1) * scale;
        }
        return v;
    }

    @Test
    void aWindowAcrossTheIntLimitOfAHugeLayer() {
        float[] d = ramp(N, 1f), x = ramp(N, 0.5f);
        int from = Integer.MAX_VALUE - 1, count = 4;   // coordinates 2^31 - 1 .. 2^31 + 2
        float[] out = new float[count];
        PerExample.gradients(1, N, N, d, 0, N, x, 0, N, true, from, count, out, 0, count);
        for (int q = 0; q < count; q++) {
            long p = (long) from + q;
            int r = (int) (p / N), c = (int) (p % N);
            assertEquals(d[r] * x[c], out[q], "coordinate " + p);
        }
    }

    @Test
    void biasCoordinatesOfALayerJustUnderTheIntLimit() {
        int dOut = 46_340, dIn = 46_340;           // 2,147,395,600 weights, bias from there on
        long weights = (long) dOut * dIn;
        float[] d = ramp(dOut, 1f), x = ramp(dIn, 0.25f);
        int from = (int) (weights - 2), count = 5;  // two weights, three biases
        float[] out = new float[2 * count];
        PerExample.gradients(2, dOut, dIn, concat(d, d), 0, dOut, concat(x, x), 0, dIn, true, from, count, out, 0,
                count);
        float[] expected = {d[dOut - 1] * x[dIn - 2], d[dOut - 1] * x[dIn - 1], d[0], d[1], d[2]};
        assertEquals(Arrays.toString(expected), Arrays.toString(Arrays.copyOf(out, count)));
        assertEquals(Arrays.toString(expected), Arrays.toString(Arrays.copyOfRange(out, count, 2 * count)));
    }

    @Test
    void coordinatesPastALargeLayerAreRejectedNamingTheParameterCount() {
        float[] d = new float[46_340], x = new float[46_340], out = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PerExample.gradients(1,
                46_340, 46_340, d, 0, 46_340, x, 0, 46_340, false, Integer.MAX_VALUE - 4, 4, out, 0, 4));
        assertEquals(true, e.getMessage().contains("2147395600 parameters"), e.getMessage());
        assertEquals("[0.0, 0.0, 0.0, 0.0]", Arrays.toString(out), "nothing written");
    }

    private static float[] concat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
