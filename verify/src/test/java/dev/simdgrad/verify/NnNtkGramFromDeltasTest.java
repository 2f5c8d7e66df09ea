package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.PerExample;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.data.TeacherDataset;
import dev.simdgrad.nn.metrics.NtkGram;
import org.junit.jupiter.api.Test;

/**
 * The empirical NTK Gram matrix of a one-output network from the per-example Gram machinery: {@code PerExample.gram}
 * of the first layer with D the output's deltas {@code df/dz_ir = s a_r sigma'(z_ir)} instead of the loss's equals
 * nn's {@code NtkGram.of} (two float SGEMMs and a Hadamard product), within the bound of the latter:
 * {@code (gamma(d + 2) + gamma(m + 2) + 4u) s^2 (|x_i| |x_j| + [bias]) |S_i| |S_j|}.
 */
class NnNtkGramFromDeltasTest {

    @Test
    void gramOfTheOutputDeltasIsTheNtk() {
        for (boolean bias : new boolean[] {false, true}) {
            int d = 6, m = 40, n = 15;
            TwoLayerNet net = TwoLayerNet.initialize(NetSpec.ntk(d, m, 1, Activation.TANH).withBiases(bias, false), 5);
            NnFixtures.perturb(net.parameters(), 0.1, 6);
            Dataset data = TeacherDataset.generate(TwoLayerNet.initialize(NetSpec.standard(d, 4, 1,
                    Activation.TANH), 7), n, true, 8);
            double[] h = NtkGram.of(net, data);
            Workspace ws = net.workspace(n);
            net.forward(Batch.of(data), ws);
            float[] z = ws.preActivations(), theta = net.parameters();
            float s = net.spec().hiddenScale();
            float[] deltas = new float[n * m], sRows = new float[n * m];
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < m; r++) {
                    sRows[i * m + r] = theta[net.w2Offset() + r] * (float) net.spec().activation()
                            .derivative(z[i * m + r]);
                    deltas[i * m + r] = s * sRows[i * m + r];
                }
            }
            double[] g = new double[n * n];
            float[] x = data.inputs();
            PerExample.gram(n, m, d, deltas, 0, m, x, 0, d, bias, false, g, 0, n);
            double tol = ErrorBounds.gamma(d + 2) + ErrorBounds.gamma(m + 2) + 4 * ErrorBounds.U;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double xi = 0, xj = 0, si = 0, sj = 0;
                    for (int c = 0; c < d; c++) {
                        xi += (double) x[i * d + c] * x[i * d + c];
                        xj += (double) x[j * d + c] * x[j * d + c];
                    }
                    for (int r = 0; r < m; r++) {
                        si += (double) sRows[i * m + r] * sRows[i * m + r];
                        sj += (double) sRows[j * m + r] * sRows[j * m + r];
                    }
                    double bound = tol * s * s * (Math.sqrt(xi * xj) + (bias ? 1 : 0)) * Math.sqrt(si * sj)
                            + Double.MIN_VALUE;
                    double err = Math.abs(g[i * n + j] - h[i * n + j]);
                    assertTrue(err <= bound, "Theta[" + i + "," + j + "] = " + g[i * n + j] + " vs NtkGram "
                            + h[i * n + j] + ", error " + err + " > " + bound + " (bias " + bias + ")");
                }
            }
        }
    }
}
