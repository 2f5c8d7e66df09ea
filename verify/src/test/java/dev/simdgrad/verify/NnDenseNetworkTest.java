package dev.simdgrad.verify;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Architecture;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Init;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.Parametrization;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.optim.BackpropThroughBackwardGR;
import dev.simdgrad.nn.optim.BackwardDifferenceGR;
import dev.simdgrad.nn.optim.DoubleBackpropGR;
import dev.simdgrad.nn.optim.Flooding;
import dev.simdgrad.nn.optim.ForwardDifferenceGR;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Objective;
import dev.simdgrad.nn.optim.Sam;
import dev.simdgrad.nn.optim.Schedule;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.optim.Trainer;
import dev.simdgrad.nn.strategy.ClipNorm;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.Median;
import dev.simdgrad.nn.strategy.MedianOfMeans;
import dev.simdgrad.nn.strategy.RM3;
import dev.simdgrad.nn.strategy.Sum;
import dev.simdgrad.nn.strategy.Trim;
import dev.simdgrad.nn.strategy.Winsorize;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dense network as a library: the builder and its two-layer case, the initializations at depth, frozen layers,
 * the trainer's named settings, the regularized objectives at depth and thread determinism (steady-state allocation:
 * {@link NnDenseAllocationTest}).
 */
class NnDenseNetworkTest {

    private static DenseNetwork deep(Activation act, long seed) {
        DenseNetwork net = DenseNetwork.builder().widths(9, 12, 7, 4).activation(act).build(seed);
        NnFixtures.perturb(net.parameters(), 0.2, seed + 1);
        return net;
    }

    private static Dataset dataset(int n, int d, int k, long seed) {
        Batch b = NnFixtures.batch(n, d, k, true, seed);
        return Dataset.classification(n, d, b.inputs(), b.labels(), k);
    }

    @Test
    void theTwoLayerCaseIsTwoLayerNetBitForBit() {
        NetSpec[] specs = {NetSpec.standard(13, 10, 3, Activation.RELU),
                NetSpec.standard(13, 10, 3, Activation.TANH).withBiases(false, true),
                NetSpec.ntk(13, 10, 1, Activation.RELU),
                NetSpec.standard(13, 10, 3, Activation.GELU).withFrozenOutput(true).withInit(Init.HE)};
        for (NetSpec spec : specs) {
            DenseNetwork.Builder b = DenseNetwork.builder().widths(spec.inputs(), spec.hidden(), spec.outputs())
                    .activation(spec.activation()).parametrization(spec.parametrization()).init(spec.init())
                    .bias(0, spec.hiddenBias()).bias(1, spec.outputBias()).symmetric(spec.symmetric());
            if (spec.freezeOutput()) {
                b.freezeOutput();
            }
            assertEquals(spec.architecture(), b.architecture(), spec.toString());
            DenseNetwork dense = b.build(42);
            TwoLayerNet two = TwoLayerNet.initialize(spec, 42);
            assertArrayEquals(two.parameters(), dense.parameters(), "θ₀ of " + spec);
            boolean ce = spec.outputs() > 1;
            Batch batch = NnFixtures.batch(11, spec.inputs(), spec.outputs(), ce, 5);
            Loss loss = NnFixtures.loss(ce);
            float[] g1 = new float[two.trainableCount()], g2 = new float[dense.trainableCount()];
            new LossGradient(loss, new Mean()).gradient(two, batch, g1);
            new LossGradient(loss, new Mean()).gradient(dense, batch, g2);
            assertArrayEquals(g1, g2, "gradient of " + spec);
            assertEquals(two.b2Offset(), dense.biasOffset(1));
            assertEquals(two.w2Offset(), dense.weightOffset(1));
        }
    }

    @Test
    void theDefaultInitFollowsTheActivation() {
        Architecture a = DenseNetwork.builder().widths(5, 4, 4, 2).activation(Activation.TANH)
                .activation(1, Activation.RELU).architecture();
        assertEquals(Init.XAVIER, a.layer(0).init());
        assertEquals(Init.HE, a.layer(1).init());
        assertEquals(Init.HE, a.layer(2).init(), "the output layer follows the last hidden layer");
        assertEquals(Activation.IDENTITY, a.layer(2).activation());
        assertEquals(Init.XAVIER, DenseNetwork.builder().widths(5, 2).architecture().layer(0).init());
    }

