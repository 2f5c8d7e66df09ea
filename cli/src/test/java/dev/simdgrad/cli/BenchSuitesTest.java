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
    private static SuiteResult agg(String method, String shape, int b, int c, double ms, double err) {
        return new SuiteResult(method, Map.of("shape", shape, "batch", "" + b, "c", "" + c, "threads", "1"), ms,
                err);
    }

    private static SuiteResult step(String objective, String shape, int threads, double ms) {
        return new SuiteResult("trainStep", Map.of("shape", shape, "objective", objective, "threads", "" + threads),
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
    void aggregateTableComputesBandwidthAndRatioToPlainGradient() {
        // 128 x 784 x 256 x 4 bytes = 102,760,448 bytes; in 2 ms that is 51.380224 GB/s.
        String t = AggregateTable.format(List.of(
                agg("fusedMedian", "784x256", 128, 4, 8.0, 0.5),
                agg("plainGradient", "784x256", 128, 4, 2.0, Double.NaN),
                agg("plainGradient", "784x1024", 32, 4, 1.0, 0.1)), List.of("784x256"), List.of("note one"));
        List<String> lines = t.lines().map(String::strip).toList();
        assertTrue(lines.get(0).matches("shape\\s+B\\s+c\\s+benchmark\\s+ms/op\\s+GB/s\\s+vs plain"), lines.get(0));
        assertTrue(lines.get(2).matches("784x256\\s+128\\s+4\\s+plainGradient\\s+2\\.000 ± \\?\\s+51\\.38\\s+1\\.00x"),
                lines.get(2));
        assertTrue(lines.get(3).matches("784x256\\s+128\\s+4\\s+fusedMedian\\s+8\\.000 ± 0\\.500\\s+12\\.85\\s+4\\.00x"),
                lines.get(3));
        // 32 x 784 x 1024 x 4 bytes in 1 ms = 102.760448 GB/s
        assertTrue(lines.get(4).matches("784x1024\\s+32\\s+4\\s+plainGradient\\s+1\\.000 ± 0\\.100\\s+102\\.8\\s+1\\.00x"),
                lines.get(4));
        assertTrue(t.contains("note one"));
        assertEquals(51.380224, AggregateTable.gbPerSecond("784x256", 128, 2.0), 1e-9);
    }

    @Test
    void aggregateRatioFallsBackToPlainGradientAtAnotherC() {
        String t = AggregateTable.format(List.of(agg("plainGradient", "784x256", 128, 1, 2.0, 0.1),
                agg("norms", "784x256", 128, 8, 3.0, 0.1), agg("norms", "784x256", 512, 8, 3.0, 0.1)),
                List.of(), List.of());
        assertTrue(t.lines().map(String::strip).anyMatch(l -> l.matches("784x256\\s+128\\s+8\\s+norms\\s+.*\\s1\\.50x")), t);
        assertTrue(t.lines().map(String::strip).anyMatch(l -> l.matches("784x256\\s+512\\s+8\\s+norms\\s+.*\\s-")), t);
    }

    @Test
    void trainStepTableRatiosToMeanAtSameShapeAndThreads() {
        String t = TrainStepTable.format(List.of(step("sam", "784-256-10", 1, 5.0), step("mean", "784-256-10", 1, 2.5),
                step("sam", "784-256-10", 2, 3.0), step("mean", "784-256-10", 2, 1.5), step("clip", "784-256-10", 1,
                        3.0)), List.of("784-256-10"), List.of("mean", "clip", "sam"), List.of());
        List<String> lines = t.lines().map(String::strip).toList();
        assertTrue(lines.get(0).matches("shape\\s+threads\\s+objective\\s+ms/step\\s+vs mean"), lines.get(0));
        assertTrue(lines.get(2).matches("784-256-10\\s+1\\s+mean\\s+2\\.500 ± 0\\.010\\s+1\\.00x"), lines.get(2));
        assertTrue(lines.get(3).matches("784-256-10\\s+1\\s+clip\\s+3\\.000 ± 0\\.010\\s+1\\.20x"), lines.get(3));
        assertTrue(lines.get(4).matches("784-256-10\\s+1\\s+sam\\s+5\\.000 ± 0\\.010\\s+2\\.00x"), lines.get(4));
        assertTrue(lines.get(5).matches("784-256-10\\s+2\\s+mean\\s+.*1\\.00x"), lines.get(5));
        assertTrue(lines.get(6).matches("784-256-10\\s+2\\s+sam\\s+.*2\\.00x"), lines.get(6));
    }

    @Test
    void suiteJsonCarriesThePlan() {
        String json = GemmJsonReport.json(MachineInfo.detect(false), BenchTrainStepCommand.defaults(true).jsonFields(),
                List.of("[{\"benchmark\": \"x\"}]"));
        var root = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
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
        assertEquals(2, CliRun.of("bench", "aggregate", "--forks", "0").exitCode());
        assertEquals(2, CliRun.of("bench", "train-step", "--objectives", "mean,nope").exitCode());
        assertEquals(2, CliRun.of("bench", "train-step", "--threads", "0").exitCode());
        assertEquals(2, CliRun.of("bench", "train-step", "--shapes", "784x256").exitCode());
        CliRun r = CliRun.of("bench", "train-step", "--objectives", "nope");
        assertTrue(r.firstErrorLine().contains("--objectives"), r.err());
    }
}
