package dev.simdgrad.verify;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.kernels.PerExample;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Architecture;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.DenseLayerBatch;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.Median;
import dev.simdgrad.nn.strategy.MedianOfMeans;
import dev.simdgrad.nn.strategy.Trim;
import dev.simdgrad.nn.strategy.Winsorize;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order-statistic strategies (Winsorize, Trim, Median, MedianOfMeans) against their definitions on the
 * materialized per-example gradients of a real backward pass ({@code PerExample.gradients} of every layer's (Δ, X),
 * the float values g_i[q] = δ_i[r]·x_i[c] the fused kernels generate):
 * <ul>
 *   <li>bitwise equal to the explicit kernel ({@code Aggregate}) on the materialized matrix, layer by layer;</li>
 *   <li>against the double reference (sort, apply the definition): exact for an odd median, within one rounding
 *   for an even one, within the derived bounds of {@code Aggregate} for the sums;</li>
 *   <li>the degenerate cases (c = 0, one group) are bitwise {@link Mean}; a bad c or groups leaves the gradient
 *   unchanged.</li>
 * </ul>
 */
class NnStrategyDefinitionProperties {

    /** A network and batch with its backward pass done. */
    record Fixture(DenseNetwork net, Workspace ws) {
        static Fixture of(int d, int m, int k, int b, Activation act, boolean biases, boolean frozen, long seed) {
            NetSpec spec = NnFixtures.spec(d, m, k, act, false, biases, biases, frozen, false);
            TwoLayerNet net = TwoLayerNet.initialize(spec, seed);
            NnFixtures.perturb(net.parameters(), 0.1, seed + 1);
            Batch batch = NnFixtures.batch(b, d, k, true, seed + 2);
            Loss loss = NnFixtures.loss(true);
            Workspace ws = net.workspace(b);
            net.lossAndDeltas(loss, batch, ws);
            return new Fixture(net, ws);
        }

        /** A network of any architecture, perturbed, after its backward pass on a labelled batch of b examples. */
        static Fixture of(Architecture arch, int b, boolean crossEntropy, long seed) {
            DenseNetwork net = DenseNetwork.initialize(arch, seed);
            NnFixtures.perturb(net.parameters(), 0.1, seed + 1);
            Batch batch = NnFixtures.batch(b, arch.inputs(), arch.outputs(), crossEntropy, seed + 2);
            Workspace ws = net.workspace(b);
            net.lossAndDeltas(NnFixtures.loss(crossEntropy), batch, ws);
            return new Fixture(net, ws);
        }

        float[] run(GradientStrategy s) {
            float[] g = new float[net.trainableCount()];
            s.aggregate(ws, g);
            return g;
        }
    }

    /** Number of parameters of a layer in {@code PerExample}'s numbering (weights row-major, then bias). */
    static int params(DenseLayerBatch l) {
        return l.parameterCount();
    }

    /** Position of the layer's coordinate q (PerExample numbering) in the flat gradient vector. */
    static int flat(DenseLayerBatch l, int q) {
        int w = l.out() * l.in();
        return q < w ? l.weightOffset() + q : l.biasOffset() + q - w;
    }

    /** The B x P matrix of the layer's per-example gradients. */
    static float[] materialize(DenseLayerBatch l) {
        int b = l.batch(), p = params(l);
        float[] g = new float[Math.max(1, b * p)];
        PerExample.gradients(b, l.out(), l.in(), l.delta(), 0, l.deltaStride(), l.input(), l.inputOffset(),
                l.inputStride(), l.hasBias(), 0, p, g, 0, p);
        return g;
    }

    interface Explicit {
        void apply(float[] g, int rows, int cols, float[] out);
    }

    interface Reference {
        double[] apply(float[] g, int rows, int cols);
    }

