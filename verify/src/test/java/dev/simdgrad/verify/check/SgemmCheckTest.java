package dev.simdgrad.verify.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.kernels.Simd;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SgemmCheck} at this JVM's width (the module's suite runs at every width): the real kernel passes, and each
 * kind of wrong kernel is caught. A check that cannot fail proves nothing.
 */
class SgemmCheckTest {
    /** Fixed cases: every special at every transpose, plus m = 0, n = 0, k = 0 at every transpose. */
    private static final int FIXED = 4 * (SgemmCase.Special.values().length + 3);

    @Test
    void theKernelPassesAtThisWidth() {
        CheckResult r = new SgemmCheck().run(40, 7);
        assertEquals(40 + FIXED, r.cases(), "every case counted, none skipped");
        assertTrue(r.passed(), () -> "at " + Simd.describe() + ": " + r);
        assertTrue(r.worstRatio() <= 1.0, r::toString);
    }

    @Test
    void sameSeedSameCases() {
        CheckResult a = new SgemmCheck().run(10, 99);
        CheckResult b = new SgemmCheck().run(10, 99);
        assertEquals(a, b);
    }

    @Test
    void anErrorBeyondTheBoundFails() {
        // Correct, then the first element of C moved by far more than gamma(k + 2) allows.
        SgemmFunction wrong = (ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc) -> {
            Sgemm.sgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            if (m > 0 && n > 0 && Float.isFinite(c[co])) {
                c[co] += 1e-2f * Math.max(1f, Math.abs(c[co]));
            }
        };
        CheckResult r = new SgemmCheck(wrong).run(10, 7);
        assertFalse(r.passed());
        assertTrue(r.worstRatio() > 1.0, r::toString);
    }

    @Test
    void readingCWhenBetaIsZeroFails() {
        // The classic bug: C := alpha AB + beta C computed literally, so 0 * NaN leaves NaN where C held NaN.
        SgemmFunction readsC = (ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc) -> {
            float[] old = c.clone();
            Sgemm.sgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            if (beta == 0f) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        c[co + i * ldc + j] += 0f * old[co + i * ldc + j];
                    }
                }
            }
        };
        CheckResult r = new SgemmCheck(readsC).run(0, 7);
        assertFalse(r.passed(), "the fixed NaN-in-C cases must catch it");
        assertEquals(Double.POSITIVE_INFINITY, r.worstRatio());
        assertTrue(r.worstCase().contains("_IN_C") || r.worstCase().contains("NAN_EVERYWHERE"), r.worstCase());
    }

    @Test
    void aWriteOutsideCFails() {
        SgemmFunction spills = (ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc) -> {
            Sgemm.sgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            c[c.length - 1] = 0f; // past the last row: always padding
        };
        CheckResult r = new SgemmCheck(spills).run(5, 7);
        assertEquals(r.cases(), r.failures());
        assertEquals(Double.POSITIVE_INFINITY, r.worstRatio());
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        int before = Parallelism.threads();
        CheckResult r = new SgemmThreadsCheck().run(20, 3);
        assertEquals(20, r.cases());
        assertTrue(r.passed(), r::toString);
        assertEquals(0.0, r.worstRatio(), "bitwise: no difference at all");
        assertEquals(before, Parallelism.threads(), "the thread budget is restored");
    }

    @Test
    void theRegistryListsSgemm() {
        List<String> names = KernelChecks.all().stream().map(KernelCheck::name).toList();
        assertTrue(names.containsAll(List.of("sgemm", "sgemm-threads")), names::toString);
        assertEquals(names.size(), names.stream().distinct().count(), "names are unique: " + names);
    }

    @Test
    void tallyTreatsNaNAsUnbounded() {
        CheckTally t = new CheckTally();
        t.add(0.5, () -> "fine");
        t.add(Double.NaN, () -> "no number");
        CheckResult r = t.result("x");
        assertEquals(2, r.cases());
        assertEquals(1, r.failures());
        assertEquals("no number", r.worstCase());
        assertFalse(new CheckTally().result("empty").passed(), "a check that ran nothing does not pass");
    }

    @Test
    void errorRatioFollowsIeee() {
        assertEquals(0.0, ErrorRatio.of(Float.NaN, Float.NaN, 0));
        assertEquals(Double.POSITIVE_INFINITY, ErrorRatio.of(1f, Float.NaN, 1));
        assertEquals(Double.POSITIVE_INFINITY, ErrorRatio.of(Float.NaN, 1f, 1));
        assertEquals(0.0, ErrorRatio.of(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0));
        assertEquals(Double.POSITIVE_INFINITY, ErrorRatio.of(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1));
        assertEquals(0.5, ErrorRatio.of(1.5f, 1f, 1.0));
        assertEquals(Double.POSITIVE_INFINITY, ErrorRatio.of(1.5f, 1f, 0.0));
    }
}
