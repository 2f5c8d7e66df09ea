package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.SquaredLoss;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.data.TeacherDataset;
import dev.simdgrad.nn.metrics.Cholesky;
import dev.simdgrad.nn.metrics.MinNormSolution;
import dev.simdgrad.nn.metrics.NtkGram;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.optim.Trainer;
import dev.simdgrad.nn.strategy.Mean;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cholesky, the NTK Gram matrix against the reference Jacobian, H∞, and the min-norm linearized solution. */
class NnNtkTest {

    @Test
    void choleskySolvesSpdSystems() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int n : new int[] {1, 2, 5, 17, 60}) {
            double[] g = new double[n * n];
            for (int i = 0; i < g.length; i++) {
                g[i] = rnd.nextGaussian();
            }
            double[] a = new double[n * n];   // A = G Gᵀ + I
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = i == j ? 1 : 0;
                    for (int p = 0; p < n; p++) {
                        s += g[i * n + p] * g[j * n + p];
                    }
                    a[i * n + j] = s;
                }
            }
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                b[i] = rnd.nextGaussian();
            }
            Cholesky c = Cholesky.factor(a, n);
            double[] x = c.solve(b), l = c.lower();
            for (int i = 0; i < n; i++) {
                double ax = 0, llt;
                for (int j = 0; j < n; j++) {
                    ax += a[i * n + j] * x[j];
                    llt = 0;
                    for (int p = 0; p < n; p++) {
                        llt += l[i * n + p] * l[j * n + p];
                    }
                    assertEquals(a[i * n + j], llt, 1e-12 * n * Math.abs(a[i * n + i]), "L Lᵀ = A");
                }
                assertEquals(b[i], ax, 1e-9, "residual of row " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Cholesky.factor(new double[] {1, 2, 2, 1}, 2));
    }

    /** J (n x P₁) from the reference: with squared loss and targets f - 1 every δ is 1, so g_i = ∇f(x_i). */
    private static double[][] jacobian(TwoLayerNet net, Dataset data) {
        ReferenceTwoLayerNet ref = new ReferenceTwoLayerNet(net);
        ReferenceTwoLayerNet.Pass p0 = ref.pass(new SquaredLoss(), Batch.of(data), false);
        float[] t = new float[data.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) (p0.z2[i] - 1);
        }
        Dataset shifted = data.withTargets(t, 1);
        ReferenceTwoLayerNet.Pass p = ref.pass(new SquaredLoss(), Batch.of(shifted), false);
        int p1 = net.w2Offset();
        double[][] j = new double[data.size()][p1];
        for (int i = 0; i < data.size(); i++) {
            double scale = 1 / p.delta2[i];   // δ = f - (f - 1) = 1 up to rounding of t
            for (int q = 0; q < p1; q++) {
                j[i][q] = p.perExample[i][q] * scale;
            }
        }
        return j;
    }

    @Test
    void gramMatrixIsJJt() {
        for (boolean bias : new boolean[] {false, true}) {
            NetSpec spec = NetSpec.ntk(6, 20, 1, Activation.TANH).withBiases(bias, false);
            TwoLayerNet net = TwoLayerNet.initialize(spec, 5);
            NnFixtures.perturb(net.parameters(), 0.1, 6);
            Dataset data = TeacherDataset.generate(TwoLayerNet.initialize(NetSpec.standard(6, 4, 1,
                    Activation.TANH), 7), 15, true, 8);
            double[] h = NtkGram.of(net, data);
            double[][] j = jacobian(net, data);
            for (int a = 0; a < 15; a++) {
                for (int b = 0; b < 15; b++) {
                    double e = 0;
                    for (int q = 0; q < j[a].length; q++) {
                        e += j[a][q] * j[b][q];
                    }
                    assertEquals(e, h[a * 15 + b], 1e-5 * (Math.abs(e) + 1e-3), "H[" + a + "," + b + "]");
                }
            }
        }
    }

    @Test
    void wideReluGramApproachesTheInfiniteWidthLimit() {
        Dataset data = TeacherDataset.generate(TwoLayerNet.initialize(NetSpec.standard(8, 4, 1, Activation.TANH), 1),
                12, true, 2);
        double[] inf = NtkGram.reluInfinite(data);
        double maxErr = 0;
        TwoLayerNet net = TwoLayerNet.initialize(NetSpec.ntk(8, 8000, 1, Activation.RELU), 3);
        double[] h = NtkGram.of(net, data);
        for (int e = 0; e < h.length; e++) {
            maxErr = Math.max(maxErr, Math.abs(h[e] - inf[e]));
        }
        // Monte Carlo over m/2 = 4000 independent pairs: standard error about 0.5/√4000 ≈ 0.008 per entry.
        assertTrue(maxErr < 0.05, "max |H - H∞| = " + maxErr);
        assertEquals(0.5, inf[0], 1e-12, "H∞_ii = 1/2 on the unit sphere");
    }

    @Test
    void minNormSolutionInterpolatesTheLinearizedModelAndGdApproachesIt() {
        Dataset data = TeacherDataset.generate(TwoLayerNet.initialize(NetSpec.standard(5, 6, 1, Activation.TANH), 1),
                10, true, 2);
        TwoLayerNet net = TwoLayerNet.initialize(NetSpec.ntk(5, 2000, 1, Activation.SOFTPLUS), 3);
        float[] theta0 = net.parameters().clone();
        MinNormSolution sol = MinNormSolution.compute(net, data);
        // Linearized interpolation: J (θ* - θ₀) = y - f(θ₀) = y.
        double[][] j = jacobian(net, data);
        for (int i = 0; i < 10; i++) {
            double lin = 0;
            for (int q = 0; q < j[i].length; q++) {
                lin += j[i][q] * ((double) sol.parameters()[q] - theta0[q]);
            }
            assertEquals(data.target(i, 0), lin, 1e-3 * (1 + Math.abs(data.target(i, 0))), "example " + i);
        }
        assertEquals(sol.predictedDistance(), dev.simdgrad.nn.metrics.Norms.distance(sol.parameters(), theta0,
                theta0.length), 1e-3 * sol.predictedDistance());

        // Full-batch GD on the squared loss from the symmetric start ends near θ* when the network is wide.
        Trainer gd = new Trainer(net, new LossGradient(new SquaredLoss(), new Mean()), Sgd.plain(4.0), 10, 1);
        double loss = 0;
        for (int t = 0; t < 400; t++) {
            loss = gd.epoch(data);
        }
        double rel = sol.relativeDistance(net, theta0);
        assertTrue(loss < 1e-4, "training loss " + loss);
        assertTrue(rel < 0.1, "‖W - W*‖ / ‖W* - W0‖ = " + rel);
    }
}
