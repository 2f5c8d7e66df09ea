package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --compare} on canned runs: reading saved runs of every suite back, the verdicts in both directions, the
 * matching of cells, and the warnings. No JMH runs here ({@link BenchEndToEndTest} has those).
 */
class BenchComparisonTest {
    private static final String SHAPE = "NN:512x512x512";

    private static BenchChange.Verdict verdict(double base, double baseErr, double now, double nowErr) {
        BenchRun b = BenchRun.parse(CannedRuns.file("CPU", CannedRuns.cell("simdgrad", SHAPE, 1, base, baseErr)));
        BenchRun c = BenchRun.parse(CannedRuns.file("CPU", CannedRuns.cell("simdgrad", SHAPE, 1, now, nowErr)));
        List<BenchChange> changes = BenchComparison.changes(b, c);
        assertEquals(1, changes.size());
        return changes.getFirst().verdict();
    }

    /** A bench aggregate run with one cell per (method, ms, error). */
    private static BenchRun aggregate(String cpu, Object... methodMsError) {
        List<BenchResult> results = new java.util.ArrayList<>();
        for (int i = 0; i < methodMsError.length; i += 3) {
            results.add(new BenchResult((String) methodMsError[i], Map.of("shape", "784x256", "batch", "128", "c",
                    "4", "threads", "1"), (Double) methodMsError[i + 1], (Double) methodMsError[i + 2]));
        }
        return new BenchRun(BenchSuite.AGGREGATE, cpu, "25", 512, 2, 170, 12, 1, Map.of(), results);
    }

    @Test
    void readsGflopsAndErrorsBackFromTheJsonFile() {
        BenchRun r = BenchRun.parse(CannedRuns.file("CPU", CannedRuns.cell("simdgrad", SHAPE, 2, 123.0, 4.0),
                CannedRuns.cell("ejml", SHAPE, 1, 5.0, Double.NaN)));
        assertEquals(BenchSuite.GEMM, r.suite());
        assertEquals("CPU", r.cpuModel());
        assertEquals(170.0, r.peakGflopsPerCore());
        assertEquals(12.0, r.peakReadGbPerSecond());
        assertEquals(1, r.forks());
        assertEquals(GemmPlan.QUICK_SHAPES.size(), r.order("shapes").size());
        GemmResult s = GemmResult.of(r.results().getFirst());
        assertEquals("simdgrad", s.implementation());
        assertEquals(2, s.threads());
        assertEquals(123.0, s.gflops(), 1e-6);
        assertEquals(4.0, s.gflopsError(), 1e-6);
        assertEquals(123.0, BenchSuite.GEMM.value(r.results().getFirst()), 1e-6);
        assertTrue(Double.isNaN(r.results().get(1).error()), "JMH's \"NaN\" error reads as NaN");
    }

    @Test
    void readsTheCommittedGemmBaselineWrittenBeforeTheSuiteMember() throws Exception {
        BenchRun r = BenchRun.read(Path.of("../benchmarks/results/gemm-2026-11-22.json"));
        assertEquals(BenchSuite.GEMM, r.suite(), "detected from the JMH class of its results");
        assertTrue(r.results().size() > 20, "cells: " + r.results().size());
        assertTrue(Double.isNaN(r.peakReadGbPerSecond()), "not measured back then");
    }

    @Test
    void readsTheCommittedAggregateAndTrainStepBaselines() throws Exception {
        BenchRun agg = BenchRun.read(Path.of("../benchmarks/results/aggregate-2026-11-22.json"));
        assertEquals(BenchSuite.AGGREGATE, agg.suite());
        assertEquals(26, agg.results().size(), "13 methods x 2 shapes");
        assertTrue(agg.peakReadGbPerSecond() > 0);
        BenchRun step = BenchRun.read(Path.of("../benchmarks/results/train-step-2026-11-22.json"));
        assertEquals(BenchSuite.TRAIN_STEP, step.suite());
        assertEquals(24, step.results().size(), "12 objectives x 2 thread counts");
    }

