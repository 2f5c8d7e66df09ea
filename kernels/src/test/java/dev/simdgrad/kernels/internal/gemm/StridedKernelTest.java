package dev.simdgrad.kernels.internal.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simdgrad.kernels.internal.KernelProvider;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GemmKernel#kernel} gives the same bits whichever way its operands are laid out: A packed, stored as is and
 * read in place ({@code rs = lda, ls = 1}) or stored transposed and read in place ({@code rs = 1, ls = lda}); B
 * packed or read in place ({@code ldb > NR}); and a last, zero-padded panel of {@code rows < MR} rows gives the first
 * {@code rows} rows of the full tile. For this JVM's kernel and both scalar ones (with and without FMA), every
 * depth remainder of the unrolled loop, depths around 256, leading dimensions larger than the panel and offsets. The
 * driver may then read operands in place, or spend fewer multiply-adds on padding, without changing C.
 */
class StridedKernelTest {
    private static final int[] DEPTHS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 31, 64, 255, 256, 257};

    @Test
    void everyLayoutGivesThePackedBits() {
        SplittableRandom r = new SplittableRandom(14_1);
        int checked = 0;
        for (GemmKernel kern : kernels()) {
            int mr = kern.mr(), nr = kern.nr();
            float[] packedTile = new float[mr * nr], tile = new float[mr * nr];
            for (int kc : DEPTHS) {
                for (int pad : new int[] {0, 3, 17}) {
                    int ao = r.nextInt(40), bo = r.nextInt(40);
                    // the same mr x kc block of op(A) stored as is (lda >= kc) and transposed (lda >= mr)
                    int ldaN = kc + pad, ldaT = mr + pad, ldb = nr + pad;
                    float[] an = random(r, ao + mr * ldaN + 5), at = new float[ao + kc * ldaT + 5];
                    for (int i = 0; i < mr; i++) {
                        for (int l = 0; l < kc; l++) {
                            at[ao + l * ldaT + i] = an[ao + i * ldaN + l];
                        }
                    }
                    float[] b = random(r, bo + kc * ldb + 5);
                    float[] ap = new float[Math.max(1, mr * kc)], bp = new float[Math.max(1, kc * nr)];
                    kern.packA(false, an, ao, ldaN, mr, kc, ap);
                    kern.packB(false, b, bo, ldb, kc, nr, bp, 0);
                    kern.kernel(mr, kc, ap, 0, 1, mr, bp, 0, nr, packedTile);
                    kern.kernel(mr, kc, an, ao, ldaN, 1, b, bo, ldb, tile);
                    assertSameBits(packedTile, tile, mr * nr, kern, "A as stored, B in place, kc " + kc + " pad " + pad);
                    kern.kernel(mr, kc, at, ao, 1, ldaT, b, bo, ldb, tile);
                    assertSameBits(packedTile, tile, mr * nr, kern, "A transposed, B in place, kc " + kc + " pad " + pad);
                    kern.kernel(mr, kc, an, ao, ldaN, 1, bp, 0, nr, tile);
                    assertSameBits(packedTile, tile, mr * nr, kern, "A as stored, B packed, kc " + kc + " pad " + pad);
                    checked++;
                }
            }
        }
        assertEquals(3 * DEPTHS.length * 3, checked);
    }

    @Test
    void partialPanelsGiveTheFullKernelsBits() {
        SplittableRandom r = new SplittableRandom(12_04);
        int checked = 0;
        for (GemmKernel kern : kernels()) {
            int mr = kern.mr(), nr = kern.nr();
            float[] full = new float[mr * nr], part = new float[mr * nr];
            for (int kc : DEPTHS) {
                int apo = r.nextInt(30), bo = r.nextInt(30), ldb = nr + r.nextInt(20);
                float[] ap = new float[apo + kc * mr + 3], b = random(r, bo + kc * ldb + 3);
                for (int rows = 1; rows <= mr; rows++) {
                    Arrays.fill(ap, 0f);
                    for (int l = 0; l < kc; l++) {   // a packed panel of `rows` rows, zero-padded to MR
                        for (int i = 0; i < rows; i++) {
                            ap[apo + l * mr + i] = (float) (r.nextDouble() * 2 - 1);
                        }
                    }
                    kern.kernel(mr, kc, ap, apo, 1, mr, b, bo, ldb, full);
                    Arrays.fill(part, Float.NaN);
                    kern.kernel(rows, kc, ap, apo, 1, mr, b, bo, ldb, part);
                    assertSameBits(full, part, rows * nr, kern, "kc " + kc + " rows " + rows);
                    checked++;
                }
            }
        }
        int perDepth = KernelProvider.gemmKernel().mr() + 2 * new ScalarGemmKernel(true).mr();
        assertEquals(DEPTHS.length * perDepth, checked);
    }

    /** This JVM's kernel and both scalar ones, with and without FMA. */
    /**
     * The narrow kernel (one vector of columns, for a last panel of B of at most that many) gives the first columns
     * of the full tile bit for bit, for every row count, depth and layout of A, and writes no other column.
     */
    @Test
    void narrowKernelGivesTheFirstColumnsOfTheTile() {
        GemmKernel kern = KernelProvider.gemmKernel();
        int w = kern.narrowColumns();
        if (w == 0) {
            return; // the scalar kernel (this JVM forced to width 0) has none
        }
        SplittableRandom r = new SplittableRandom(15_2);
        int mr = kern.mr(), nr = kern.nr(), checked = 0;
        float[] full = new float[mr * nr], narrow = new float[mr * nr];
        for (int kc : DEPTHS) {
            for (int rows = 1; rows <= mr; rows++) {
                int ao = r.nextInt(30), bo = r.nextInt(30), lda = kc + r.nextInt(20), ldb = nr + r.nextInt(20);
                float[] a = random(r, ao + mr * lda + 3), b = random(r, bo + kc * ldb + 3);
                kern.kernel(rows, kc, a, ao, lda, 1, b, bo, ldb, full);
                Arrays.fill(narrow, Float.NaN);
                kern.kernelNarrow(rows, kc, a, ao, lda, 1, b, bo, ldb, narrow);
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < nr; j++) {
                        int at = i * nr + j;
                        if (j < w) {
                            assertEquals(Float.floatToRawIntBits(full[at]), Float.floatToRawIntBits(narrow[at]),
                                    "rows " + rows + ", kc " + kc + ": element (" + i + ", " + j + ")");
                        } else {
                            assertEquals(Float.floatToRawIntBits(Float.NaN), Float.floatToRawIntBits(narrow[at]),
                                    "rows " + rows + ", kc " + kc + ": column " + j + " past the narrow kernel's");
                        }
                    }
                }
                checked++;
            }
        }
        assertEquals(DEPTHS.length * mr, checked);
    }

    private static List<GemmKernel> kernels() {
        return List.of(KernelProvider.gemmKernel(), new ScalarGemmKernel(true), new ScalarGemmKernel(false));
    }

    private static void assertSameBits(float[] want, float[] got, int count, GemmKernel kern, String what) {
        for (int x = 0; x < count; x++) {
            assertEquals(Float.floatToRawIntBits(want[x]), Float.floatToRawIntBits(got[x]),
                    kern.getClass().getSimpleName() + " " + what + " element " + x);
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }
}
