package dev.simdgrad.verify.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Simd;
import org.junit.jupiter.api.Test;

/**
 * {@link DeepNetworkCheck} at this JVM's width: three-layer networks pass, every case is counted, and a workspace
 * broken after the backward pass (a first-layer delta or an output moved slightly) is caught.
 */
class DeepNetworkCheckTest {

    @Test
    void deepNetworksPassAndEveryCaseIsCounted() {
        CheckResult r = new DeepNetworkCheck().run(30, 7);
        assertEquals(5 * 30, r.cases(), "outputs, loss, deltas, gradient and a strategy per case");
        assertTrue(r.passed(), () -> "at " + Simd.describe() + ": " + r);
        assertTrue(r.worstRatio() <= 1.0, r::toString);
    }

    @Test
    void theSameSeedDrawsTheSameCases() {
        assertEquals(new DeepNetworkCheck().run(6, 2), new DeepNetworkCheck().run(6, 2));
    }

    @Test
    void negativeCasesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new DeepNetworkCheck().run(-1, 1));
    }

    @Test
    void aWrongDeltaIsCaught() {
        // One delta of the top hidden layer off by 1e-3 (relative, or absolute where it is 0).
        CheckResult r = new DeepNetworkCheck(ws -> {
            float[] d = ws.deltas(1);
            d[0] += 1e-3f * Math.max(1e-2f, Math.abs(d[0]));
        }).run(20, 7);
        assertFalse(r.passed());
        assertTrue(r.worstRatio() > 1.0, r::toString);
    }

    @Test
    void aWrongOutputIsCaught() {
        CheckResult r = new DeepNetworkCheck(ws -> ws.outputs()[0] *= 1 + 1e-4f).run(20, 7);
        assertFalse(r.passed());
        assertTrue(r.worstCase().startsWith("outputs"), r.worstCase());
    }
}