    @Test
    void theSymmetricInitializationCancelsAtAnyDepth() {
        for (int depth = 2; depth <= 5; depth++) {
            int[] widths = new int[depth + 1];
            Arrays.fill(widths, 10);
            widths[0] = 7;
            widths[depth] = 3;
            DenseNetwork net = DenseNetwork.builder().widths(widths).activation(Activation.TANH).bias(false)
                    .parametrization(Parametrization.NTK).symmetric(true).build(depth);
            Workspace ws = net.workspace(9);
            net.forward(NnFixtures.batch(9, 7, 3, true, 1), ws);
            for (int i = 0; i < 9 * 3; i++) {
                // NTK: ±1 output weights, so each pair's two products are exact negatives: exactly 0.
                assertEquals(0f, ws.outputs()[i], "depth " + depth + ", output " + i);
            }
            float[] w = net.parameters();
            int out = net.weightOffset(depth - 1);
            for (int c = 0; c < 3; c++) {
                for (int r = 0; r < 10; r += 2) {
                    float a = w[out + c * 10 + r];
                    assertTrue(a == 1f || a == -1f, "NTK output weights are ±1");
                    assertEquals(-a, w[out + c * 10 + r + 1]);
                }
            }
        }
    }

    @Test
    void standardInitScalesAreDocumented() {
        DenseNetwork net = DenseNetwork.builder().widths(400, 300, 10).init(Init.HE).build(3);
        double s0 = 0;
        for (int i = 0; i < 300 * 400; i++) {
            s0 += (double) net.parameters()[i] * net.parameters()[i];
        }
        // The sample variance of 120,000 N(0, 2/400) draws is within 2% of 2/400 with overwhelming probability
        // (its relative standard deviation is √(2/120000) ≈ 0.4%).
        assertEquals(2.0 / 400, s0 / (300 * 400), 0.02 * 2.0 / 400);
        for (int i = 300 * 400; i < 300 * 400 + 300; i++) {
            assertEquals(0f, net.parameters()[i], "biases start at 0");
        }
    }

    @Test
    void aFrozenMiddleLayerIsNeverChanged() {
        DenseNetwork net = DenseNetwork.builder().widths(6, 8, 8, 3).activation(Activation.TANH).freeze(1).build(7);
        assertEquals(2, net.trainableSpans().size());
        assertEquals(-1, net.gradientWeightOffset(1));
        float[] before = net.parameters().clone();
        int from = net.weightOffset(1), to = net.weightOffset(2);
        Dataset data = dataset(40, 6, 3, 8);
        Trainer t = Trainer.of(net, new LossGradient(NnFixtures.loss(true), new Mean()),
                new Sgd(Schedule.constant(0.1), 0.9f, false, 1e-3f)).batch(8).seed(3);
        for (int e = 0; e < 3; e++) {
            t.epoch(data);
        }
        float[] after = net.parameters();
        assertArrayEquals(Arrays.copyOfRange(before, from, to), Arrays.copyOfRange(after, from, to));
        assertNotEquals(before[0], after[0]);
        assertNotEquals(before[to], after[to]);
    }

    @Test
    void theNamedTrainerIsTheDeprecatedOneAndSettingsAreFixedOnceStarted() {
        Dataset data = dataset(50, 6, 3, 8);
        float[][] results = new float[2][];
        for (int variant = 0; variant < 2; variant++) {
            DenseNetwork small = DenseNetwork.builder().widths(6, 5, 3).build(4);
            LossGradient obj = new LossGradient(NnFixtures.loss(true), new Winsorize(1));
            @SuppressWarnings("deprecation")
            Trainer t = variant == 0 ? Trainer.of(small, obj, Sgd.plain(0.1)).batch(8).seed(9).dropLast()
                    : new Trainer(small, obj, Sgd.plain(0.1), 8, 9, true);
            t.epoch(data);
            t.epoch(data);
            results[variant] = small.parameters();
            assertThrows(IllegalStateException.class, () -> t.batch(4));
            assertTrue(t.dropsLast());
        }
        assertArrayEquals(results[0], results[1]);
        assertThrows(IllegalArgumentException.class,
                () -> Trainer.of(deep(Activation.RELU, 1), new LossGradient(NnFixtures.loss(true), new Mean()),
                        Sgd.plain(0.1)).batch(0));
    }

