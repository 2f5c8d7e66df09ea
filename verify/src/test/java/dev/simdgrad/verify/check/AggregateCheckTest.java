package dev.simdgrad.verify.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The aggregation check passes on the real kernels, counts every case, and is deterministic per seed. */
class AggregateCheckTest {

    @Test
    void theKernelsPassAndEveryCaseIsCounted() {
        CheckResult r = new AggregateCheck().run(150, 7);
        assertTrue(r.passed(), r.toString());
        assertEquals(300, r.cases(), "each case is checked against the reference and fused against explicit");
    }

    @Test
    void theSameSeedDrawsTheSameCases() {
        assertEquals(new AggregateCheck().run(40, 3), new AggregateCheck().run(40, 3));
    }
}
