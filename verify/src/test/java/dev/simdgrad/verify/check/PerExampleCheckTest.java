package dev.simdgrad.verify.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-example check passes on the real kernels, counts every case, and is deterministic per seed. */
class PerExampleCheckTest {

    @Test
    void theKernelsPassAndEveryCaseIsCounted() {
        CheckResult r = new PerExampleCheck().run(200, 11);
        assertTrue(r.passed(), r.toString());
        assertEquals(400, r.cases(), "norms and the weighted gradient of each case");
    }

    @Test
    void theSameSeedDrawsTheSameCases() {
        assertEquals(new PerExampleCheck().run(30, 5), new PerExampleCheck().run(30, 5));
    }
}