    @Test
    void strategiesSayWhetherTheyNeedWholeBatches() {
        GradientStrategy[] whole = {new Winsorize(2), new Trim(1), new MedianOfMeans(4), new RM3(new Trim(1))};
        GradientStrategy[] any = {new Mean(), new Sum(), new ClipNorm(1f), new Median(), new Winsorize(0),
                new Trim(0), new MedianOfMeans(1), new RM3()};
        for (GradientStrategy s : whole) {
            assertTrue(s.needsWholeBatches(), s.toString());
        }
        for (GradientStrategy s : any) {
            assertFalse(s.needsWholeBatches(), s.toString());
        }
    }

    @Test
    void doubleBackpropObjectivesAtDepthAreGradientPlusGammaHessianGradient() {
        for (boolean frozenBottom : new boolean[] {false, true}) {
            DenseNetwork.Builder b = DenseNetwork.builder().widths(9, 12, 7, 4).activation(Activation.SOFTPLUS);
            if (frozenBottom) {
                b.freeze(0);
            }
            DenseNetwork net = b.build(3);
            NnFixtures.perturb(net.parameters(), 0.2, 4);
            Batch batch = NnFixtures.batch(16, 9, 4, true, 5);
            Loss loss = NnFixtures.loss(true);
            int p = net.trainableCount();
            float gamma = 0.3f;
            float[] hvp = new float[p], rev = new float[p];
            new DoubleBackpropGR(loss, gamma).gradient(net, batch, hvp);
            new BackpropThroughBackwardGR(loss, gamma).gradient(net, batch, rev);
            ReferenceDenseNetwork ref = new ReferenceDenseNetwork(net);
            double[] g = ref.gradient(loss, batch);
            double[] hg = ref.hessianVectorProductByDifferences(loss, batch, g, 1e-5);
            double[] expected = new double[p];
            for (int i = 0; i < p; i++) {
                expected[i] = g[i] + gamma * hg[i];
            }
            double relH = NnFixtures.diffNorm(NnFixtures.toDouble(hvp, p), expected) / NnFixtures.norm(expected);
            double relR = NnFixtures.diffNorm(NnFixtures.toDouble(rev, p), expected) / NnFixtures.norm(expected);
            assertTrue(relH < 1e-5, "forward-over-reverse relative error " + relH);
            assertTrue(relR < 1e-5, "reverse-over-reverse relative error " + relR);
        }
    }

    @Test
    void finiteDifferenceRegularizersAndSamWorkAtDepth() {
        DenseNetwork net = deep(Activation.TANH, 11);
        Batch batch = NnFixtures.batch(16, 9, 4, true, 12);
        Loss loss = NnFixtures.loss(true);
        int p = net.trainableCount();
        float gamma = 0.5f;
        float[] db = new float[p], plain = new float[p];
        new DoubleBackpropGR(loss, gamma).gradient(net, batch, db);
        new LossGradient(loss, new Mean()).gradient(net, batch, plain);
        double scale = NnFixtures.diffNorm(NnFixtures.toDouble(db, p), NnFixtures.toDouble(plain, p));
        double previous = Double.POSITIVE_INFINITY;
        for (float eps : new float[] {0.1f, 0.01f}) {
            float[] f = new float[p], b = new float[p], central = new float[p];
            new ForwardDifferenceGR(new LossGradient(loss, new Mean()), gamma, eps).gradient(net, batch, f);
            new BackwardDifferenceGR(new LossGradient(loss, new Mean()), gamma, eps).gradient(net, batch, b);
            for (int i = 0; i < p; i++) {
                central[i] = (f[i] + b[i]) / 2;
            }
            // F-GR and B-GR are ∇L + γHg ± O(γε): their errors shrink with ε, the central one faster.
            double errF = NnFixtures.diffNorm(NnFixtures.toDouble(f, p), NnFixtures.toDouble(db, p)) / scale;
            assertTrue(errF < previous, "F-GR error " + errF + " at ε=" + eps);
            previous = errF;
            double errC = NnFixtures.diffNorm(NnFixtures.toDouble(central, p), NnFixtures.toDouble(db, p)) / scale;
            assertTrue(errC < errF, "central " + errC + " vs forward " + errF);
        }
        assertTrue(previous < 0.1, "F-GR at ε = 0.01 is within 10% of γHg: " + previous);

        // SAM: the gradient at θ + ρ g/‖g‖, computed by hand on a shifted reference.
        float rho = 0.05f;
        float[] sam = new float[p];
        float[] before = net.parameters().clone();
        new Sam(new LossGradient(loss, new Mean()), rho).gradient(net, batch, sam);
        assertArrayEquals(before, net.parameters(), "SAM never changes θ");
        double[] g = NnFixtures.toDouble(plain, p);
        double norm = NnFixtures.norm(g);
        double[] expected = new ReferenceDenseNetwork(net).shifted(g, (float) (rho / norm)).gradient(loss, batch);
        double rel = NnFixtures.diffNorm(NnFixtures.toDouble(sam, p), expected) / NnFixtures.norm(expected);
        assertTrue(rel < 1e-4, "SAM relative error " + rel);

        // Flooding below the flood level ascends.
        float[] flood = new float[p];
        double l = new Flooding(new LossGradient(loss, new Mean()), 1e9).gradient(net, batch, flood);
        assertTrue(l > 0);
        for (int i = 0; i < p; i++) {
            assertEquals(-plain[i], flood[i]);
        }
    }