    @Test
    void rejectsARawJmhFileWithAHint() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> BenchRun.read(Path.of("../benchmarks/results/aggregate-sweep-batch-2026-11-22.json")));
        assertTrue(e.getMessage().startsWith(BenchRun.NOT_A_RUN + ": a raw JMH result array"), e.getMessage());
    }

    @Test
    void improvementBeyondTheErrorBars() {
        assertEquals(BenchChange.Verdict.IMPROVEMENT, verdict(100, 2, 110, 3));
    }

    @Test
    void regressionWithinTheErrorBarsIsNotFlagged() {
        // 4 GFLOP/s slower, but the bars add up to 5: the intervals overlap.
        assertEquals(BenchChange.Verdict.WITHIN_ERROR, verdict(100, 2, 96, 3));
        assertEquals(BenchChange.Verdict.WITHIN_ERROR, verdict(100, 2, 104, 3));
    }

    @Test
    void regressionBeyondTheErrorBarsIsFlagged() {
        assertEquals(BenchChange.Verdict.REGRESSION, verdict(100, 2, 94, 3));
    }

    @Test
    void noErrorBarIsNotJudged() {
        assertEquals(BenchChange.Verdict.NO_ERROR_BAR, verdict(100, Double.NaN, 50, 1));
    }

    @Test
    void inATimeSuiteLongerIsWorse() {
        BenchRun base = aggregate("CPU", "fusedMedian", 10.0, 0.2, "norms", 1.0, 0.01, "explicitMean", 4.0, 0.1);
        BenchRun now = aggregate("CPU", "fusedMedian", 12.0, 0.3, "norms", 0.9, 0.01, "explicitMean", 4.1, 0.1);
        List<BenchChange> changes = BenchComparison.changes(base, now);
        assertEquals(BenchChange.Verdict.REGRESSION, changes.get(0).verdict());
        assertEquals(20.0, changes.get(0).percent(), 1e-9);
        assertEquals(BenchChange.Verdict.IMPROVEMENT, changes.get(1).verdict());
        assertEquals(BenchChange.Verdict.WITHIN_ERROR, changes.get(2).verdict());
        String text = BenchComparison.format("base.json", base, now);
        assertTrue(text.lines().anyMatch(l -> l.matches("benchmark\\s+shape\\s+batch\\s+c\\s+threads\\s+baseline"
                + " ms/op\\s+this run ms/op\\s+change\\s+verdict")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("fusedMedian\\s+784x256\\s+128\\s+4\\s+1\\s+10\\.00 ± 0\\.200"
                + "\\s+12\\.00 ± 0\\.300\\s+\\+20\\.0%\\s+REGRESSION")), text);
        assertTrue(text.contains("(+ = slower)"), text);
        assertTrue(text.contains("1 regression(s) beyond the error bars: fusedMedian shape=784x256 batch=128 c=4"
                + " threads=1."), text);
    }

    @Test
    void formatsVerdictsNewAndMissingCells() {
        BenchRun base = BenchRun.parse(CannedRuns.file("CPU A",
                CannedRuns.cell("simdgrad", SHAPE, 1, 100, 2), CannedRuns.cell("simdgrad", SHAPE, 2, 190, 4),
                CannedRuns.cell("ejml", SHAPE, 1, 5, 0.1)));
        BenchRun now = BenchRun.parse(CannedRuns.file("CPU A",
                CannedRuns.cell("simdgrad", SHAPE, 1, 90, 2), CannedRuns.cell("simdgrad", SHAPE, 2, 200, 4),
                CannedRuns.cell("ojalgo", SHAPE, 1, 9, 0.2)));
        String text = BenchComparison.format("base.json", base, now);
        assertTrue(text.startsWith("Against base.json (CPU A, 2 cores"), text);
        assertFalse(text.contains("another machine"), text);
        assertFalse(text.contains("--forks 0"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("simdgrad") && l.contains("-10.0%")
                && l.endsWith("REGRESSION")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("+5.3%") && l.endsWith("improvement")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("ojalgo") && l.endsWith("new")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("ejml") && l.endsWith("not measured")), text);
        assertTrue(text.contains("(+ = faster)"), text);
        assertTrue(text.contains("1 regression(s) beyond the error bars: simdgrad shape=NN:512x512x512 threads=1."),
                text);
        assertTrue(text.contains("2 cell(s) in one run only: 1 new (this run only), 1 not measured (baseline only)"),
                text);
    }

    @Test
    void warnsWhenTheBaselineRanElsewhereOrUnforked() {
        BenchRun base = BenchRun.parse(CannedRuns.typical("CPU A", 1.0));
        BenchRun now = BenchRun.parse(CannedRuns.typical("CPU B", 1.0));
        String text = BenchComparison.format("base.json", base, now);
        assertTrue(text.contains("Note: the baseline ran on another machine"), text);
        assertTrue(text.contains("No regression beyond the error bars."), text);
        assertFalse(text.contains("in one run only"), text);
        BenchRun unforked = new BenchRun(now.suite(), now.cpuModel(), now.jdk(), now.vectorBits(), now.cores(),
                now.peakGflopsPerCore(), now.peakReadGbPerSecond(), 0, now.order(), now.results());
        assertTrue(BenchComparison.format("base.json", base, unforked).contains("Note: this run was measured without"
                + " forking (--forks 0"));
    }

    @Test
    void refusesToCompareDifferentSuites() {
        BenchRun gemm = BenchRun.parse(CannedRuns.typical("CPU", 1.0));
        BenchRun agg = aggregate("CPU", "norms", 1.0, 0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> BenchComparison.changes(gemm, agg));
        assertEquals("cannot compare a bench aggregate run with a bench gemm baseline", e.getMessage());
    }

    @Test
    void rejectsFilesThatAreNotBenchResults() {
        assertThrows(IllegalArgumentException.class, () -> BenchRun.parse("{\"machine\": {}}"));
        assertThrows(IllegalArgumentException.class, () -> BenchRun.parse("[1, 2]"));
        assertThrows(IllegalArgumentException.class, () -> BenchRun.parse("not json {"));
        assertThrows(IllegalArgumentException.class, () -> BenchRun.parse("{\"machine\": {}, \"jmh\": []}"),
                "no results and no suite: which suite is it?");
        String other = "{\"machine\": {}, \"jmh\": [{\"benchmark\": \"x.Other.m\", \"primaryMetric\": {\"score\": 1,"
                + " \"scoreError\": 1}}]}";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchRun.parse(other)).getMessage()
                .endsWith("x.Other.m belongs to no bench suite"));
        String wrongUnit = "{\"machine\": {}, \"jmh\": [{\"benchmark\": \"dev.simdgrad.benchmarks.AggregateBenchmark"
                + ".norms\", \"primaryMetric\": {\"score\": 1, \"scoreError\": 1, \"scoreUnit\": \"us/op\"}}]}";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchRun.parse(wrongUnit)).getMessage()
                .contains("is in us/op, the suite reports ms/op"));
        String mixed = "{\"suite\": \"train-step\", \"machine\": {}, \"jmh\": [{\"benchmark\":"
                + " \"dev.simdgrad.benchmarks.AggregateBenchmark.norms\", \"primaryMetric\": {\"score\": 1,"
                + " \"scoreError\": 1}}]}";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchRun.parse(mixed)).getMessage()
                .contains("mixes bench train-step and bench aggregate results"));
        String badParam = "{\"machine\": {}, \"jmh\": [{\"benchmark\": \"dev.simdgrad.benchmarks.AggregateBenchmark"
                + ".norms\", \"params\": {\"shape\": \"784by256\", \"batch\": \"8\", \"c\": \"1\", \"threads\": \"1\"},"
                + " \"primaryMetric\": {\"score\": 1, \"scoreError\": 1}}]}";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BenchRun.parse(badParam)).getMessage()
                .contains("parameter shape is not like"));
        BenchRun empty = BenchRun.parse("{\"suite\": \"aggregate\", \"machine\": {}, \"jmh\": []}");
        assertEquals(BenchSuite.AGGREGATE, empty.suite());
        assertEquals(-1, empty.forks());
    }

    @Test
    void theChartGoesNextToTheJson() {
        assertEquals(Path.of("out/run.png"), SuiteRunner.chartPath(null, Path.of("out/run.json")));
        assertEquals(Path.of("c.png"), SuiteRunner.chartPath(Path.of("c.png"), Path.of("r.json")));
        assertNull(SuiteRunner.chartPath(null, null));
        assertEquals(Path.of("simdgrad-results", "bench", "train-step.png"),
                SuiteRunner.defaultChart(BenchSuite.TRAIN_STEP));
    }
}
