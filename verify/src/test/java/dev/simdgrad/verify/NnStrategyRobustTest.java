package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.kernels.FusedAggregate;
import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.DenseLayerBatch;
import dev.simdgrad.nn.strategy.Bulyan;
import dev.simdgrad.nn.strategy.CenteredClipping;
import dev.simdgrad.nn.strategy.ClipNorm;
import dev.simdgrad.nn.strategy.GeometricMedian;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Krum;
import dev.simdgrad.nn.strategy.MultiKrum;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The whole-gradient robust strategies (Krum, Multi-Krum, geometric median, centered clipping, Bulyan) on a real
 * backward pass: bitwise the same for 1..4 threads, Krum equal to the explicit rule on the network's materialized
 * per-example gradients, and their degenerate cases bitwise equal to the strategies they reduce to.
 */
class NnStrategyRobustTest {
    private static final NnStrategyDefinitionProperties.Fixture F =
            NnStrategyDefinitionProperties.Fixture.of(300, 48, 10, 37, Activation.RELU, true, false, 5);

    @Test
    void sameBitsForOneToFourThreads() {
        var f = NnStrategyDefinitionProperties.Fixture.of(700, 96, 10, 37, Activation.RELU, true, false, 11);
        Supplier<?>[] strategies = {() -> new Krum(3), () -> new MultiKrum(3, 12), GeometricMedian::new,
                () -> new CenteredClipping(0.05f), () -> new Bulyan(4)};
        int saved = Parallelism.threads();
        try {
            for (Supplier<?> make : strategies) {
                float[] first = null;
                for (int threads = 1; threads <= 4; threads++) {
                    Parallelism.setThreads(threads);
                    float[] r = f.run((GradientStrategy) make.get());
                    if (first == null) {
                        first = r;
                    } else {
                        assertArrayEquals(first, r, make.get() + " with " + threads + " threads");
                    }
                }
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    /** The B x n matrix of the network's per-example gradients in the flat layout of the step. */
    static float[] materializeNetwork(NnStrategyDefinitionProperties.Fixture f) {
        int b = F.ws().batchSize(), n = f.net().trainableCount();
        float[] g = new float[b * n];
        for (int l = 0; l < f.ws().layerCount(); l++) {
            DenseLayerBatch layer = f.ws().layer(l);
            int p = NnStrategyDefinitionProperties.params(layer);
            float[] m = NnStrategyDefinitionProperties.materialize(layer);
            for (int i = 0; i < b; i++) {
                for (int q = 0; q < p; q++) {
                    g[i * n + NnStrategyDefinitionProperties.flat(layer, q)] = m[i * p + q];
                }
            }
        }
        return g;
    }

    @Test
    void krumFollowsTheExplicitRuleOnTheMaterializedGradients() {
        int b = F.ws().batchSize(), n = F.net().trainableCount();
        float[] g = materializeNetwork(F);
        for (int f = 0; 2 * f + 3 <= b; f += 4) {
            Krum s = new Krum(f);
            float[] step = F.run(s);
            int sel = s.lastSelected();
            assertArrayEquals(Arrays.copyOfRange(g, sel * n, sel * n + n), step, "the step is example " + sel);
            float[] out = new float[n];
            int explicit = Aggregate.krum(g, 0, b, n, n, f, out, 0);
            if (explicit != sel) {
                // only on a near tie: the reference scores within the fused bound of each other
                double[][] r = ReferenceRobust.rows(g, 0, b, n, n);
                boolean[] all = RobustAggregatePropertiesTest.all(b);
                double[] sc = ReferenceRobust.krumScores(r, ReferenceRobust.distances(r), all, f);
                double[] norms = RobustAggregatePropertiesTest.norms(r);
                double per = 3 * ErrorBounds.U + 4 * ErrorBounds.gammaDouble(2L * n);
                double slack = RobustFusedPropertiesTest.scoreBound(norms, all, sel, b - f - 2, per)
                        + RobustFusedPropertiesTest.scoreBound(norms, all, explicit, b - f - 2, per);
                assertTrue(Math.abs(sc[sel] - sc[explicit]) <= slack, "krum(" + f + "): " + sel + " vs " + explicit);
            }
        }
    }

    /** Multi-Krum over all examples and Weiszfeld with no iteration are the unclipped ClipNorm, bit for bit. */
    @Test
    void degenerateCasesAreTheMean() {
        int b = F.ws().batchSize();
        float[] mean = F.run(new ClipNorm(1e30f));
        assertArrayEquals(mean, F.run(new MultiKrum(2, b)), "multikrum(2, B)");
        assertArrayEquals(mean, F.run(new GeometricMedian(1e-6, 0, 0)), "geomed with no iteration");
        // Bulyan(0) selects every example: the fused trimmed mean with c = 0 of each layer (Trim(0) is Mean instead)
        float[] trimmed = new float[F.net().trainableCount()];
        for (int l = 0; l < F.ws().layerCount(); l++) {
            DenseLayerBatch y = F.ws().layer(l);
            FusedAggregate.trimmedMean(b, y.out(), y.in(), y.delta(), 0, y.deltaStride(), y.input(), y.inputOffset(),
                    y.inputStride(), 0, trimmed, y.weightOffset(), y.in(), y.hasBias() ? trimmed : null,
                    y.hasBias() ? y.biasOffset() : 0);
        }
        assertArrayEquals(trimmed, F.run(new Bulyan(0)), "bulyan(0) is the trimmed mean c = 0");
    }

    /** Centered clipping: its center is the previous step; reset starts over, bit for bit. */
    @Test
    void centeredClippingCarriesItsCenter() {
        CenteredClipping s = new CenteredClipping(0.01f);
        float[] first = F.run(s), second = F.run(s);
        assertTrue(!Arrays.equals(first, second), "the second step starts from the first");
        s.reset();
        assertArrayEquals(first, F.run(s), "after reset, the first step again");
        float[] fresh = F.run(new CenteredClipping(0.01f));
        assertArrayEquals(first, fresh);
        // every example moves the center by at most tau / B: the first step's norm is at most tau
        double norm = 0;
        for (float v : first) {
            norm += (double) v * v;
        }
        assertTrue(Math.sqrt(norm) <= 0.01 * (1 + 1e-5), "norm " + Math.sqrt(norm));
    }

    @Test
    void badParametersAreRejectedBeforeWriting() {
        int b = F.ws().batchSize();
        float[] g = new float[F.net().trainableCount()];
        Arrays.fill(g, 3f);
        float[] before = g.clone();
        assertThrows(IllegalArgumentException.class, () -> new Krum(-1));
        assertThrows(IllegalArgumentException.class, () -> new MultiKrum(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new CenteredClipping(0f));
        assertThrows(IllegalArgumentException.class, () -> new GeometricMedian(0, 3, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> new Krum(b).aggregate(F.ws(), g));
        assertTrue(e.getMessage().contains("B=" + b), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Bulyan(9).aggregate(F.ws(), g));
        assertThrows(IllegalArgumentException.class, () -> new MultiKrum(1, b + 1).aggregate(F.ws(), g));
        assertArrayEquals(before, g);
        assertEquals("krum(2)", new Krum(2).toString());
    }
}
