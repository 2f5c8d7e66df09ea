package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.benchmarks.AggregateBenchmark;
import dev.simdgrad.benchmarks.TrainStepBenchmark;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.TimeValue;

/** {@code bench aggregate} and {@code bench train-step} without running JMH: plans, tables, usage errors. */
class BenchSuitesTest {
    private static BenchResult agg(String method, String shape, int b, int c, double ms, double err) {
        return new BenchResult(method, Map.of("shape", shape, "batch", "" + b, "c", "" + c, "threads", "1"), ms,
                err);
    }

    private static BenchResult step(String objective, String shape, int threads, double ms) {
        return new BenchResult("trainStep", Map.of("shape", shape, "objective", objective, "threads", "" + threads),
                ms, 0.01);
    }

    @Test
    void aggregateQuickPlanIsOneSmallCell() {
        SuitePlan q = BenchAggregateCommand.defaults(true);
        assertTrue(q.quick());
        assertEquals(List.of("784x256"), q.params().get("shape"));
        assertEquals(List.of("128"), q.params().get("batch"));
        assertEquals(List.of("4"), q.params().get("c"));
        assertEquals(1, q.forks());
        assertTrue(q.iterationTime().convertTo(java.util.concurrent.TimeUnit.MILLISECONDS) <= 1000);
        Options o = q.options(null);
        assertEquals(1, o.getForkCount().get());
        assertTrue(o.getJvmArgsAppend().get().contains(GemmPlan.VECTOR_FLAG));
        assertTrue((AggregateBenchmark.class.getName() + ".plainGradient").matches(o.getIncludes().get(0)));
        assertTrue(!(TrainStepBenchmark.class.getName() + ".trainStep").matches(o.getIncludes().get(0)));
        SuitePlan full = BenchAggregateCommand.defaults(false);
        assertEquals(List.of("784x256", "784x1024"), full.params().get("shape"));
        assertEquals(List.of("32", "128", "512"), full.params().get("batch"));
    }

    @Test
    void trainStepQuickPlanRunsEveryObjectiveAtOneThread() {
        SuitePlan q = BenchTrainStepCommand.defaults(true);
        assertEquals(List.of("784-256-10"), q.params().get("shape"));
        assertEquals(List.of("1"), q.params().get("threads"));
        assertEquals(12, q.params().get("objective").size());
        assertEquals("mean", q.params().get("objective").get(0));
        assertEquals(1, q.forks());
        assertEquals(List.of("1", "2"), BenchTrainStepCommand.defaults(false).params().get("threads"));
    }

    @Test
    void effortOptionsOverrideTheDefaults() {
        var cl = new picocli.CommandLine(new BenchAggregateCommand());
        cl.parseArgs("--quick", "--forks", "2", "--warmup", "0", "--iterations", "4", "--time", "200ms",
                "--batches", "32,32,512", "--c", "8");
        SuitePlan p = ((BenchAggregateCommand) cl.getCommand()).plan();
        assertEquals(2, p.forks());
        assertEquals(0, p.warmupIterations());
        assertEquals(4, p.iterations());
        assertEquals(TimeValue.milliseconds(200), p.iterationTime());
        assertEquals(TimeValue.milliseconds(200), p.warmupTime());
        assertEquals(List.of("32", "512"), p.params().get("batch"));
        assertEquals(List.of("8"), p.params().get("c"));
        assertEquals(List.of("784x256"), p.params().get("shape"));
    }

