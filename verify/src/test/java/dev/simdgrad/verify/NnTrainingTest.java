package dev.simdgrad.verify;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.SquaredLoss;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.BinarySubset;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.data.LabelCorruption;
import dev.simdgrad.nn.metrics.Evaluation;
import dev.simdgrad.nn.metrics.Evaluator;
import dev.simdgrad.nn.metrics.Norms;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Schedule;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.optim.Trainer;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.Sum;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optimizer's update rule and schedules, and end-to-end training: it learns, and it is bitwise reproducible. */
class NnTrainingTest {

    @Test
    void sgdFollowsTheMomentumNesterovWeightDecayRule() {
        for (boolean nesterov : new boolean[] {false, true}) {
            TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(2, 2, 1, Activation.TANH), 3);
            int n = net.trainableCount();
            double[] theta = NnFixtures.toDouble(net.parameters(), n), v = new double[n];
            float mu = 0.9f, wd = 0.01f;
            Sgd sgd = new Sgd(Schedule.step(0.1, 0.5, 2), mu, nesterov, wd);
            float[] g = new float[n];
            for (int t = 0; t < 5; t++) {
                for (int i = 0; i < n; i++) {
                    g[i] = (float) Math.sin(i + 3 * t);
                }
                double lr = 0.1 * Math.pow(0.5, t / 2);
                assertEquals(lr, sgd.currentRate(), 1e-15);
                sgd.step(net, g);
                for (int i = 0; i < n; i++) {
                    double gp = g[i] + (double) wd * theta[i];
                    v[i] = mu * v[i] + gp;
                    theta[i] -= lr * (nesterov ? gp + mu * v[i] : v[i]);
                    assertEquals(theta[i], net.parameters()[i], 1e-5, "step " + t + " param " + i);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Sgd(Schedule.constant(0.1), 0, true, 0));
    }

    @Test
    void aRestoredSgdContinuesBitForBit() {
        for (boolean nesterov : new boolean[] {false, true}) {
            TwoLayerNet once = TwoLayerNet.initialize(NetSpec.standard(3, 4, 2, Activation.TANH), 5);
            TwoLayerNet split = TwoLayerNet.initialize(NetSpec.standard(3, 4, 2, Activation.TANH), 5);
            int n = once.trainableCount();
            Sgd continuous = new Sgd(Schedule.cosine(0.1, 0.01, 6), 0.9f, nesterov, 0.01f);
            Sgd first = new Sgd(Schedule.cosine(0.1, 0.01, 6), 0.9f, nesterov, 0.01f);
            float[] g = new float[n];
            float[] carried = null;
            for (int t = 0; t < 6; t++) {
                for (int i = 0; i < n; i++) {
                    g[i] = (float) Math.cos(2 * i + t);
                }
                continuous.step(once, g);
                // a new optimizer every second step, restored from the previous one's state
                Sgd s = t % 2 == 0 ? new Sgd(Schedule.cosine(0.1, 0.01, 6), 0.9f, nesterov, 0.01f) : first;
                if (t % 2 == 0) {
                    s.restore(t, carried);
                    first = s;
                }
                s.step(split, g);
                carried = s.velocity();
            }
            assertArrayEquals(once.parameters(), split.parameters(), "nesterov " + nesterov);
            assertArrayEquals(continuous.velocity(), carried);
            assertEquals(continuous.currentRate(), first.currentRate());
        }
        Sgd plain = Sgd.plain(0.1);
        assertEquals(null, plain.velocity());
        assertThrows(IllegalArgumentException.class, () -> plain.restore(0, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> plain.restore(-1, null));
    }

    @Test
    void schedules() {
        assertEquals(0.3, Schedule.constant(0.3).rate(1000));
        Schedule cos = Schedule.cosine(1.0, 0.1, 100);
        assertEquals(1.0, cos.rate(0), 1e-15);
        assertEquals(0.55, cos.rate(50), 1e-12);
        assertEquals(0.1, cos.rate(100), 1e-15);
        assertEquals(0.1, cos.rate(5000), 1e-15);
        assertEquals(0.01, Schedule.step(1, 0.1, 10).rate(25), 1e-15);
    }

    @Test
    void frozenOutputStaysFixed() {
        TwoLayerNet net = TwoLayerNet.initialize(NetSpec.ntk(5, 8, 1, Activation.RELU), 1);
        float[] before = net.parameters().clone();
        Dataset data = dev.simdgrad.nn.data.TeacherDataset.generate(
                TwoLayerNet.initialize(NetSpec.standard(5, 4, 1, Activation.TANH), 2), 40, true, 3);
        Trainer trainer = new Trainer(net, new LossGradient(new SquaredLoss(), new Mean()), Sgd.plain(0.5), 100, 4);
        double first = trainer.epoch(data), last = first;
        for (int e = 0; e < 30; e++) {
            last = trainer.epoch(data);
        }
        assertTrue(last < first, "full-batch GD decreases the loss: " + first + " -> " + last);
        for (int i = net.w2Offset(); i < net.parameterCount(); i++) {
            assertEquals(before[i], net.parameters()[i], "output weights are frozen");
        }
        assertTrue(Norms.distanceFromInit(net, before) > 0);
    }

    private static float[] train(int threads) throws IOException {
        int saved = Parallelism.threads();
        Parallelism.setThreads(threads);
        try {
            Dataset train = FashionMnist.embedded().train().head(600);
            LabelCorruption lc = LabelCorruption.apply(train, 0.2, 5);
            TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(784, 64, 10, Activation.RELU), 6);
            Trainer trainer = new Trainer(net, new LossGradient(new SoftmaxCrossEntropy(), new Sum()),
                    new Sgd(Schedule.constant(0.01), 0.5f, false, 1e-4f), 50, 7);
            trainer.epoch(lc.data());
            trainer.epoch(lc.data());
            return net.parameters().clone();
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Test
    void trainingIsBitwiseReproducibleForAnyThreadCount() throws IOException {
        assertArrayEquals(train(1), train(2));
    }

    @Test
    void learnsFashionMnistSubset() throws IOException {
        FashionMnist.Split s = FashionMnist.embedded();
        Dataset train = s.train().head(2000);
        TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(784, 64, 10, Activation.RELU), 1);
        Trainer trainer = new Trainer(net, new LossGradient(new SoftmaxCrossEntropy(), new Mean()),
                new Sgd(Schedule.constant(0.1), 0.9f, true, 0f), 64, 2);
        for (int e = 0; e < 3; e++) {
            trainer.epoch(train);
        }
        Evaluator ev = new Evaluator(new SoftmaxCrossEntropy(), 256);
        Evaluation test = ev.evaluate(net, s.test());
        assertEquals(1000, test.count());
        assertTrue(test.accuracy() > 0.7, "test accuracy " + test.accuracy());

        // Masked evaluation: the two halves recombine into the whole.
        boolean[] mask = new boolean[1000];
        for (int i = 0; i < 1000; i += 3) {
            mask[i] = true;
        }
        boolean[] rest = new boolean[1000];
        for (int i = 0; i < 1000; i++) {
            rest[i] = !mask[i];
        }
        Evaluation a = ev.evaluate(net, s.test(), mask), b = ev.evaluate(net, s.test(), rest);
        assertEquals(test.accuracy(), (a.accuracy() * a.count() + b.accuracy() * b.count()) / 1000, 1e-12);
        assertEquals(test.loss(), (a.loss() * a.count() + b.loss() * b.count()) / 1000, 1e-6);

        Dataset bin = BinarySubset.of(s.test(), 0, 1);
        TwoLayerNet small = TwoLayerNet.initialize(NetSpec.ntk(784, 32, 1, Activation.RELU), 3);
        assertEquals(200, new Evaluator(new SquaredLoss(), 64).evaluate(small, bin.unitNormalized()).count());
    }
}
