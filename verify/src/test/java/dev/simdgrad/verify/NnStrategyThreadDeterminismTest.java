package dev.simdgrad.verify;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.strategy.ClipNorm;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Median;
import dev.simdgrad.nn.strategy.MedianOfMeans;
import dev.simdgrad.nn.strategy.RM3;
import dev.simdgrad.nn.strategy.Trim;
import dev.simdgrad.nn.strategy.Winsorize;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Every strategy gives the same bits with 1 and 2 threads, on layers wide enough that the kernels split their work
 * (several column tiles of the fused aggregators, several SGEMM blocks).
 */
class NnStrategyThreadDeterminismTest {

    @Test
    void sameBitsForOneAndTwoThreads() {
        var f = NnStrategyDefinitionProperties.Fixture.of(700, 96, 10, 37, Activation.RELU, true, false, 11);
        Supplier<?>[] strategies = {() -> new ClipNorm(0.3f), () -> new Winsorize(4), () -> new Trim(4),
                Median::new, () -> new MedianOfMeans(8), RM3::new};
        int saved = Parallelism.threads();
        try {
            for (Supplier<?> make : strategies) {
                float[][] results = new float[2][];
                for (int threads = 1; threads <= 2; threads++) {
                    Parallelism.setThreads(threads);
                    GradientStrategy s = (GradientStrategy) make.get();
                    results[threads - 1] = f.run(s);
                }
                assertArrayEquals(results[0], results[1], make.get().toString());
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }
}
