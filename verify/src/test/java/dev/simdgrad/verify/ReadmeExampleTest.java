package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.FusedAggregate;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Parametrization;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.metrics.Evaluation;
import dev.simdgrad.nn.metrics.Evaluator;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.optim.Trainer;
import dev.simdgrad.nn.strategy.Winsorize;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The code examples of the README's "Linking" section, verbatim between the markers, so that they compile and run.
 * Edit both together.
 */
class ReadmeExampleTest {

    @Test
    void winsorizedSgdExampleTrains() throws IOException {
        // README example: winsorized SGD
        FashionMnist.Split data = FashionMnist.embedded();            // 5,000 + 1,000 images inside the jar
        DenseNetwork net = DenseNetwork.builder()
                .widths(784, 256, 128, 10)                            // L = 3 layers
                .activation(Activation.RELU)                          // every hidden layer
                .parametrization(Parametrization.STANDARD)            // He init for ReLU; or NTK
                .build(1);                                            // the seed of θ₀
        var loss = new SoftmaxCrossEntropy();
        var objective = new LossGradient(loss, new Winsorize(4));    // Coherent Gradients, c = 4
        var trainer = Trainer.of(net, objective, Sgd.plain(0.1)).batch(100).seed(1).dropLast();
        for (int epoch = 0; epoch < 3; epoch++) {
            trainer.epoch(data.train());
        }
        Evaluation test = new Evaluator(loss, 1000).evaluate(net, data.test());
        System.out.printf("test accuracy %.3f%n", test.accuracy());
        // end of README example
        assertTrue(test.accuracy() > 0.5, "three epochs of winsorized SGD learn Fashion-MNIST: " + test);
    }

    @Test
    void fusedAggregationExampleRuns() {
        int batch = 128, dOut = 256, dIn = 784, c = 4;
        SplittableRandom r = new SplittableRandom(1);
        float[] d = new float[batch * dOut], x = new float[batch * dIn];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        // README example: fused aggregation
        // d: B x dOut output deltas, x: B x dIn inputs of a dense layer (row-major). Per coordinate (r, c) the B
        // per-example values d[i][r] * x[i][c] are winsorized and averaged, without a B x P matrix in memory.
        float[] gradW = new float[dOut * dIn], gradB = new float[dOut];
        FusedAggregate.winsorizedMean(batch, dOut, dIn, d, 0, dOut, x, 0, dIn, c, gradW, 0, dIn, gradB, 0);
        // end of README example
        for (float v : gradW) {
            assertTrue(Float.isFinite(v));
        }
    }
}
