package dev.simdgrad.verify.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Simd;
import org.junit.jupiter.api.Test;

/** {@link RobustCheck} at this JVM's width (the module's suite runs at every width). */
class RobustCheckTest {

    @Test
    void theKernelsPassAndEveryCaseIsCounted() {
        CheckResult r = new RobustCheck().run(60, 11);
        assertEquals(60, r.cases());
        assertTrue(r.passed(), () -> "at " + Simd.describe() + ": " + r);
        assertTrue(r.worstRatio() <= 1.0, r::toString);
    }

    @Test
    void theSameSeedDrawsTheSameCases() {
        assertEquals(new RobustCheck().run(8, 5), new RobustCheck().run(8, 5));
    }

    @Test
    void negativeCasesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new RobustCheck().run(-1, 1));
    }

    @Test
    void theRegistryListsIt() {
        assertTrue(KernelChecks.all().stream().anyMatch(c -> c.name().equals("robust")));
    }
}
