package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.Sum;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float kernel path of {@link TwoLayerNet} (forward, fused loss, backward, Mean and Sum strategies) against the
 * double {@link ReferenceTwoLayerNet}, element by element within the reference's derived first-order bounds (the
 * same ones the {@code network} check of {@code ./simdgrad verify} uses).
 */
class NnKernelVsReferenceProperties {

    @Property(tries = 60)
    void kernelPathMatchesReferenceWithinBounds(@ForAll @IntRange(min = 1, max = 40) int d,
                                                @ForAll @IntRange(min = 1, max = 20) int halfM,
                                                @ForAll @IntRange(min = 1, max = 6) int k,
                                                @ForAll @IntRange(min = 1, max = 33) int b,
                                                @ForAll Activation act, @ForAll boolean ntk,
                                                @ForAll boolean biases, @ForAll boolean frozen,
                                                @ForAll boolean crossEntropy, @ForAll long seed) {
        NetSpec spec = NnFixtures.spec(d, 2 * halfM - (seed % 2 == 0 ? 0 : 1), k, act, ntk, biases, biases, frozen,
                false);
        TwoLayerNet net = TwoLayerNet.initialize(spec, seed);
        NnFixtures.perturb(net.parameters(), 0.1, seed + 1);
        Batch batch = NnFixtures.batch(b, d, k, crossEntropy, seed + 2);
        Loss loss = NnFixtures.loss(crossEntropy);
        Workspace ws = net.workspace(b + 3);

        double kernelLoss = net.lossAndDeltas(loss, batch, ws);
        ReferenceTwoLayerNet.Pass ref = new ReferenceTwoLayerNet(net).pass(loss, batch, true);

        within("z2", ws.outputs(), ref.z2, ref.z2Bound);
        within("delta2", ws.outputDeltas(), ref.delta2, ref.delta2Bound);
        within("delta1", ws.hiddenDeltas(), ref.delta1, ref.delta1Bound);
        assertEquals(ref.loss, kernelLoss, ref.lossBound, "loss");

        int p = net.trainableCount();
        float[] sum = new float[p], mean = new float[p];
        new Sum().aggregate(ws, sum);
        new Mean().aggregate(ws, mean);
        // The strategies against their definitions on the materialized per-example gradients g_i.
        double[] refSum = new double[p];
        for (double[] gi : ref.perExample) {
            for (int i = 0; i < p; i++) {
                refSum[i] += gi[i];
            }
        }
        within("sum gradient", sum, refSum, ref.sumGradientBound);
        within("mean gradient", mean, ref.meanGradient, ref.meanGradientBound);
    }

    static void within(String what, float[] actual, double[] expected, double[] bound) {
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            // The bound of the computation plus half an ulp for rounding the kernel's result to float.
            double tol = ErrorBounds.ofFloatResult(bound[i], expected[i]);
            int idx = i;
            assertTrue(err <= tol, () -> what + "[" + idx + "]: kernel " + actual[idx] + " vs reference "
                    + expected[idx] + ", error " + err + " > bound " + tol);
        }
    }
}
