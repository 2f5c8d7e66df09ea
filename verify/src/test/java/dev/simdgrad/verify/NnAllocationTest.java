package dev.simdgrad.verify;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.optim.DoubleBackpropGR;
import dev.simdgrad.nn.optim.ForwardDifferenceGR;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Objective;
import dev.simdgrad.nn.optim.Schedule;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.strategy.Mean;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A training step allocates nothing once its workspaces exist (measured with the JVM's per-thread counter). */
class NnAllocationTest {

    @Test
    void steadyStateStepsDoNotAllocate() {
        if (!SteadyStateAllocation.supported()) {
            return;
        }
        int saved = Parallelism.threads();
        Parallelism.setThreads(1);   // worker threads would allocate on their own counters, not this one
        try {
            TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(20, 16, 5, Activation.GELU), 1);
            Batch batch = NnFixtures.batch(24, 20, 5, true, 2);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            Objective[] objectives = {new LossGradient(loss, new Mean()), new DoubleBackpropGR(loss, 0.1f),
                    new ForwardDifferenceGR(new LossGradient(loss, new Mean()), 0.1f, 0.05f)};
            for (Objective o : objectives) {
                Sgd sgd = new Sgd(Schedule.cosine(0.01, 0, 1000), 0.9f, true, 1e-4f);
                float[] g = new float[net.trainableCount()];
                long perStep = SteadyStateAllocation.perCall(() -> {
                    o.gradient(net, batch, g);
                    sgd.step(net, g);
                }, 1000, 50, 60, 256);
                assertTrue(perStep < 256, o + " allocates " + perStep + " bytes per step");
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }
}
