package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.strategy.ClipNorm;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.RM3;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RM3 over several SGD steps (a new batch and new parameters each step) against its definition on the minibatch
 * gradients of its inner strategy: step 1 g_1, step 2 the mean of g_1 and g_2, then the median of the current and
 * two previous gradients, exactly; reset starts over.
 */
class NnStrategyRm3Test {

    @Test
    void followsItsDefinitionStepByStep() {
        for (GradientStrategy inner : new GradientStrategy[] {new Mean(), new ClipNorm(0.5f)}) {
            TwoLayerNet net = TwoLayerNet.initialize(NnFixtures.spec(9, 8, 3, Activation.TANH, false, true, true,
                    false, false), 5);
            Loss loss = NnFixtures.loss(true);
            Workspace ws = net.workspace(11);
            int n = net.trainableCount();
            RM3 rm3 = new RM3(inner);
            Sgd sgd = Sgd.plain(0.1);
            float[][] history = new float[7][];
            for (int t = 0; t < 7; t++) {
                if (t == 5) {
                    rm3.reset();
                }
                Batch batch = NnFixtures.batch(11, 9, 3, true, 100 + t);
                net.lossAndDeltas(loss, batch, ws);
                float[] g = new float[n], step = new float[n];
                inner.aggregate(ws, g);   // the inner strategy is stateless and deterministic
                history[t] = g;
                rm3.aggregate(ws, step);
                int since = t < 5 ? t : t - 5;   // steps since the (re)start
                String what = inner + ", step " + (t + 1);
                if (since == 0) {
                    assertArrayEquals(g, step, what);
                } else if (since == 1) {
                    for (int j = 0; j < n; j++) {
                        float expected = (float) ((history[t - 1][j] + (double) g[j]) / 2);
                        assertEquals(expected, step[j], Math.abs(expected) < 0x1p-125f ? 0x1p-149f : 0f,
                                what + " coordinate " + j);
                    }
                } else {
                    double[] ref = ReferenceAggregate.medianOfThree(history[t - 2], history[t - 1], g, 0, n);
                    for (int j = 0; j < n; j++) {
                        assertEquals(ref[j], step[j], 0.0, what + " coordinate " + j);
                    }
                }
                sgd.step(net, step);
            }
        }
    }

    @Test
    void aNewGradientLengthStartsOver() {
        RM3 rm3 = new RM3();
        for (int hidden : new int[] {4, 4, 6}) {
            TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(3, hidden, 2, Activation.RELU), 1);
            Workspace ws = net.workspace(5);
            net.lossAndDeltas(NnFixtures.loss(true), NnFixtures.batch(5, 3, 2, true, hidden), ws);
            float[] mean = new float[net.trainableCount()], step = new float[net.trainableCount()];
            new Mean().aggregate(ws, mean);
            rm3.aggregate(ws, step);
            if (hidden == 6) {   // a different network: step 1 again, not a median with the old gradients
                assertArrayEquals(mean, step);
            }
        }
    }
}
