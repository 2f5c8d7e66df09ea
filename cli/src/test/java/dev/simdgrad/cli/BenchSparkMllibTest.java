package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.experiments.Spread;
import dev.simdgrad.spark.MllibBenchmark;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bench spark-mllib}: usage errors before any work, and the verdict on the 5x target rendered from a canned
 * result (the measurement itself is tested in the spark module).
 */
class BenchSparkMllibTest {
    @Test
    void badOptionsAreUsageErrors() {
        for (String[] args : new String[][] {{"--epochs", "0"}, {"--repeats", "0"}, {"--workers", "0"},
            {"--train-size", "6000"}}) {
            String[] full = new String[args.length + 2];
            full[0] = "bench";
            full[1] = "spark-mllib";
            System.arraycopy(args, 0, full, 2, args.length);
            CliRun r = CliRun.of(full);
            assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.firstErrorLine().contains(args[0]), r.err());
        }
    }

    @Test
    void theTargetNeedsTheSpeedAndTheAccuracy() {
        var c = MllibBenchmark.Config.standard();
        var r = new MllibBenchmark.Result(c, "embedded", "local[2] (2 cores)", 2, List.of(
                new MllibBenchmark.Line("MLlib", "l-bfgs", 1, new Spread(1.0, 0.1, 3), 0.70),
                new MllibBenchmark.Line("simdgrad", "fast and good", 1, new Spread(0.1, 0.01, 3), 0.72),
                new MllibBenchmark.Line("simdgrad", "fast but worse", 1, new Spread(0.1, 0.01, 3), 0.60),
                new MllibBenchmark.Line("simdgrad", "slow", 40, new Spread(0.5, 0.01, 3), 0.75)),
                List.of(new MllibBenchmark.ToTarget("MLlib", "l-bfgs, maxIter = epochs", 0.70, 10, 8.0, 0.70),
                        new MllibBenchmark.ToTarget("simdgrad", "fast and good", 0.70, 2, 0.4, 0.71),
                        new MllibBenchmark.ToTarget("simdgrad", "fast but worse", 0.70, 0, Double.NaN, Double.NaN)),
                List.of(new MllibBenchmark.Overhead(2, 1, "job", 2, 39, 30, 4, 0.1, 28)));
        String t = SparkMllibReport.table(r);
        assertTrue(t.contains("10.0x") && t.contains("yes"), t);
        assertTrue(t.contains("NO (less accurate)"), t);
        assertTrue(t.contains("NO (2.0x)"), t);
        assertTrue(t.contains("93%"), t);   // 28 / (30 + 0.1)
        assertTrue(t.contains("20.0x sooner"), t);   // 8.0 s / 0.4 s
        assertTrue(t.contains("not in 10"), t);
    }
}