    @Test
    void aggregateTableComputesBandwidthPeakAndRatios() {
        // 128 x 784 x 256 x 4 bytes = 102,760,448 bytes; in 2 ms that is 51.380224 GB/s, 428.2% of 12 GB/s.
        String t = AggregateTable.format(List.of(
                agg("fusedMedian", "784x256", 128, 4, 8.0, 0.5),
                agg("plainGradient", "784x256", 128, 4, 2.0, Double.NaN),
                agg("explicitMedian", "784x256", 128, 4, 20.0, 1.0),
                agg("materialize", "784x256", 128, 4, 12.0, 1.0),
                agg("plainGradient", "784x1024", 32, 4, 1.0, 0.1)), List.of("784x256"), 12.0, List.of("note one"));
        List<String> lines = t.lines().map(String::strip).toList();
        assertTrue(lines.get(0).matches("shape\\s+B\\s+c\\s+benchmark\\s+ms/op\\s+GB/s\\s+% peak\\s+vs plain"
                + "\\s+speed-up vs explicit"), lines.get(0));
        assertTrue(lines.get(2).matches("784x256\\s+128\\s+4\\s+plainGradient\\s+2\\.000 ± \\?\\s+51\\.38"
                + "\\s+428\\.2%\\s+1\\.00x\\s+-"), lines.get(2));
        // The explicit path: materialize 12 ms + explicitMedian 20 ms = 32 ms, 4x the fused median's 8 ms.
        assertTrue(lines.get(3).matches("784x256\\s+128\\s+4\\s+fusedMedian\\s+8\\.000 ± 0\\.500\\s+12\\.85"
                + "\\s+107\\.0%\\s+4\\.00x\\s+4\\.00x"), lines.get(3));
        assertTrue(lines.get(4).matches("784x256\\s+128\\s+4\\s+materialize\\s+.*\\s+6\\.00x\\s+-"),
                lines.get(4));
        assertTrue(lines.get(5).matches("784x256\\s+128\\s+4\\s+explicitMedian\\s+.*\\s+10\\.00x\\s+-"),
                lines.get(5));
        // 32 x 784 x 1024 x 4 bytes in 1 ms = 102.760448 GB/s
        assertTrue(lines.get(6).matches("784x1024\\s+32\\s+4\\s+plainGradient\\s+1\\.000 ± 0\\.100\\s+102\\.8"
                + "\\s+856\\.3%\\s+1\\.00x\\s+-"), lines.get(6));
        assertTrue(t.contains("note one"));
        assertEquals(51.380224, AggregateTable.gbPerSecond(agg("norms", "784x256", 128, 4, 2.0, 0)), 1e-9);
    }

    @Test
    void aggregateScalesTheCappedExplicitPathToAllCoordinates() {
        // B = 512 at 784x1024: P = 802,816, but the explicit benchmarks cover 2^27 / 512 = 262,144 coordinates.
        long cols = 262_144;
        BenchResult expl = agg("explicitMean", "784x1024", 512, 1, 10.0, 0.1);
        assertEquals(cols, AggregateTable.columns(expl));
        assertEquals(4.0 * 512 * cols / 10e-3 / 1e9, AggregateTable.gbPerSecond(expl), 1e-9);
        String t = AggregateTable.format(List.of(expl, agg("materialize", "784x1024", 512, 1, 5.0, 0.1),
                agg("plainGradient", "784x1024", 512, 1, 3.0, 0.1)), List.of(), Double.NaN, List.of());
        // (5 + 10) ms x 802816 / 262144 = 45.9375 ms, over the plain gradient's 3 ms: 15.31x
        assertTrue(t.lines().map(String::strip).anyMatch(l -> l.matches("784x1024\\s+512\\s+1\\s+plainGradient\\s+"
                + ".*\\s+-\\s+1\\.00x\\s+15\\.31x")), t);
        assertTrue(t.contains("% peak: not available"), t);
    }