    @Test
    void sameBitsForOneAndTwoThreadsAtDepth() {
        DenseNetwork net = DenseNetwork.builder().widths(300, 96, 80, 10).activation(Activation.TANH).build(2);
        Batch batch = NnFixtures.batch(37, 300, 10, true, 3);
        Loss loss = NnFixtures.loss(true);
        Objective[] objectives = {new LossGradient(loss, new Winsorize(3)), new DoubleBackpropGR(loss, 0.1f),
                new BackpropThroughBackwardGR(loss, 0.1f)};
        int saved = Parallelism.threads();
        try {
            for (Objective o : objectives) {
                float[][] r = new float[2][net.trainableCount()];
                for (int threads = 1; threads <= 2; threads++) {
                    Parallelism.setThreads(threads);
                    o.gradient(net, batch, r[threads - 1]);
                }
                assertArrayEquals(r[0], r[1], o.toString());
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Test
    void badArchitecturesAndWorkspacesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> DenseNetwork.builder().widths(5));
        assertThrows(IllegalArgumentException.class, () -> DenseNetwork.builder().widths(5, 0, 2));
        assertThrows(IllegalStateException.class, () -> DenseNetwork.builder().build(1));
        assertThrows(IllegalArgumentException.class,
                () -> DenseNetwork.builder().widths(5, 4, 2).activation(1, Activation.TANH).architecture());
        assertThrows(IllegalArgumentException.class,
                () -> DenseNetwork.builder().widths(5, 4, 2).freeze(0, 1).architecture());
        assertThrows(IllegalArgumentException.class,
                () -> DenseNetwork.builder().widths(5, 4, 3, 2).symmetric(true).architecture());
        assertThrows(IllegalArgumentException.class,
                () -> DenseNetwork.builder().widths(5, 2).symmetric(true).architecture());
        assertThrows(IllegalArgumentException.class, () -> DenseNetwork.builder().widths(5, 4, 2).freeze(3)
                .architecture());
        DenseNetwork a = DenseNetwork.builder().widths(5, 4, 2).build(1);
        DenseNetwork b = DenseNetwork.builder().widths(5, 4, 4, 2).build(1);
        Workspace ws = a.workspace(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.forward(NnFixtures.batch(3, 5, 2, true, 1), ws));
        assertTrue(e.getMessage().contains("workspace"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.forward(NnFixtures.batch(4, 5, 2, true, 1), ws));
        assertThrows(IllegalArgumentException.class, () -> a.forward(NnFixtures.batch(3, 6, 2, true, 1), ws));
        assertThrows(IllegalArgumentException.class,
                () -> DenseNetwork.fromParameters(a.architecture(), new float[a.parameterCount() + 1]));
    }
}
