package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Init;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.Parametrization;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.SquaredLoss;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;

import java.util.SplittableRandom;

/** Seeded random networks and batches for the nn tests. */
final class NnFixtures {
    private NnFixtures() {
    }

    static NetSpec spec(int d, int m, int k, Activation act, boolean ntk, boolean hiddenBias, boolean outputBias,
                        boolean frozen, boolean symmetric) {
        return new NetSpec(d, m, k, act, ntk ? Parametrization.NTK : Parametrization.STANDARD,
                act == Activation.RELU ? Init.HE : Init.XAVIER, hiddenBias, outputBias, frozen, symmetric);
    }

    /** B examples of d features, N(0, 1), with labels in 0..k-1 (for cross-entropy) or N(0,1) targets of width k. */
    static Batch batch(int b, int d, int k, boolean labels, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[b * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        if (labels) {
            int[] y = new int[b];
            for (int i = 0; i < b; i++) {
                y[i] = rnd.nextInt(k);
            }
            return Batch.of(Dataset.classification(b, d, x, y, k));
        }
        float[] t = new float[b * k];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) rnd.nextGaussian();
        }
        return Batch.of(Dataset.regression(b, d, x, t, k));
    }

    static Loss loss(boolean crossEntropy) {
        return crossEntropy ? new SoftmaxCrossEntropy() : new SquaredLoss();
    }

    /** Adds N(0, scale²) noise to the parameters so biases and symmetric pairs are not special. */
    static void perturb(float[] theta, double scale, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < theta.length; i++) {
            theta[i] += (float) (scale * rnd.nextGaussian());
        }
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    static double diffNorm(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    static double[] toDouble(float[] x, int n) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = x[i];
        }
        return y;
    }
}
