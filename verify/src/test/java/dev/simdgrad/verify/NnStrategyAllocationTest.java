package dev.simdgrad.verify;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.strategy.ClipNorm;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Median;
import dev.simdgrad.nn.strategy.MedianOfMeans;
import dev.simdgrad.nn.strategy.RM3;
import dev.simdgrad.nn.strategy.Trim;
import dev.simdgrad.nn.strategy.Winsorize;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A training step with each robust strategy allocates nothing once its scratch exists (per-thread counter). */
class NnStrategyAllocationTest {

    @Test
    void steadyStateStepsDoNotAllocate() {
        if (!SteadyStateAllocation.supported()) {
            return;
        }
        int saved = Parallelism.threads();
        Parallelism.setThreads(1);   // worker threads would allocate on their own counters, not this one
        try {
            TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(20, 16, 5, Activation.RELU), 1);
            Batch batch = NnFixtures.batch(24, 20, 5, true, 2);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            GradientStrategy[] strategies = {new ClipNorm(0.5f), new Winsorize(2), new Trim(2), new Median(),
                    new MedianOfMeans(4), new RM3()};
            for (GradientStrategy s : strategies) {
                LossGradient objective = new LossGradient(loss, s);
                Sgd sgd = Sgd.plain(0.01);
                float[] g = new float[net.trainableCount()];
                // In a fresh JVM (the "allocation" Surefire execution) this is clean within a few rounds.
                long perStep = SteadyStateAllocation.perCall(() -> {
                    objective.gradient(net, batch, g);
                    sgd.step(net, g);
                }, 1000, 50, 60, 256);
                assertTrue(perStep < 256, s + " allocates " + perStep + " bytes per step");
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }
}
