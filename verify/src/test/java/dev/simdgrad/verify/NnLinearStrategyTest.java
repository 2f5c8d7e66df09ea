package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.strategy.ClipNorm;
import dev.simdgrad.nn.strategy.GeometricMedian;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.Median;
import dev.simdgrad.nn.strategy.Sum;
import dev.simdgrad.nn.strategy.Winsorize;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GradientStrategy.aggregateScaled}: {@code gradient := scale * a + beta * gradient} for the linear strategies,
 * with a what {@code aggregate} writes. The batch has B = 16 examples, a power of two, so the mean's 1/B and the
 * products' alpha scale/B are exact scalings of the same product sums: the result must be the float formula
 * {@code scale * a + beta * gradient} evaluated element by element, to the bit (beta 0: the prior gradient is not
 * read, so NaN there stays out).
 */
class NnLinearStrategyTest {
    private static final int B = 16;

    @Test
    void linearStrategiesScaleAndAddInTheirProducts() {
        for (boolean frozen : new boolean[] {false, true}) {
            DenseNetwork.Builder builder = DenseNetwork.builder().widths(19, 33, 17, 5).activation(Activation.TANH);
            if (frozen) {
                builder.freeze(1);
            }
            DenseNetwork net = builder.build(3);
            NnFixtures.perturb(net.parameters(), 0.3, 4);
            Batch batch = NnFixtures.batch(B, 19, 5, true, 5);
            Loss loss = NnFixtures.loss(true);
            Workspace ws = net.workspace(B);
            net.lossAndDeltas(loss, batch, ws);
            int p = net.trainableCount();
            for (GradientStrategy s : new GradientStrategy[] {new Mean(), new Sum()}) {
                assertTrue(s.isLinear(), s.toString());
                float[] a = new float[p];
                s.aggregate(ws, a);
                SplittableRandom r = new SplittableRandom(6);
                for (float scale : new float[] {1f, 0.37f, -2.5f, 0f}) {
                    for (float beta : new float[] {0f, 1f, 0.6f, -1.3f}) {
                        float[] prior = new float[p], got = new float[p];
                        for (int i = 0; i < p; i++) {
                            prior[i] = beta == 0f ? Float.NaN : (float) r.nextGaussian();
                        }
                        System.arraycopy(prior, 0, got, 0, p);
                        s.aggregateScaled(ws, got, scale, beta);
                        for (int i = 0; i < p; i++) {
                            // scale 0 is SGEMM's alpha 0: the products are not computed, C := beta C (+0, not
                            // the -0 of 0 * a negative a)
                            float ab = scale == 0f ? 0f : scale * a[i];
                            float expected = beta == 0f ? ab : scale == 0f ? beta * prior[i] : ab + beta * prior[i];
                            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got[i]),
                                    s + " frozen=" + frozen + " scale=" + scale + " beta=" + beta + " at " + i
                                            + ": " + expected + " vs " + got[i]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void anEmptyBatchScalesThePriorGradient() {
        DenseNetwork net = DenseNetwork.builder().widths(4, 3, 2).activation(Activation.RELU).build(1);
        Workspace ws = net.workspace(4);
        net.lossAndDeltas(NnFixtures.loss(true), NnFixtures.batch(0, 4, 2, true, 2), ws);
        int p = net.trainableCount();
        float[] g = new float[p];
        Arrays.fill(g, 2f);
        new Mean().aggregateScaled(ws, g, 3f, 0.5f);
        for (float v : g) {
            assertEquals(1f, v, "no examples: 0 * scale + 0.5 * 2");
        }
        Arrays.fill(g, Float.NaN);
        new Sum().aggregateScaled(ws, g, 3f, 0f);
        for (float v : g) {
            assertEquals(0f, v, "beta 0: not read");
        }
    }

    @Test
    void otherStrategiesAreNotLinearAndRefuse() {
        DenseNetwork net = DenseNetwork.builder().widths(4, 3, 2).activation(Activation.RELU).build(1);
        Workspace ws = net.workspace(8);
        net.lossAndDeltas(NnFixtures.loss(true), NnFixtures.batch(8, 4, 2, true, 2), ws);
        float[] g = new float[net.trainableCount()];
        for (GradientStrategy s : new GradientStrategy[] {new ClipNorm(1f), new Winsorize(1), new Median(),
                new GeometricMedian()}) {
            assertFalse(s.isLinear(), s.toString());
            Arrays.fill(g, 7f);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> s.aggregateScaled(ws, g, 1f, 0f));
            assertTrue(e.getMessage().contains(s.toString()), e.getMessage());
            for (float v : g) {
                assertEquals(7f, v, s + " wrote before refusing");
            }
        }
    }
}
