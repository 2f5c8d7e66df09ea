package dev.simdgrad.verify.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Simd;
import org.junit.jupiter.api.Test;

/**
 * {@link CoherenceCheck} at this JVM's width (the module's suite runs at every width): the kernels pass, every case is
 * counted, and values off by little more than the bound, or finite where NaN is due, are caught.
 */
class CoherenceCheckTest {

    @Test
    void theKernelsPassAndEveryCaseIsCounted() {
        CheckResult r = new CoherenceCheck().run(40, 11);
        assertEquals(3 * 40 + CoherenceCheck.fixedCases(), r.cases(), "formula, layer and network per random case");
        assertTrue(r.passed(), () -> "at " + Simd.describe() + ": " + r);
        assertTrue(r.worstRatio() <= 1.0, r::toString);
    }

    @Test
    void theSameSeedDrawsTheSameCases() {
        assertEquals(new CoherenceCheck().run(10, 5), new CoherenceCheck().run(10, 5));
    }

    @Test
    void negativeCasesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CoherenceCheck().run(-1, 1));
    }

    @Test
    void anErrorOfOnePartInTenThousandIsCaught() {
        // The bounds are a few float roundings per example: 1e-4 relative is far outside them for most cases.
        CheckResult r = new CoherenceCheck(v -> v * (1 + 1e-4)).run(20, 11);
        assertFalse(r.passed());
        assertTrue(r.failures() > r.cases() / 2, r::toString);
        assertTrue(r.worstRatio() > 1.0, r::toString);
    }

    @Test
    void aFiniteValueWhereNaNIsDueIsCaught() {
        // Zero gradients: 0/0 must come back NaN (as documented), not a number such as 0 or 1.
        CheckResult r = new CoherenceCheck(v -> Double.isNaN(v) ? 0.0 : v).run(0, 3);
        assertFalse(r.passed());
        assertEquals(Double.POSITIVE_INFINITY, r.worstRatio());
        assertTrue(r.failures() >= 40, r::toString);
        assertTrue(r.worstCase().contains("zero"), r.worstCase());
    }

    @Test
    void anUnboundedCaseIsAFailureNotAPass() {
        assertEquals(Double.NaN, CoherenceCheck.ratio(1.0, 1.0, Double.POSITIVE_INFINITY));
        assertEquals(0.0, CoherenceCheck.ratio(Double.NaN, Double.NaN, Double.POSITIVE_INFINITY));
        assertEquals(Double.POSITIVE_INFINITY, CoherenceCheck.ratio(1.0, Double.NaN, Double.POSITIVE_INFINITY));
    }
}
