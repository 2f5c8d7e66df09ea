package dev.simdgrad.kernels.internal.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simdgrad.kernels.internal.KernelProvider;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GemmKernel#kernelRows} (the last, zero-padded panel of A) gives the first {@code rows} rows of
 * {@link GemmKernel#kernel}'s tile bit for bit, for every row count from 1 to MR, every depth remainder of the
 * unrolled loop and depths around 256, with panels at offsets, for this JVM's kernel and both scalar ones: the
 * driver may then spend fewer multiply-adds on the padding without changing C.
 */
class PartialPanelKernelTest {
    private static final int[] DEPTHS = {1, 2, 3, 4, 5, 7, 8, 9, 31, 64, 255, 256, 257};

    @Test
    void partialPanelsGiveTheFullKernelsBits() {
        List<GemmKernel> kernels = List.of(KernelProvider.gemmKernel(), new ScalarGemmKernel(true),
                new ScalarGemmKernel(false));
        SplittableRandom r = new SplittableRandom(12_04);
        int checked = 0;
        for (GemmKernel kern : kernels) {
            int mr = kern.mr(), nr = kern.nr();
            float[] full = new float[mr * nr], part = new float[mr * nr];
            for (int kc : DEPTHS) {
                int apo = r.nextInt(30), bpo = r.nextInt(30);
                float[] ap = new float[apo + kc * mr + 3], bp = new float[bpo + kc * nr + 3];
                for (int i = 0; i < bp.length; i++) {
                    bp[i] = (float) (r.nextDouble() * 2 - 1);
                }
                for (int rows = 1; rows <= mr; rows++) {
                    java.util.Arrays.fill(ap, 0f);
                    for (int l = 0; l < kc; l++) {   // a packed panel of `rows` rows, zero-padded to MR
                        for (int i = 0; i < rows; i++) {
                            ap[apo + l * mr + i] = (float) (r.nextDouble() * 2 - 1);
                        }
                    }
                    kern.kernel(kc, ap, apo, bp, bpo, full);
                    java.util.Arrays.fill(part, Float.NaN);
                    kern.kernelRows(rows, kc, ap, apo, bp, bpo, part);
                    for (int x = 0; x < rows * nr; x++) {
                        assertEquals(Float.floatToRawIntBits(full[x]), Float.floatToRawIntBits(part[x]),
                                kern.getClass().getSimpleName() + " kc " + kc + " rows " + rows + " element " + x);
                    }
                    checked++;
                }
            }
        }
        int perDepth = KernelProvider.gemmKernel().mr() + 2 * new ScalarGemmKernel(true).mr();
        assertEquals(DEPTHS.length * perDepth, checked);
    }
}
