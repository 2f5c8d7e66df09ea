package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.optim.Trainer;
import dev.simdgrad.nn.strategy.ClipNorm;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Median;
import dev.simdgrad.nn.strategy.MedianOfMeans;
import dev.simdgrad.nn.strategy.RM3;
import dev.simdgrad.nn.strategy.Trim;
import dev.simdgrad.nn.strategy.Winsorize;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training with the robust strategies: each lowers the loss on a learnable problem, reproducibly; the trainer's
 * dropLast keeps the order-statistic strategies away from a last batch too small for their c.
 */
class NnStrategyTrainingTest {

    /** n examples of d features labelled by a random linear teacher (argmax over k classes). */
    static Dataset teacher(int n, int d, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d], w = new float[k * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double z = 0;
                for (int j = 0; j < d; j++) {
                    z += w[c * d + j] * x[i * d + j];
                }
                if (z > best) {
                    best = z;
                    y[i] = c;
                }
            }
        }
        return Dataset.classification(n, d, x, y, k);
    }

    @Test
    void everyStrategyLearnsReproducibly() {
        Dataset data = teacher(200, 10, 3, 1);
        GradientStrategy[][] pairs = {{new ClipNorm(1f), new ClipNorm(1f)}, {new Winsorize(2), new Winsorize(2)},
                {new Trim(2), new Trim(2)}, {new Median(), new Median()}, {new MedianOfMeans(4), new MedianOfMeans(4)},
                {new RM3(), new RM3()}};
        for (GradientStrategy[] pair : pairs) {
            float[][] theta = new float[2][];
            for (int run = 0; run < 2; run++) {
                TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(10, 16, 3, Activation.TANH), 7);
                LossGradient objective = new LossGradient(new SoftmaxCrossEntropy(), pair[run]);
                double before = objective.gradient(net, Batch.of(data), new float[net.trainableCount()]);
                Trainer trainer = new Trainer(net, objective, Sgd.plain(0.2), 20, 3, true);
                for (int e = 0; e < 15; e++) {
                    trainer.epoch(data);
                }
                double after = objective.gradient(net, Batch.of(data), new float[net.trainableCount()]);
                assertTrue(after < 0.8 * before, pair[run] + ": loss " + before + " -> " + after);
                theta[run] = net.parameters().clone();
            }
            assertArrayEquals(theta[0], theta[1], pair[0] + " is not reproducible");
        }
    }

    @Test
    void dropLastSkipsTheBatchTooSmallForC() {
        Dataset data = teacher(20, 4, 2, 2);   // batches of 8: 8, 8 and a last one of 4 (2c = 6 > 4)
        for (boolean dropLast : new boolean[] {false, true}) {
            TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(4, 6, 2, Activation.RELU), 1);
            Sgd sgd = Sgd.plain(0.1);
            Trainer trainer = new Trainer(net, new LossGradient(new SoftmaxCrossEntropy(), new Winsorize(3)), sgd, 8,
                    5, dropLast);
            if (dropLast) {
                trainer.epoch(data);
                assertEquals(2, sgd.steps());
            } else {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.epoch(data));
                assertTrue(e.getMessage().contains("B=4"), e.getMessage());
            }
        }
    }
}
