package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.optim.BackwardDifferenceGR;
import dev.simdgrad.nn.optim.DoubleBackpropGR;
import dev.simdgrad.nn.optim.Flooding;
import dev.simdgrad.nn.optim.ForwardDifferenceGR;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Sam;
import dev.simdgrad.nn.strategy.Mean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradient regularization (DB, F-GR, B-GR), SAM and flooding against their definitions. */
class NnObjectiveTest {
    private static final int D = 9, M = 12, K = 4, B = 16;

    private static TwoLayerNet net(Activation act, boolean frozen, long seed) {
        NetSpec spec = NnFixtures.spec(D, M, K, act, false, true, true, frozen, false);
        TwoLayerNet net = TwoLayerNet.initialize(spec, seed);
        NnFixtures.perturb(net.parameters(), 0.2, seed + 1);
        return net;
    }

    @Test
    void doubleBackpropIsGradientPlusGammaTimesHessianGradient() {
        TwoLayerNet net = net(Activation.TANH, false, 3);
        Batch batch = NnFixtures.batch(B, D, K, true, 4);
        Loss loss = NnFixtures.loss(true);
        int p = net.trainableCount();
        float gamma = 0.3f;
        float[] db = new float[p];
        new DoubleBackpropGR(loss, gamma).gradient(net, batch, db);

        // In double: ∇L + γ H ∇L with H∇L by central differences of the reference gradient.
        ReferenceTwoLayerNet ref = new ReferenceTwoLayerNet(net);
        double[] g = ref.gradient(loss, batch);
        double[] hg = ref.hessianVectorProductByDifferences(loss, batch, g, 1e-5);
        double[] expected = new double[p];
        for (int i = 0; i < p; i++) {
            expected[i] = g[i] + gamma * hg[i];
        }
        double rel = NnFixtures.diffNorm(NnFixtures.toDouble(db, p), expected) / NnFixtures.norm(expected);
        assertTrue(rel < 1e-5, "DB relative error " + rel);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"TANH", "SOFTPLUS", "GELU"})
    void finiteDifferenceGRConvergesToDoubleBackprop(Activation act) {
        for (boolean frozen : new boolean[] {false, true}) {
            TwoLayerNet net = net(act, frozen, 5);
            Batch batch = NnFixtures.batch(B, D, K, true, 6);
            Loss loss = NnFixtures.loss(true);
            int p = net.trainableCount();
            float gamma = 0.5f;
            float[] db = new float[p], plain = new float[p];
            new DoubleBackpropGR(loss, gamma).gradient(net, batch, db);
            new LossGradient(loss, new Mean()).gradient(net, batch, plain);
            double scale = NnFixtures.diffNorm(NnFixtures.toDouble(db, p), NnFixtures.toDouble(plain, p)); // γ‖Hg‖
            double previous = Double.POSITIVE_INFINITY;
            for (float eps : new float[] {0.1f, 0.03f, 0.01f, 0.003f}) {
                float[] f = new float[p], b = new float[p];
                new ForwardDifferenceGR(new LossGradient(loss, new Mean()), gamma, eps).gradient(net, batch, f);
                new BackwardDifferenceGR(new LossGradient(loss, new Mean()), gamma, eps).gradient(net, batch, b);
                double errF = err(f, db, p) / scale, errB = err(b, db, p) / scale;
                float[] central = new float[p];
                for (int i = 0; i < p; i++) {
                    central[i] = (f[i] + b[i]) / 2;
                }
                double errC = err(central, db, p) / scale;
                String ctx = act + " frozen=" + frozen + " eps=" + eps + ": F " + errF + ", B " + errB + ", central "
                        + errC;
                // First order in ε: the error falls at least about as fast as ε (factor 3 per step, 2 required).
                assertTrue(errF < previous / 2, ctx + " (previous " + previous + ")");
                assertTrue(errF < 3 * eps, ctx);
                assertTrue(errB < 4 * errF + 1e-3, ctx);
                // The O(ε) terms of F-GR and B-GR are opposite: their mean is second order.
                assertTrue(errC < errF / 3 + 1e-3, ctx);
                previous = errF;
            }
        }
    }

    private static double err(float[] a, float[] b, int p) {
        return NnFixtures.diffNorm(NnFixtures.toDouble(a, p), NnFixtures.toDouble(b, p));
    }

    @Test
    void samIsTheGradientAtTheNormalizedAscentPoint() {
        TwoLayerNet net = net(Activation.GELU, false, 8);
        Batch batch = NnFixtures.batch(B, D, K, true, 9);
        Loss loss = NnFixtures.loss(true);
        int p = net.trainableCount();
        float rho = 0.05f;
        float[] before = net.parameters().clone();
        float[] sam = new float[p];
        double l = new Sam(new LossGradient(loss, new Mean()), rho).gradient(net, batch, sam);
        assertArrayEquals(before, net.parameters(), "SAM must not change θ");

        ReferenceTwoLayerNet ref = new ReferenceTwoLayerNet(net);
        assertEquals(ref.loss(loss, batch), l, 1e-5 * Math.abs(l));
        double[] g = ref.gradient(loss, batch);
        double[] expected = ref.shifted(g, rho / NnFixtures.norm(g)).gradient(loss, batch);
        double rel = NnFixtures.diffNorm(NnFixtures.toDouble(sam, p), expected) / NnFixtures.norm(expected);
        assertTrue(rel < 1e-4, "SAM relative error " + rel);
    }

    @Test
    void forwardGRWithGammaEqualToEpsilonIsUnnormalizedSam() {
        TwoLayerNet net = net(Activation.RELU, false, 14);
        Batch batch = NnFixtures.batch(B, D, K, true, 15);
        Loss loss = NnFixtures.loss(true);
        int p = net.trainableCount();
        float eps = 0.05f;
        float[] fgr = new float[p], g = new float[p];
        new ForwardDifferenceGR(new LossGradient(loss, new Mean()), eps, eps).gradient(net, batch, fgr);
        new LossGradient(loss, new Mean()).gradient(net, batch, g);
        float[] atAscent = meanGradientAt(net, g, eps, batch, loss);
        assertArrayEquals(atAscent, fgr, "γ = ε: (1 - γ/ε) g + (γ/ε) ∇L(θ + εg) = ∇L(θ + εg)");
    }

    /**
     * F-GR and B-GR over the mean loss combine their two gradients in the second one's products
     * ({@code GradientStrategy.aggregateScaled}); B = 16 is a power of two, so the mean's 1/B and the products'
     * alpha γ/(tB) are exact scalings of the same product sums, and the result must be the formula's float bits.
     */
    @Test
    void differenceGRIsTheFloatCombinationOfItsTwoGradients() {
        TwoLayerNet net = net(Activation.TANH, false, 16);
        Batch batch = NnFixtures.batch(B, D, K, true, 17);
        Loss loss = NnFixtures.loss(true);
        int p = net.trainableCount();
        float gamma = 0.3f, eps = 0.05f;
        for (float t : new float[] {eps, -eps}) {
            float[] got = new float[p], g = new float[p], expected = new float[p];
            LossGradient inner = new LossGradient(loss, new Mean());
            if (t > 0) {
                new ForwardDifferenceGR(inner, gamma, eps).gradient(net, batch, got);
            } else {
                new BackwardDifferenceGR(inner, gamma, eps).gradient(net, batch, got);
            }
            new LossGradient(loss, new Mean()).gradient(net, batch, g);
            float[] moved = meanGradientAt(net, g, t, batch, loss);
            float c = gamma / t;
            for (int i = 0; i < p; i++) {
                expected[i] = (1 - c) * g[i] + c * moved[i];
            }
            assertArrayEquals(expected, got, "t = " + t + ": (1 - γ/t) g + (γ/t) ∇L(θ + t g)");
        }
    }

    /** The mean-loss gradient at θ + t g, the parameters shifted in float as the objectives shift them. */
    private static float[] meanGradientAt(TwoLayerNet net, float[] g, float t, Batch batch, Loss loss) {
        int p = net.trainableCount();
        TwoLayerNet shifted = net.copy();
        for (int i = 0; i < p; i++) {
            shifted.parameters()[i] += t * g[i];
        }
        float[] out = new float[p];
        new LossGradient(loss, new Mean()).gradient(shifted, batch, out);
        return out;
    }

    @Test
    void floodingFlipsTheGradientBelowTheLevel() {
        TwoLayerNet net = net(Activation.RELU, false, 10);
        Batch batch = NnFixtures.batch(B, D, K, false, 11);
        Loss loss = NnFixtures.loss(false);
        int p = net.trainableCount();
        float[] plain = new float[p], above = new float[p], below = new float[p];
        double l = new LossGradient(loss, new Mean()).gradient(net, batch, plain);
        assertEquals(l, new Flooding(new LossGradient(loss, new Mean()), l - 0.1).gradient(net, batch, above));
        new Flooding(new LossGradient(loss, new Mean()), l + 0.1).gradient(net, batch, below);
        for (int i = 0; i < p; i++) {
            assertEquals(plain[i], above[i], "L > b: descend");
            assertEquals(-plain[i], below[i], "L < b: ascend");
        }
    }

    @Test
    void workspaceHoldsPerExampleDeltasAfterAGradient() {
        TwoLayerNet net = net(Activation.SOFTPLUS, true, 12);
        Batch batch = NnFixtures.batch(B, D, K, true, 13);
        LossGradient lg = new LossGradient(NnFixtures.loss(true), new Mean());
        lg.gradient(net, batch, new float[net.trainableCount()]);
        Workspace ws = lg.workspace();
        assertEquals(1, ws.layerCount(), "frozen output: one trainable layer");
        assertEquals(B, ws.batchSize());
        assertEquals(net.trainableCount(), ws.gradientLength());
    }
}
