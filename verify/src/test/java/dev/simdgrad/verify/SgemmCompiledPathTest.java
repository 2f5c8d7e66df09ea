package dev.simdgrad.verify;

import dev.simdgrad.kernels.Parallelism;
import org.junit.jupiter.api.Test;

/**
 * The Vector API is only intrinsified by C2; before that the same code runs in the interpreter and C1 as plain Java
 * (one object per vector operation), so a test that only runs a kernel a few times checks a different program from
 * the one users run. This runs one 64 x 64 x 64 product 20,000 times (cycling through the four transposes, so every
 * packing routine gets hot too), long enough for C2 to compile the micro-kernel, the update and the packing, and
 * then checks the compiled result against the reference. Every run must also give the bits of the first one:
 * the interpreter's fallbacks round exactly as the intrinsics do (FMA is fused in both), so a compiled kernel that
 * differs from its interpreted self is a JIT problem, not rounding.
 */
class SgemmCompiledPathTest {
    private static final int RUNS = 20_000;

    @Test
    void compiledKernelAgreesWithTheReference() {
        SgemmCase[] cases = new SgemmCase[4];
        float[][] a = new float[4][], b = new float[4][], before = new float[4][], first = new float[4][];
        for (int t = 0; t < 4; t++) {
            cases[t] = SgemmCase.dense((t & 1) != 0, (t & 2) != 0, 64, 64, 64, 1f, 0.5f, 64 + t)
                    .withLayout(1, 1, 2, 2, 3, 3, 1);
            a[t] = cases[t].a();
            b[t] = cases[t].b();
            before[t] = cases[t].c();
        }
        // 64^3 is below the driver's threshold for a second thread; pin one anyway so this test never competes
        // with itself for the two cores.
        int saved = Parallelism.threads();
        Parallelism.setThreads(1);
        try {
            float[] c = new float[before[0].length];
            for (int run = 0; run < RUNS; run++) {
                int t = run % 4;
                System.arraycopy(before[t], 0, c, 0, c.length);
                cases[t].runSgemm(a[t], b[t], c);
                if (first[t] == null) {
                    first[t] = c.clone();
                } else if (run % 97 == 0 || run >= RUNS - 4) {
                    SgemmOracle.checkSameBits(first[t], c, "run " + run + " vs the first run of " + cases[t]);
                }
            }
            for (int t = 0; t < 4; t++) {
                System.arraycopy(before[t], 0, c, 0, c.length);
                cases[t].runSgemm(a[t], b[t], c);
                SgemmOracle.check(cases[t], a[t], b[t], before[t], c);
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }
}
