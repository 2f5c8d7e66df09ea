package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * EJML's habit: enumerate every variant of an operation and assert how many were checked, so a combination that a
 * refactoring drops from the loop is a failure rather than silence. SGEMM's variants are its 4 transpose
 * combinations times the scalars BLAS special-cases; each is checked against the reference on a ragged, padded,
 * offset shape that crosses tile edges of every kernel (13 = 12 + 1 rows, 33 = 32 + 1 columns, 2 depth blocks).
 */
class SgemmVariantCountTest {

    @Test
    void everyTransposeAndScalarCombinationIsChecked() {
        // 0, 1, -1 and 0.5 as in the properties, and one random value from a fixed seed.
        float random = (float) new SplittableRandom(42).nextDouble(-3, 3);
        float[] scalars = {0f, 1f, -1f, 0.5f, random};
        int checked = 0;
        long seed = 1;
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                for (float alpha : scalars) {
                    for (float beta : scalars) {
                        SgemmCase sc = SgemmCase.dense(transA, transB, 13, 33, 257, alpha, beta, seed++)
                                .withLayout(5, 3, 1, 2, 4, 1, 3);
                        float[] a = sc.a(), b = sc.b(), before = sc.c();
                        float[] c = before.clone();
                        sc.runSgemm(a, b, c);
                        SgemmOracle.check(sc, a, b, before, c);
                        checked++;
                    }
                }
            }
        }
        assertEquals(2 * 2 * scalars.length * scalars.length, checked);
        assertEquals(100, checked, "4 transpose combinations x 5 alphas x 5 betas");
    }
}
