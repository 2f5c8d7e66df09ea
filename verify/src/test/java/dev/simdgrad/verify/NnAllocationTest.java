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

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A training step allocates nothing once its workspaces exist (measured with the JVM's per-thread counter). */
class NnAllocationTest {

    @Test
    void steadyStateStepsDoNotAllocate() {
        var bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean mx) || !mx.isThreadAllocatedMemorySupported()) {
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
                // C2 compiles in the background (and, interpreted, vectors are objects), so warm up in rounds until
                // a measured round is clean; still allocating after 60 rounds (60,000 steps) is a real allocation.
                long perStep = Long.MAX_VALUE;
                for (int round = 0; round < 60 && perStep >= 256; round++) {
                    for (int i = 0; i < 1000; i++) {
                        o.gradient(net, batch, g);
                        sgd.step(net, g);
                    }
                    long id = Thread.currentThread().threadId();
                    long before = mx.getThreadAllocatedBytes(id);
                    for (int i = 0; i < 50; i++) {
                        o.gradient(net, batch, g);
                        sgd.step(net, g);
                    }
                    perStep = (mx.getThreadAllocatedBytes(id) - before) / 50;
                }
                assertTrue(perStep < 256, o + " allocates " + perStep + " bytes per step");
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }
}
