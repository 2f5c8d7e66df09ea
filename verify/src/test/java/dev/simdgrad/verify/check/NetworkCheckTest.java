package dev.simdgrad.verify.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Simd;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link NetworkCheck} at this JVM's width: the network passes, every case is counted, and a workspace broken after the
 * backward pass (a delta or an output moved by far less than the quantities themselves) is caught.
 */
class NetworkCheckTest {

    @Test
    void theNetworkPassesAndEveryCaseIsCounted() {
        CheckResult r = new NetworkCheck().run(30, 7);
        assertEquals(5 * 30, r.cases(), "outputs, loss, deltas, gradient and a strategy per case");
        assertTrue(r.passed(), () -> "at " + Simd.describe() + ": " + r);
        assertTrue(r.worstRatio() <= 1.0, r::toString);
    }

    @Test
    void theSameSeedDrawsTheSameCases() {
        assertEquals(new NetworkCheck().run(8, 2), new NetworkCheck().run(8, 2));
    }

    @Test
    void negativeCasesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new NetworkCheck().run(-1, 1));
    }

    @Test
    void aWrongHiddenDeltaIsCaught() {
        // One element of Δ₁ off by 1e-3 (relative, or absolute where it is 0): the deltas and the gradient fail.
        CheckResult r = new NetworkCheck(ws -> {
            float[] d1 = ws.hiddenDeltas();
            d1[0] += 1e-3f * Math.max(1e-2f, Math.abs(d1[0]));
        }).run(20, 7);
        assertFalse(r.passed());
        assertTrue(r.failures() >= 20, r::toString);
        assertTrue(r.worstRatio() > 1.0, r::toString);
    }

    @Test
    void aWrongOutputIsCaught() {
        CheckResult r = new NetworkCheck(ws -> ws.outputs()[0] *= 1 + 1e-4f).run(20, 7);
        assertFalse(r.passed());
        assertTrue(r.worstCase().startsWith("outputs Z2"), r.worstCase());
    }

    @Test
    void theRegistryListsTheNewChecksAfterPerExample() {
        List<String> names = KernelChecks.all().stream().map(KernelCheck::name).toList();
        assertEquals(List.of("per-example", "coherence", "network", "deep-network", "robust"),
                names.subList(names.size() - 5, names.size()));
    }
}
