package dev.simdgrad.verify;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.optim.BackpropThroughBackwardGR;
import dev.simdgrad.nn.optim.DoubleBackpropGR;
import dev.simdgrad.nn.optim.ForwardDifferenceGR;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Objective;
import dev.simdgrad.nn.optim.Schedule;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.strategy.ClipNorm;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.Winsorize;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training step of a three-layer network with a frozen middle layer allocates nothing once its workspaces exist,
 * for the plain, clipped and winsorized gradients and the regularizers (measured with the JVM's per-thread counter,
 * in a fresh JVM as every allocation test).
 */
class NnDenseAllocationTest {

    @Test
    void stepsAtDepthDoNotAllocateInSteadyState() {
        if (!SteadyStateAllocation.supported()) {
            return;
        }
        int saved = Parallelism.threads();
        Parallelism.setThreads(1);   // worker threads would allocate on their own counters, not this one
        try {
            DenseNetwork net = DenseNetwork.builder().widths(20, 16, 12, 5).activation(Activation.GELU).freeze(1)
                    .build(1);
            Batch batch = NnFixtures.batch(24, 20, 5, true, 2);
            Loss loss = NnFixtures.loss(true);
            Objective[] objectives = {new LossGradient(loss, new Mean()), new LossGradient(loss, new ClipNorm(0.5f)),
                    new LossGradient(loss, new Winsorize(2)), new DoubleBackpropGR(loss, 0.1f),
                    new BackpropThroughBackwardGR(loss, 0.1f),
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
