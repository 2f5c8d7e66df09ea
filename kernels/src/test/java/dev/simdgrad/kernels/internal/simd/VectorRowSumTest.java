package dev.simdgrad.kernels.internal.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simdgrad.kernels.internal.agg.RowSum;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorRowSum#addScaled8} gives exactly the bits of eight scalar {@link RowSum#addScaled} calls in row order
 * (the weighted sums of the robust rules promise it), and writes nothing outside its columns: every width from 0 to
 * past three vector pairs (the two-vector loop and the scalar tail), rows at arbitrary starts, an output offset,
 * weights and values with signed zeros, subnormals and wide magnitudes.
 */
class VectorRowSumTest {
    private static final float SENTINEL = Float.intBitsToFloat(0x7fc0_4321);

    @Test
    void addScaled8IsEightScalarAddScaledCalls() {
        SplittableRandom r = new SplittableRandom(2026_12_05);
        VectorRowSum vector = new VectorRowSum();
        int maxW = 6 * VectorRowSum.L + 5, checked = 0;
        for (int w = 0; w <= maxW; w++) {
            int rows = 11, q = r.nextInt(3), c0 = r.nextInt(9), ao = r.nextInt(7), ld = c0 + w + r.nextInt(5);
            float[] g = new float[rows * ld + 1];
            for (int i = 0; i < g.length; i++) {
                g[i] = value(r);
            }
            float[] s = new float[rows];
            int[] p = new int[rows];
            for (int i = 0; i < rows; i++) {
                s[i] = value(r);
                p[i] = i * ld;
            }
            float[] expected = new float[ao + w + 4], actual = new float[expected.length];
            java.util.Arrays.fill(expected, SENTINEL);
            for (int j = 0; j < w; j++) {
                expected[ao + j] = value(r);
            }
            System.arraycopy(expected, 0, actual, 0, expected.length);
            for (int i = q; i < q + 8; i++) {
                RowSum.SCALAR.addScaled(expected, ao, s[i], g, p[i] + c0, w);
            }
            vector.addScaled8(actual, ao, s, p, q, c0, g, w);
            for (int x = 0; x < expected.length; x++) {
                assertEquals(Float.floatToRawIntBits(expected[x]), Float.floatToRawIntBits(actual[x]),
                        "w " + w + ", rows " + q + ".." + (q + 7) + ": acc[" + x + "]"
                                + (x < ao || x >= ao + w ? " (outside the columns)" : ""));
            }
            checked++;
        }
        assertEquals(maxW + 1, checked);
    }

    private static float value(SplittableRandom r) {
        return switch (r.nextInt(12)) {
            case 0 -> -0f;
            case 1 -> Float.MIN_VALUE * (1 + r.nextInt(1000));
            case 2 -> (float) (r.nextGaussian() * 1e30);
            case 3 -> (float) (r.nextGaussian() * 1e-30);
            default -> (float) r.nextGaussian();
        };
    }
}