    /** Bitwise against the explicit kernel; then against the reference within the bound (absolute, per entry). */
    static void check(String what, Fixture f, float[] actual, Explicit explicit, Reference reference,
                      Reference bound) {
        for (int l = 0; l < f.ws().layerCount(); l++) {
            DenseLayerBatch layer = f.ws().layer(l);
            int b = layer.batch(), p = params(layer);
            float[] g = materialize(layer);
            float[] out = new float[p];
            explicit.apply(g, b, p, out);
            double[] ref = reference.apply(g, b, p), err = bound.apply(g, b, p);
            for (int q = 0; q < p; q++) {
                float got = actual[flat(layer, q)];
                assertEquals(Float.floatToRawIntBits(out[q]), Float.floatToRawIntBits(got),
                        what + ": layer " + l + " coordinate " + q + " differs from the explicit kernel");
                double e = Math.abs(got - ref[q]);
                // err from the kernel's derivation, plus half an ulp: the result is rounded to float once.
                assertTrue(e <= err[q] + 0.5 * Math.ulp((float) ref[q]), what + ": layer " + l + " coordinate "
                        + q + " = " + got + ", reference " + ref[q] + ", error " + e + " > bound " + err[q]);
            }
        }
    }

    static double[] zeros(float[] g, int rows, int cols) {
        return new double[cols];
    }

    @Property(tries = 40)
    void orderStatisticsMatchTheirDefinitions(@ForAll @IntRange(min = 1, max = 24) int d,
                                              @ForAll @IntRange(min = 1, max = 12) int m,
                                              @ForAll @IntRange(min = 1, max = 5) int k,
                                              @ForAll @IntRange(min = 1, max = 40) int b,
                                              @ForAll @IntRange(min = 0, max = 19) int cSeed,
                                              @ForAll @IntRange(min = 1, max = 40) int groupsSeed,
                                              @ForAll Activation act, @ForAll boolean biases, @ForAll boolean frozen,
                                              @ForAll long seed) {
        checkOrderStatistics(Fixture.of(d, m, k, b, act, biases, frozen, seed), cSeed, groupsSeed);
    }

    /** Median, and for B large enough winsorize(c), trim(c), median-of-means(groups), against their definitions. */
    static void checkOrderStatistics(Fixture f, int cSeed, int groupsSeed) {
        int b = f.ws().batchSize();
        // c >= 1 and groups >= 2: the degenerate cases delegate to Mean (checked in the next property).
        int c = b >= 3 ? 1 + cSeed % ((b - 1) / 2) : 0;   // 2c < b
        int groups = b >= 2 ? 2 + groupsSeed % (b - 1) : 1;

        check("median", f, f.run(new Median()),
                (g, r, p, out) -> Aggregate.median(g, 0, r, p, p, out, 0),
                (g, r, p) -> ReferenceAggregate.median(g, 0, r, p, p),
                // odd: exact; even: the mean of the two middle values, rounded once (the half ulp added by check)
                NnStrategyDefinitionProperties::zeros);
        if ((b & 1) == 1) {   // an odd median is a value of the batch: exactly the reference's
            float[] median = f.run(new Median());
            for (int l = 0; l < f.ws().layerCount(); l++) {
                DenseLayerBatch layer = f.ws().layer(l);
                int p = params(layer);
                double[] ref = ReferenceAggregate.median(materialize(layer), 0, b, p, p);
                for (int q = 0; q < p; q++) {
                    assertEquals(ref[q], median[flat(layer, q)], 0.0, "median: layer " + l + " coordinate " + q);
                }
            }
        }
        if (c == 0 || groups == 1) {
            return;
        }
        check("winsorize(" + c + ")", f, f.run(new Winsorize(c)),
                (g, r, p, out) -> Aggregate.winsorizedMean(g, 0, r, p, p, c, out, 0),
                (g, r, p) -> ReferenceAggregate.winsorizedMean(g, 0, r, p, p, c),
                (g, r, p) -> ReferenceAggregate.trimWinsorBound(g, 0, r, p, p, c, false));
        check("trim(" + c + ")", f, f.run(new Trim(c)),
                (g, r, p, out) -> Aggregate.trimmedMean(g, 0, r, p, p, c, out, 0),
                (g, r, p) -> ReferenceAggregate.trimmedMean(g, 0, r, p, p, c),
                (g, r, p) -> ReferenceAggregate.trimWinsorBound(g, 0, r, p, p, c, true));
        check("median-of-means(" + groups + ")", f, f.run(new MedianOfMeans(groups)),
                (g, r, p, out) -> Aggregate.medianOfMeans(g, 0, r, p, p, groups, out, 0),
                (g, r, p) -> ReferenceAggregate.medianOfMeans(g, 0, r, p, p, groups),
                (g, r, p) -> plusRounding(
                        ReferenceAggregate.medianOfMeansBound(g, 0, r, p, p, groups),
                        ReferenceAggregate.medianOfMeans(g, 0, r, p, p, groups)));
    }

