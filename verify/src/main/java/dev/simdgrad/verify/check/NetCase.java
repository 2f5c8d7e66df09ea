package dev.simdgrad.verify.check;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Init;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.Parametrization;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.SquaredLoss;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import java.util.SplittableRandom;

/**
 * A two-layer network and a batch for the {@link NetworkCheck} and the {@link CoherenceCheck}, drawn from a seed: the
 * spec, the initialization {@code TwoLayerNet.initialize(spec, seed)} with N(0, 0.1²) noise added to every parameter
 * (so biases and the output layer are not special), and a batch of N(0, 1) inputs with uniform labels
 * (cross-entropy) or N(0, 1) targets (squared loss). With {@code identical}, every example is a copy of the first
 * (same input, same label or target), so the per-example gradients are identical.
 *
 * @param spec         the network's shape and options
 * @param batch        B, at least 1
 * @param crossEntropy softmax cross-entropy, else the squared loss
 * @param identical    every example equal to the first
 * @param seed         the seed of the parameters and of the batch
 */
record NetCase(NetSpec spec, int batch, boolean crossEntropy, boolean identical, long seed) {
    /** Sizes next to the vector widths' edges (in floats: 4, 8, 16) and the 1-sized dimension. */
    private static final int[] EDGES = {1, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33};

    /**
     * A random case: each of d, m, B an edge size a quarter of the time and otherwise uniform up to its maximum; k
     * in 1..maxK (1 a fifth of the time); every activation, parametrization, bias and loss equally likely; the output
     * layer frozen a quarter of the time.
     */
    static NetCase random(SplittableRandom r, int maxD, int maxM, int maxK, int maxB) {
        int d = size(r, maxD), m = size(r, maxM), b = size(r, maxB);
        int k = r.nextInt(5) == 0 ? 1 : 1 + r.nextInt(maxK);
        Activation act = Activation.values()[r.nextInt(Activation.values().length)];
        boolean ntk = r.nextBoolean();
        NetSpec spec = new NetSpec(d, m, k, act, ntk ? Parametrization.NTK : Parametrization.STANDARD,
                act == Activation.RELU ? Init.HE : Init.XAVIER, r.nextBoolean(), r.nextBoolean(), r.nextInt(4) == 0,
                false);
        return new NetCase(spec, b, r.nextBoolean(), false, r.nextLong());
    }

    private static int size(SplittableRandom r, int max) {
        if (r.nextInt(4) == 0) {
            int e = EDGES[r.nextInt(EDGES.length)];
            if (e <= max) {
                return e;
            }
        }
        return 1 + r.nextInt(max);
    }

    NetCase withIdentical(boolean identicalExamples) {
        return new NetCase(spec, batch, crossEntropy, identicalExamples, seed);
    }

    NetCase withBatch(int b) {
        return new NetCase(spec, b, crossEntropy, identical, seed);
    }

    /** The network: initialized from {@code seed}, then perturbed by N(0, 0.1²) noise from {@code seed + 1}. */
    TwoLayerNet net() {
        TwoLayerNet net = TwoLayerNet.initialize(spec, seed);
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        float[] theta = net.parameters();
        for (int i = 0; i < theta.length; i++) {
            theta[i] += (float) (0.1 * rnd.nextGaussian());
        }
        return net;
    }

    /** The batch, from {@code seed + 2}. */
    Batch data() {
        SplittableRandom rnd = new SplittableRandom(seed + 2);
        int d = spec.inputs(), k = spec.outputs();
        float[] x = new float[batch * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = identical && i >= d ? x[i % d] : (float) rnd.nextGaussian();
        }
        if (crossEntropy) {
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) {
                y[i] = identical && i > 0 ? y[0] : rnd.nextInt(k);
            }
            return Batch.of(Dataset.classification(batch, d, x, y, k));
        }
        float[] t = new float[batch * k];
        for (int i = 0; i < t.length; i++) {
            t[i] = identical && i >= k ? t[i % k] : (float) rnd.nextGaussian();
        }
        return Batch.of(Dataset.regression(batch, d, x, t, k));
    }

    Loss loss() {
        return crossEntropy ? new SoftmaxCrossEntropy() : new SquaredLoss();
    }

    @Override
    public String toString() {
        return "a " + spec.inputs() + "-" + spec.hidden() + "-" + spec.outputs() + " " + spec.activation() + " net ("
                + spec.parametrization() + ", hidden bias " + spec.hiddenBias() + ", output bias "
                + spec.outputBias() + (spec.freezeOutput() ? ", output frozen" : "") + ") with "
                + (crossEntropy ? "cross-entropy" : "squared loss") + " over B=" + batch
                + (identical ? " identical examples" : "") + ", seed " + seed;
    }
}
