package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.metrics.Coherence;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** m-coherence from the factored form against its definition on materialized per-example gradients. */
class NnCoherenceTest {

    @Test
    void matchesTheDefinitionOnMaterializedGradients() {
        for (boolean frozen : new boolean[] {false, true}) {
            TwoLayerNet net = TwoLayerNet.initialize(NnFixtures.spec(7, 9, 3, Activation.GELU, false, true, true,
                    frozen, false), 1);
            Batch batch = NnFixtures.batch(13, 7, 3, true, 2);
            Loss loss = NnFixtures.loss(true);
            Workspace ws = net.workspace(13);
            net.lossAndDeltas(loss, batch, ws);
            Coherence c = Coherence.of(ws, new float[net.trainableCount()]);

            double[][] g = new ReferenceTwoLayerNet(net).pass(loss, batch, false).perExample;
            double[] sum = new double[g[0].length];
            double sq = 0;
            for (double[] gi : g) {
                for (int p = 0; p < gi.length; p++) {
                    sum[p] += gi[p];
                    sq += gi[p] * gi[p];
                }
            }
            double expected = NnFixtures.norm(sum) * NnFixtures.norm(sum) / sq;
            assertEquals(expected, c.mCoherence(), 1e-4 * expected);
            assertEquals(expected / 13, c.alpha(), 1e-4 * expected / 13);
        }
    }

    @Test
    void identicalExamplesAreFullyCoherent() {
        float[] x = new float[8 * 4];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = 0.25f * (j + 1);
            }
        }
        Batch batch = Batch.of(Dataset.classification(8, 4, x, new int[8], 3));
        TwoLayerNet net = TwoLayerNet.initialize(NnFixtures.spec(4, 6, 3, Activation.TANH, false, true, true, false,
                false), 3);
        Workspace ws = net.workspace(8);
        net.lossAndDeltas(NnFixtures.loss(true), batch, ws);
        assertEquals(8, Coherence.of(ws, new float[net.trainableCount()]).mCoherence(), 1e-4);
    }
}
