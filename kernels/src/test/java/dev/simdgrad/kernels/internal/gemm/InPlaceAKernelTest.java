package dev.simdgrad.kernels.internal.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simdgrad.kernels.internal.KernelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GemmKernel#kernelAt} (A stored transposed, read in place) gives the bits of {@link GemmKernel#kernel} on
 * the packed copy of the same micro-panel, for this JVM's kernel and both scalar ones (with
 * and without FMA): every depth remainder of the unrolled loop, depths around 256, leading dimensions larger than
 * the panel and offsets. The driver may then read A in place without changing C.
 */
class InPlaceAKernelTest {
    private static final int[] DEPTHS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 31, 255, 256, 257};

    @Test
    void inPlaceAGivesThePackedBits() {
        List<GemmKernel> kernels = List.of(KernelProvider.gemmKernel(), new ScalarGemmKernel(true),
                new ScalarGemmKernel(false));
        SplittableRandom r = new SplittableRandom(14_3);
        int checked = 0;
        for (GemmKernel kern : kernels) {
            int mr = kern.mr(), nr = kern.nr();
            float[] tile = new float[mr * nr], packedTile = new float[mr * nr];
            for (int kc : DEPTHS) {
                for (int pad : new int[] {0, 3, 17}) {
                    int ao = r.nextInt(40), bpo = r.nextInt(40);
                    int lda = mr + pad; // A transposed: kc rows of (at least) mr floats
                    float[] a = random(r, ao + kc * lda + 5);
                    float[] bp = random(r, bpo + kc * nr + 5);
                    float[] ap = new float[Math.max(1, mr * kc)];
                    kern.packA(true, a, ao, lda, mr, kc, ap);
                    kern.kernel(kc, ap, 0, bp, bpo, packedTile);
                    kern.kernelAt(kc, a, ao, lda, bp, bpo, tile);
                    for (int x = 0; x < tile.length; x++) {
                        assertEquals(Float.floatToRawIntBits(packedTile[x]), Float.floatToRawIntBits(tile[x]),
                                kern.getClass().getSimpleName() + " kc " + kc + " lda " + lda + " element " + x);
                    }
                    checked++;
                }
            }
        }
        assertEquals(3 * DEPTHS.length * 3, checked);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }
}
