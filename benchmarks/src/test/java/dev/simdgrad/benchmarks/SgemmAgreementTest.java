package dev.simdgrad.benchmarks;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Sgemm;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The check the benchmarks rely on must accept a correct product and refuse a wrong one, in full and sampled. */
class SgemmAgreementTest {
    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    private static void acceptsCorrectAndRefusesWrong(String shape) {
        GemmShape s = GemmShape.parse(shape);
        SplittableRandom rnd = new SplittableRandom(42);
        float[] a = random(rnd, s.aLength());
        float[] b = random(rnd, s.bLength());
        float[] c = new float[s.m() * s.n()];
        Sgemm.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, 0, s.lda(), b, 0, s.ldb(), 0f, c, 0, s.n());
        SgemmAgreement.check("simdgrad", s, a, b, c);
        // The last element is always checked (edge tile), sampled or not.
        c[c.length - 1] += 0.01f;
        var e = assertThrows(IllegalStateException.class, () -> SgemmAgreement.check("simdgrad", s, a, b, c));
        assertTrue(e.getMessage().contains("refusing to measure"), e.getMessage());
        c[c.length - 1] = Float.NaN;
        assertThrows(IllegalStateException.class, () -> SgemmAgreement.check("simdgrad", s, a, b, c));
    }

    @Test
    void fullCheckOnSmallShapes() {
        acceptsCorrectAndRefusesWrong("TN:37x29x41");
        acceptsCorrectAndRefusesWrong("NT:29x37x41");
    }

    @Test
    void sampledCheckOnLargeShapes() {
        acceptsCorrectAndRefusesWrong("NN:300x260x280");
        acceptsCorrectAndRefusesWrong("TN:280x300x260");
        acceptsCorrectAndRefusesWrong("NT:260x280x300");
    }
}