    /**
     * c = 0 and groups = 1 delegate to Mean (one SGEMM), not to the explicit kernel: the check above then compares
     * with the explicit mean bitwise, which does not hold. So the degenerate cases are checked here instead: bitwise
     * Mean, and Mean within the SGEMM bound of the reference mean.
     */
    @Property(tries = 20)
    void degenerateCasesAreBitwiseMean(@ForAll @IntRange(min = 1, max = 24) int d,
                                       @ForAll @IntRange(min = 1, max = 12) int m,
                                       @ForAll @IntRange(min = 1, max = 40) int b,
                                       @ForAll Activation act, @ForAll boolean biases, @ForAll long seed) {
        Fixture f = Fixture.of(d, m, 3, b, act, biases, false, seed);
        float[] mean = f.run(new Mean());
        assertArrayEquals(mean, f.run(new Winsorize(0)), "winsorize(0)");
        assertArrayEquals(mean, f.run(new Trim(0)), "trim(0)");
        assertArrayEquals(mean, f.run(new MedianOfMeans(1)), "median-of-means(1)");
        for (int l = 0; l < f.ws().layerCount(); l++) {
            DenseLayerBatch layer = f.ws().layer(l);
            int p = params(layer);
            float[] g = materialize(layer);
            double[] ref = ReferenceAggregate.mean(g, 0, b, p, p);
            for (int q = 0; q < p; q++) {
                double s = 0;
                for (int i = 0; i < b; i++) {
                    s += Math.abs(g[i * p + q]);
                }
                // SGEMM with alpha = 1/B (rounded): gamma(B + 2) plus the rounding of 1/B, on the exact products;
                // the materialized g is one rounding off the exact product, so gamma(B + 4) covers both.
                double bound = ErrorBounds.gamma(b + 4) * s / b + 0.5 * Math.ulp((float) ref[q]);
                assertEquals(ref[q], mean[flat(layer, q)], bound, "mean: layer " + l + " coordinate " + q);
            }
        }
    }

    @Property(tries = 10)
    void badParametersLeaveTheGradientUnchanged(@ForAll @IntRange(min = 1, max = 9) int b, @ForAll long seed) {
        Fixture f = Fixture.of(5, 4, 3, b, Activation.TANH, true, false, seed);
        int c = (b + 1) / 2;   // 2c >= b
        for (GradientStrategy s : new GradientStrategy[] {new Winsorize(c), new Trim(c),
                new MedianOfMeans(b + 1)}) {
            float[] g = new float[f.net().trainableCount()];
            java.util.Arrays.fill(g, 7f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.aggregate(f.ws(), g),
                    s.toString());
            assertTrue(e.getMessage().contains("B=" + b), e.getMessage());
            for (float v : g) {
                assertEquals(7f, v);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Winsorize(-1));
        assertThrows(IllegalArgumentException.class, () -> new Trim(-1));
        assertThrows(IllegalArgumentException.class, () -> new MedianOfMeans(0));
    }

    /** The median of an even number of group means adds one rounding of the result. */
    static double[] plusRounding(double[] bound, double[] value) {
        for (int q = 0; q < bound.length; q++) {
            bound[q] += ErrorBounds.U * Math.abs(value[q]);
        }
        return bound;
    }
}
