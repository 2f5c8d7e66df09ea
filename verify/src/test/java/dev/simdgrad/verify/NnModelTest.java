package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Initialization, the symmetric NTK start, frozen output, stable cross-entropy and argument checks. */
class NnModelTest {

    @Test
    void symmetricNtkInitializationOutputsExactlyZero() {
        for (int m : new int[] {2, 10, 64, 262, 600}) {
            for (Activation act : Activation.values()) {
                TwoLayerNet net = TwoLayerNet.initialize(NetSpec.ntk(13, m, 3, act), 42 + m);
                Batch batch = NnFixtures.batch(37, 13, 3, false, m);
                Workspace ws = net.workspace(37);
                net.forward(batch, ws);
                for (int i = 0; i < 37; i++) {
                    double hSum = 0;
                    for (int r = 0; r < m; r++) {
                        hSum += Math.abs(ws.hidden()[i * m + r]);
                    }
                    // One depth block (m <= KC): pairs cancel exactly. Beyond: a block edge may split a pair.
                    double bound = m <= dev.simdgrad.kernels.Simd.sgemmBlocking().kc() ? 0
                            : ErrorBounds.gamma(m) * hSum;
                    for (int c = 0; c < 3; c++) {
                        float f = ws.outputs()[i * 3 + c];
                        assertTrue(Math.abs(f) <= bound, "m=" + m + " " + act + " f=" + f + " bound " + bound);
                    }
                }
            }
        }
    }

    @Test
    void sameSeedSameBitsAndNtkWeightsAreSigns() {
        NetSpec spec = NetSpec.ntk(20, 16, 2, Activation.RELU);
        TwoLayerNet a = TwoLayerNet.initialize(spec, 7), b = TwoLayerNet.initialize(spec, 7);
        assertArrayEquals(a.parameters(), b.parameters());
        float[] t = a.parameters();
        for (int i = a.w2Offset(); i < a.parameterCount(); i++) {
            assertEquals(1f, Math.abs(t[i]));
        }
        assertEquals(20 * 16, a.trainableCount(), "frozen output: only W1 trains");
        for (int r = 0; r < 16; r += 2) {
            for (int j = 0; j < 20; j++) {
                assertEquals(t[r * 20 + j], t[(r + 1) * 20 + j]);
            }
        }
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        float[] z = {1e30f, -1e30f, 0f, 88f, 89f, 1000f};
        Batch batch = Batch.of(Dataset.classification(2, 1, new float[2], new int[] {1, 2}, 3));
        float[] delta = new float[6];
        double l = new SoftmaxCrossEntropy().lossAndDelta(z, 3, batch, delta);
        assertTrue(Double.isFinite(l), "loss " + l);
        assertEquals((2e30 + (1000 - 89)) / 2, l, 1e24);
        for (int i = 0; i < 2; i++) {
            assertEquals(0, delta[3 * i] + delta[3 * i + 1] + delta[3 * i + 2], 1e-6, "deltas of a row sum to 0");
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(4, 6, 3, Activation.TANH), 1);
        Workspace ws = net.workspace(2);
        assertThrows(IllegalArgumentException.class, () -> net.forward(NnFixtures.batch(3, 4, 3, true, 1), ws));
        assertThrows(IllegalArgumentException.class, () -> net.forward(NnFixtures.batch(2, 5, 3, true, 1), ws));
        assertThrows(IllegalArgumentException.class, () -> NetSpec.ntk(4, 5, 1, Activation.RELU));
        assertThrows(IllegalArgumentException.class, () -> TwoLayerNet.fromParameters(net.spec(), new float[3]));
    }
}