    @Test
    void aggregateRatioFallsBackToPlainGradientAtAnotherC() {
        String t = AggregateTable.format(List.of(agg("plainGradient", "784x256", 128, 1, 2.0, 0.1),
                agg("norms", "784x256", 128, 8, 3.0, 0.1), agg("norms", "784x256", 512, 8, 3.0, 0.1),
                agg("explicitWinsorized", "784x256", 128, 1, 3.0, 0.1), agg("materialize", "784x256", 128, 1, 3.0,
                        0.1), agg("fusedWinsorized", "784x256", 128, 8, 3.0, 0.1)), List.of(), 10, List.of());
        List<String> lines = t.lines().map(String::strip).toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches("784x256\\s+128\\s+8\\s+norms\\s+.*\\s1\\.50x\\s+-")), t);
        assertTrue(lines.stream().anyMatch(l -> l.matches("784x256\\s+512\\s+8\\s+norms\\s+.*\\s-\\s+-")), t);
        // explicitWinsorized depends on c: measured at c = 1 only, it is no peer for c = 8.
        assertTrue(lines.stream().anyMatch(l -> l.matches("784x256\\s+128\\s+8\\s+fusedWinsorized\\s+.*\\s-")), t);
    }

    @Test
    void trainStepTableRatiosToMeanAtSameShapeAndThreads() {
        String t = TrainStepTable.format(List.of(step("sam", "784-256-10", 1, 5.0), step("mean", "784-256-10", 1, 2.5),
                step("sam", "784-256-10", 2, 3.0), step("mean", "784-256-10", 2, 1.5), step("clip", "784-256-10", 1,
                        3.0)), List.of("784-256-10"), List.of("clip", "sam"), 100, 2, List.of());
        List<String> lines = t.lines().map(String::strip).toList();
        assertTrue(lines.get(0).matches("shape\\s+threads\\s+objective\\s+ms/step\\s+GFLOP/s\\s+% peak\\s+vs mean"),
                lines.get(0));
        // 2 x 128 x (2 x 784 x 256 + 3 x 256 x 10) = 104,726,528 flops; in 2.5 ms 41.89 GFLOP/s, 41.9% of 100.
        assertEquals(104_726_528, TrainStepTable.stepFlops("784-256-10"));
        // Deeper: 2 x 128 x (2 x 784 x 512 + 3 x 512 x 512 + 3 x 512 x 10) = 410,779,648.
        assertEquals(410_779_648, TrainStepTable.stepFlops("784-512-512-10"));
        assertTrue(lines.get(2).matches("784-256-10\\s+1\\s+mean\\s+2\\.500 ± 0\\.010\\s+41\\.89\\s+41\\.9%"
                + "\\s+1\\.00x"), lines.get(2));
        assertTrue(lines.get(3).matches("784-256-10\\s+1\\s+clip\\s+3\\.000 ± 0\\.010\\s+.*\\s+1\\.20x"),
                lines.get(3));
        assertTrue(lines.get(4).matches("784-256-10\\s+1\\s+sam\\s+5\\.000 ± 0\\.010\\s+.*\\s+2\\.00x"),
                lines.get(4));
        // 2 threads: the peak is 2 x 100 GFLOP/s; 104.7 MFLOP in 1.5 ms = 69.82 GFLOP/s = 34.9%.
        assertTrue(lines.get(5).matches("784-256-10\\s+2\\s+mean\\s+.*\\s+69\\.82\\s+34\\.9%\\s+1\\.00x"),
                lines.get(5));
        assertTrue(lines.get(6).matches("784-256-10\\s+2\\s+sam\\s+.*2\\.00x"), lines.get(6));
    }

    @Test
    void suiteJsonCarriesThePlan() {
        String json = BenchJsonReport.json(BenchSuite.TRAIN_STEP, MachineInfo.detect(false),
                BenchTrainStepCommand.defaults(true).jsonFields(), List.of("[{\"benchmark\": \"x\"}]"));
        var root = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        assertEquals("train-step", root.get("suite").getAsString());
        assertEquals(TrainStepBenchmark.class.getName(), root.getAsJsonObject("plan").get("benchmark").getAsString());
        assertEquals(12, root.getAsJsonObject("plan").getAsJsonArray("objective").size());
        assertEquals(1, root.getAsJsonArray("jmh").size());
    }

    @Test
    void badOptionsExitWithTwo() {
        assertEquals(2, CliRun.of("bench", "aggregate", "--shapes", "784by256").exitCode());
        assertEquals(2, CliRun.of("bench", "aggregate", "--batches", "0").exitCode());
        assertEquals(2, CliRun.of("bench", "aggregate", "--c", "x").exitCode());
        assertEquals(2, CliRun.of("bench", "aggregate", "--time", "soon").exitCode());
        assertEquals(2, CliRun.of("bench", "aggregate", "--forks", "-1").exitCode());
        assertEquals(2, CliRun.of("bench", "train-step", "--objectives", "mean,nope").exitCode());
        assertEquals(2, CliRun.of("bench", "train-step", "--threads", "0").exitCode());
        assertEquals(2, CliRun.of("bench", "train-step", "--shapes", "784x256").exitCode());
        // The benchmark fixes input and output sizes: another one would be measured under a wrong label.
        assertEquals(2, CliRun.of("bench", "train-step", "--shapes", "100-16-5").exitCode());
        assertEquals(2, CliRun.of("bench", "train-step", "--shapes", "784-512-0-10").exitCode());
        assertEquals(2, CliRun.of("bench", "train-step", "--objectives", "tripleprop").exitCode());
        CliRun r = CliRun.of("bench", "train-step", "--objectives", "nope");
        assertTrue(r.firstErrorLine().contains("--objectives"), r.err());
    }
}
