package dev.simdgrad.kernels.internal.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simdgrad.kernels.internal.gemm.GemmKernel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorTranspose#pack} writes exactly what the scalar {@link GemmKernel#packTransposed} writes, bit for bit,
 * and nothing outside the packed panels: panels of 12 lines (its overlapping stores and masked last store), 16 and
 * 32 lines, every depth remainder of its 16-step blocks, a last panel of fewer lines, leading dimensions larger than
 * the depth and offsets in source and destination. NaN payloads and signed zeros are values like any other.
 */
class VectorTransposeTest {
    private static final int[] DEPTHS = {1, 2, 15, 16, 17, 31, 32, 33, 64, 100};
    private static final int[] COUNTS = {1, 5, 11, 12, 13, 16, 24, 31, 32, 33, 40, 64, 65};
    private static final float SENTINEL = Float.intBitsToFloat(0x7fc0_1234);

    @Test
    void packsTheScalarPacksBits() {
        SplittableRandom r = new SplittableRandom(2026_12_04);
        int checked = 0;
        for (int lines : new int[] {12, 16, 32}) {
            for (int kc : DEPTHS) {
                for (int count : COUNTS) {
                    int off = r.nextInt(20), ld = kc + r.nextInt(3) * 7, dOff = r.nextInt(20);
                    float[] src = new float[off + count * ld + 3];
                    for (int i = 0; i < src.length; i++) {
                        src[i] = switch (r.nextInt(16)) {
                            case 0 -> -0f;
                            case 1 -> Float.intBitsToFloat(0x7fc0_0000 | r.nextInt(1 << 22));   // NaN payloads
                            default -> (float) (r.nextDouble() * 2 - 1);
                        };
                    }
                    int panels = (count + lines - 1) / lines, size = panels * kc * lines;
                    float[] expected = new float[dOff + size + 40], actual = new float[expected.length];
                    java.util.Arrays.fill(expected, SENTINEL);
                    java.util.Arrays.fill(actual, SENTINEL);
                    GemmKernel.packTransposed(src, off, ld, kc, count, lines, expected, dOff);
                    VectorTranspose.pack(src, off, ld, kc, count, lines, actual, dOff);
                    for (int x = 0; x < expected.length; x++) {
                        int e = Float.floatToRawIntBits(expected[x]), a = Float.floatToRawIntBits(actual[x]);
                        assertEquals(e, a, "panels of " + lines + ", kc " + kc + ", " + count + " lines, ld " + ld
                                + ": dst[" + x + "]" + (x < dOff || x >= dOff + size ? " (outside the panels)" : ""));
                    }
                    checked++;
                }
            }
        }
        assertEquals(3 * DEPTHS.length * COUNTS.length, checked);
    }

    @Test
    void takesTwelveAndMultiplesOfSixteen() {
        assertEquals(true, VectorTranspose.takes(12));
        assertEquals(true, VectorTranspose.takes(16));
        assertEquals(true, VectorTranspose.takes(32));
        assertEquals(false, VectorTranspose.takes(6));
        assertEquals(false, VectorTranspose.takes(8));
    }
}
