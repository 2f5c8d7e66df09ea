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

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A training step with each robust strategy allocates nothing once its scratch exists (per-thread counter). */
class NnStrategyAllocationTest {

    @Test
    void steadyStateStepsDoNotAllocate() {
        var bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean mx) || !mx.isThreadAllocatedMemorySupported()) {
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
                // Warm up in rounds until C2 has compiled (interpreted, vectors are objects). The bound is in time
                // as well as rounds: on two loaded cores C2's queue can lag, and the jqwik properties that ran
                // earlier in this JVM compiled the fused kernels for other batch sizes. Still allocating after that
                // is a real allocation (or a kernel C2 gave up on, which is as bad).
                long perStep = Long.MAX_VALUE, start = System.nanoTime();
                int round = 0;
                for (; perStep >= 256 && (round < 60 || System.nanoTime() - start < 30_000_000_000L); round++) {
                    for (int i = 0; i < 1000; i++) {
                        objective.gradient(net, batch, g);
                        sgd.step(net, g);
                    }
                    long id = Thread.currentThread().threadId();
                    long before = mx.getThreadAllocatedBytes(id);
                    for (int i = 0; i < 50; i++) {
                        objective.gradient(net, batch, g);
                        sgd.step(net, g);
                    }
                    perStep = (mx.getThreadAllocatedBytes(id) - before) / 50;
                }
                assertTrue(perStep < 256, s + " allocates " + perStep + " bytes per step after " + round
                        + " rounds of warm-up (" + (System.nanoTime() - start) / 1_000_000 + " ms)");
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }
}
