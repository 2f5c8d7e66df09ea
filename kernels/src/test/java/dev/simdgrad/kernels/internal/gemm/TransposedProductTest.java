package dev.simdgrad.kernels.internal.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The driver's transposed path ({@code C^T = op(B)^T op(A)^T} through a scratch C^T, copied back in 16 x 16
 * register blocks at 512 bits) gives the bits of the direct loops, element for element, and leaves C's padding
 * alone: for narrow products and for B stored transposed with m &lt; n, where {@link GemmDriver#computesTransposed}
 * takes it; sizes around 16 (whole and partial register blocks of the copy), beta zero (C not read) and not, leading
 * dimensions past the row and offsets.
 */
class TransposedProductTest {
    private static final int[][] SHAPES = {
        {128, 10, 256}, {128, 256, 784}, {64, 256, 784}, {17, 300, 100}, {16, 64, 33}, {31, 200, 257}, {100, 3, 40},
        {40, 5, 300}, {15, 200, 64}, {33, 129, 513},
    };

    @Test
    void transposedPathGivesTheDirectBits() {
        SplittableRandom r = new SplittableRandom(15_1);
        int transposed = 0;
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], k = s[2];
                for (float beta : new float[] {0f, 0.5f}) {
                    int pad = r.nextInt(20), ao = r.nextInt(9), bo = r.nextInt(9), co = r.nextInt(9);
                    int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + r.nextInt(20);
                    float[] a = random(r, ao + (ta ? k : m) * lda), b = random(r, bo + (tb ? n : k) * ldb);
                    float[] c0 = random(r, co + m * ldc + 7);
                    float[] viaDriver = c0.clone(), direct = c0.clone();
                    GemmDriver.sgemm(ta, tb, m, n, k, -1.25f, a, ao, lda, b, bo, ldb, beta, viaDriver, co, ldc, 1);
                    GemmDriver.loops(ta, tb, m, n, k, -1.25f, a, ao, lda, b, bo, ldb, beta, direct, co, ldc, null, 0,
                            1);
                    if (GemmDriver.computesTransposed(ta, tb, m, n, k, lda, ldb, beta != 0f)) {
                        transposed++;
                    }
                    for (int x = 0; x < c0.length; x++) {
                        int at = x;
                        assertEquals(Float.floatToRawIntBits(direct[x]), Float.floatToRawIntBits(viaDriver[x]),
                                () -> (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k + " beta "
                                        + beta + ": element " + at);
                    }
                }
            }
        }
        assertTrue(transposed >= 16, "only " + transposed + " of the cases took the transposed path");
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }
}
