package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.strategy.Bulyan;
import dev.simdgrad.nn.strategy.CenteredClipping;
import dev.simdgrad.nn.strategy.GeometricMedian;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Krum;
import dev.simdgrad.nn.strategy.MultiKrum;
import org.junit.jupiter.api.Test;

/**
 * A training step with each whole-gradient robust strategy (Gram matrix, rule, weighted GEMM or fused trimmed mean)
 * allocates nothing once its scratch exists (per-thread counter; run in a fresh JVM by the "allocation" execution).
 */
class NnStrategyRobustAllocationTest {

    @Test
    void steadyStateStepsDoNotAllocate() {
        if (!SteadyStateAllocation.supported()) {
            return;
        }
        int saved = Parallelism.threads();
        Parallelism.setThreads(1);
        try {
            TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(20, 16, 5, Activation.RELU), 1);
            Batch batch = NnFixtures.batch(24, 20, 5, true, 2);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            GradientStrategy[] strategies = {new Krum(3), new MultiKrum(3, 8), new GeometricMedian(),
                    new CenteredClipping(0.5f), new Bulyan(2)};
            for (GradientStrategy s : strategies) {
                LossGradient objective = new LossGradient(loss, s);
                Sgd sgd = Sgd.plain(0.01);
                float[] g = new float[net.trainableCount()];
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
