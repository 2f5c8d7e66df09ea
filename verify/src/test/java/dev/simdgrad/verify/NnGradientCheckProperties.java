package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradient checks. In double reference mode the analytic gradient and per-example gradients of
 * {@link ReferenceTwoLayerNet} against central finite differences of its loss (relative error &lt; 1e-6); and the
 * kernel path's exact Hessian-vector product against central differences of the double gradient.
 */
class NnGradientCheckProperties {

    @Property(tries = 40)
    void referenceGradientMatchesCentralDifferences(@ForAll @IntRange(min = 1, max = 7) int d,
                                                    @ForAll @IntRange(min = 1, max = 6) int m,
                                                    @ForAll @IntRange(min = 1, max = 4) int k,
                                                    @ForAll @IntRange(min = 1, max = 5) int b,
                                                    @ForAll Activation act, @ForAll boolean ntk,
                                                    @ForAll boolean biases, @ForAll boolean frozen,
                                                    @ForAll boolean crossEntropy, @ForAll long seed) {
        NetSpec spec = NnFixtures.spec(d, m, k, act, ntk, biases, biases, frozen, false);
        TwoLayerNet net = TwoLayerNet.initialize(spec, seed);
        NnFixtures.perturb(net.parameters(), 0.1, seed + 1);
        Batch batch = NnFixtures.batch(b, d, k, crossEntropy, seed + 2);
        Loss loss = NnFixtures.loss(crossEntropy);
        ReferenceTwoLayerNet ref = new ReferenceTwoLayerNet(net);
        ReferenceTwoLayerNet.Pass pass = ref.pass(loss, batch, false);
        double h = 1e-4;
        if (act == Activation.RELU) {
            // A kink within the difference steps (parameters moved by up to 2h, inputs below 10 in magnitude) makes
            // the loss non-differentiable there: not a gradient error.
            for (double z : pass.z1) {
                Assume.that(Math.abs(z) > 100 * h);
            }
        }
        // Five-point central differences, (8 (f(h) - f(-h)) - (f(2h) - f(-2h))) / 12h: truncation O(h^4 f^(5)), about
        // 1e-16 relative here, and rounding about eps |f| / h = 1e-12 |f| (the two-point quotient at h = 1e-6 had
        // 1e-10 |f| of rounding, which a per-example gradient near its 1e-3 floor turned into a 1e-6 relative error)
        double[] theta = ref.parameters();
        double[] fd = new double[ref.trainableCount()];
        for (int p = 0; p < fd.length; p++) {
            fd[p] = fivePoint(theta, p, h, () -> ref.loss(loss, batch));
        }
        double rel = NnFixtures.diffNorm(fd, pass.meanGradient) / Math.max(NnFixtures.norm(pass.meanGradient), 1e-3);
        assertTrue(rel < 1e-6, () -> "relative error of the analytic gradient " + rel);

        // The per-example gradients are the gradients of the per-example losses: check example 0 the same way.
        double[] fd0 = new double[ref.trainableCount()];
        for (int p = 0; p < fd0.length; p++) {
            fd0[p] = fivePoint(theta, p, h, () -> ref.pass(loss, batch, false).losses[0]);
        }
        double rel0 = NnFixtures.diffNorm(fd0, pass.perExample[0])
                / Math.max(NnFixtures.norm(pass.perExample[0]), 1e-3);
        assertTrue(rel0 < 1e-6, () -> "relative error of the per-example gradient " + rel0);
    }

    /** The five-point central difference of f in coordinate p of theta (restored afterwards). */
    private static double fivePoint(double[] theta, int p, double h, java.util.function.DoubleSupplier f) {
        double saved = theta[p];
        theta[p] = saved + h;
        double f1 = f.getAsDouble();
        theta[p] = saved - h;
        double fm1 = f.getAsDouble();
        theta[p] = saved + 2 * h;
        double f2 = f.getAsDouble();
        theta[p] = saved - 2 * h;
        double fm2 = f.getAsDouble();
        theta[p] = saved;
        return (8 * (f1 - fm1) - (f2 - fm2)) / (12 * h);
    }

    @Property(tries = 40)
    void kernelHessianVectorProductMatchesDifferencesOfTheGradient(
            @ForAll @IntRange(min = 1, max = 12) int d, @ForAll @IntRange(min = 1, max = 10) int m,
            @ForAll @IntRange(min = 1, max = 5) int k, @ForAll @IntRange(min = 1, max = 9) int b,
            @ForAll Activation act, @ForAll boolean ntk, @ForAll boolean biases, @ForAll boolean frozen,
            @ForAll boolean crossEntropy, @ForAll long seed) {
        NetSpec spec = NnFixtures.spec(d, m, k, act, ntk, biases, biases, frozen, false);
        TwoLayerNet net = TwoLayerNet.initialize(spec, seed);
        NnFixtures.perturb(net.parameters(), 0.1, seed + 1);
        Batch batch = NnFixtures.batch(b, d, k, crossEntropy, seed + 2);
        Loss loss = NnFixtures.loss(crossEntropy);
        int p = net.trainableCount();
        float[] v = new float[p];
        NnFixtures.perturb(v, 1, seed + 3);
        Workspace ws = net.workspace(b);
        net.lossAndDeltas(loss, batch, ws);
        float[] hv = new float[p];
        net.hessianVectorProduct(loss, batch, ws, v, hv);

        ReferenceTwoLayerNet ref = new ReferenceTwoLayerNet(net);
        if (act == Activation.RELU) {
            for (double z : ref.pass(loss, batch, false).z1) {
                Assume.that(Math.abs(z) > 1e-3);
            }
        }
        double[] expected = ref.hessianVectorProductByDifferences(loss, batch, NnFixtures.toDouble(v, p), 1e-5);
        double rel = NnFixtures.diffNorm(NnFixtures.toDouble(hv, p), expected)
                / Math.max(NnFixtures.norm(expected), 1e-3);
        // float kernel vs double differences: a few hundred ulps of float over sums of at most ~40 terms.
        assertTrue(rel < 1e-4, () -> "relative error of the Hessian-vector product " + rel);
    }
}
