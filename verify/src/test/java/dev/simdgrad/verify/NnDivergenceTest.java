package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.SquaredLoss;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.optim.BackwardDifferenceGR;
import dev.simdgrad.nn.optim.Flooding;
import dev.simdgrad.nn.optim.ForwardDifferenceGR;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Sam;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.optim.Trainer;
import dev.simdgrad.nn.optim.TrainingDivergedException;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.MedianOfMeans;
import dev.simdgrad.nn.strategy.RM3;
import dev.simdgrad.nn.strategy.Trim;
import dev.simdgrad.nn.strategy.Winsorize;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The library refuses what cannot work before a run and reports divergence as such: the trainer's
 * {@link TrainingDivergedException}, the strategies' batch-size check, the objectives that evaluate their inner
 * gradient twice refusing a stateful strategy.
 */
class NnDivergenceTest {

    private static Dataset regression(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d], y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
            y[i] = (float) r.nextGaussian();
        }
        return Dataset.regression(n, d, x, y, 1);
    }

    @Test
    void aHugeLearningRateStopsWithWhereAndTheLastFiniteLoss() {
        TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(6, 16, 1, Activation.RELU), 2);
        Trainer trainer = new Trainer(net, new LossGradient(new SquaredLoss(), new Mean()), Sgd.plain(1e8), 8, 5);
        Dataset data = regression(40, 6, 9);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> {
            for (int epoch = 0; epoch < 20; epoch++) {
                trainer.epoch(data);
            }
        });
        assertTrue(e.epoch() >= 1 && e.step() >= 1 && e.step() <= 5, e.getMessage());
        // Either a step's loss was not finite, or a step left non-finite parameters behind a finite one.
        assertTrue(!Double.isFinite(e.loss()) || e.what().startsWith("parameter"), e.getMessage());
        assertTrue(e.getMessage().contains("epoch " + e.epoch() + ", step " + e.step()), e.getMessage());
    }

    @Test
    void aStableRunNeverThrows() {
        TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(6, 16, 1, Activation.RELU), 2);
        Trainer trainer = new Trainer(net, new LossGradient(new SquaredLoss(), new Mean()), Sgd.plain(0.01), 8, 5);
        Dataset data = regression(40, 6, 9);
        for (int epoch = 0; epoch < 20; epoch++) {
            assertTrue(Double.isFinite(trainer.epoch(data)));
        }
    }

    @Test
    void nonFiniteParametersAreCaughtEvenBehindAFiniteLoss() {
        TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(6, 16, 1, Activation.RELU), 2);
        // One full-batch step with an infinite learning-rate factor: the step's own loss is finite (computed before
        // the update), the parameters after it are not.
        Sgd sgd = Sgd.plain(Double.MAX_VALUE);
        Trainer trainer = new Trainer(net, new LossGradient(new SquaredLoss(), new Mean()), sgd, 100, 5);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.epoch(regression(40, 6, 9)));
        assertEquals(1, e.epoch());
        assertEquals(1, e.step());
        assertTrue(Double.isFinite(e.lastFiniteLoss()), e.getMessage());
        assertTrue(e.what().startsWith("parameter"), e.getMessage());
    }

    @Test
    void strategiesSayWhichBatchSizesTheyCanAggregate() {
        new Winsorize(4).checkBatchSize(9);
        assertThrows(IllegalArgumentException.class, () -> new Winsorize(4).checkBatchSize(8));
        new Winsorize(0).checkBatchSize(1);
        assertThrows(IllegalArgumentException.class, () -> new Trim(50).checkBatchSize(100));
        new MedianOfMeans(10).checkBatchSize(10);
        assertThrows(IllegalArgumentException.class, () -> new MedianOfMeans(11).checkBatchSize(10));
        new MedianOfMeans(1).checkBatchSize(1);
        assertThrows(IllegalArgumentException.class, () -> new RM3(new Winsorize(2)).checkBatchSize(4));
        assertTrue(new Winsorize(1).needsWholeBatches() && new Trim(1).needsWholeBatches()
                && new MedianOfMeans(2).needsWholeBatches() && new RM3(new Trim(1)).needsWholeBatches());
        assertFalse(new Winsorize(0).needsWholeBatches() || new Mean().needsWholeBatches()
                || new RM3().needsWholeBatches());
        GradientStrategy[] stateless = {new Mean(), new Winsorize(2), new MedianOfMeans(3)};
        for (GradientStrategy s : stateless) {
            assertFalse(s.isStateful(), s.toString());
        }
        assertTrue(new RM3().isStateful());
    }

    @Test
    void objectivesThatEvaluateTwicePerStepRefuseAStatefulStrategy() {
        LossGradient rm3 = new LossGradient(new SquaredLoss(), new RM3());
        assertThrows(IllegalArgumentException.class, () -> new ForwardDifferenceGR(rm3, 0.1f, 0.1f));
        assertThrows(IllegalArgumentException.class, () -> new BackwardDifferenceGR(rm3, 0.1f, 0.1f));
        assertThrows(IllegalArgumentException.class, () -> new Sam(rm3, 0.1f));
        new Flooding(rm3, 0.1);   // one evaluation per step: fine
        LossGradient mean = new LossGradient(new SquaredLoss(), new Mean());
        assertThrows(IllegalArgumentException.class, () -> new ForwardDifferenceGR(mean, Float.POSITIVE_INFINITY,
                0.1f));
        assertThrows(IllegalArgumentException.class, () -> new Sam(mean, Float.POSITIVE_INFINITY));
    }
}
