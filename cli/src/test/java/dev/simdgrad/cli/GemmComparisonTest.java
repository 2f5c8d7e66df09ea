package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --compare} on canned runs: the verdicts, the matching of cells, and the machine warning. */
class GemmComparisonTest {
    private static final String SHAPE = "NN:512x512x512";

    private static GemmChange.Verdict verdict(double base, double baseErr, double now, double nowErr) {
        GemmRun b = GemmRun.parse(CannedRuns.file("CPU", CannedRuns.cell("simdgrad", SHAPE, 1, base, baseErr)));
        GemmRun c = GemmRun.parse(CannedRuns.file("CPU", CannedRuns.cell("simdgrad", SHAPE, 1, now, nowErr)));
        List<GemmChange> changes = GemmComparison.changes(b, c);
        assertEquals(1, changes.size());
        return changes.getFirst().verdict();
    }

    @Test
    void readsGflopsAndErrorsBackFromTheJsonFile() {
        GemmRun r = GemmRun.parse(CannedRuns.file("CPU", CannedRuns.cell("simdgrad", SHAPE, 2, 123.0, 4.0),
                CannedRuns.cell("ejml", SHAPE, 1, 5.0, Double.NaN)));
        assertEquals("CPU", r.cpuModel());
        assertEquals(170.0, r.peakGflopsPerCore());
        GemmResult s = r.results().getFirst();
        assertEquals("simdgrad", s.implementation());
        assertEquals(2, s.threads());
        assertEquals(123.0, s.gflops(), 1e-6);
        assertEquals(4.0, s.gflopsError(), 1e-6);
        assertTrue(Double.isNaN(r.results().get(1).gflopsError()), "JMH's \"NaN\" error reads as NaN");
    }

    @Test
    void improvementBeyondTheErrorBars() {
        assertEquals(GemmChange.Verdict.IMPROVEMENT, verdict(100, 2, 110, 3));
    }

    @Test
    void regressionWithinTheErrorBarsIsNotFlagged() {
        // 4 GFLOP/s slower, but the bars add up to 5: the intervals overlap.
        assertEquals(GemmChange.Verdict.WITHIN_ERROR, verdict(100, 2, 96, 3));
        assertEquals(GemmChange.Verdict.WITHIN_ERROR, verdict(100, 2, 104, 3));
    }

    @Test
    void regressionBeyondTheErrorBarsIsFlagged() {
        assertEquals(GemmChange.Verdict.REGRESSION, verdict(100, 2, 94, 3));
    }

    @Test
    void noErrorBarIsNotJudged() {
        assertEquals(GemmChange.Verdict.NO_ERROR_BAR, verdict(100, Double.NaN, 50, 1));
    }

    @Test
    void formatsVerdictsNewAndMissingCells() {
        GemmRun base = GemmRun.parse(CannedRuns.file("CPU A",
                CannedRuns.cell("simdgrad", SHAPE, 1, 100, 2), CannedRuns.cell("simdgrad", SHAPE, 2, 190, 4),
                CannedRuns.cell("ejml", SHAPE, 1, 5, 0.1)));
        GemmRun now = GemmRun.parse(CannedRuns.file("CPU A",
                CannedRuns.cell("simdgrad", SHAPE, 1, 90, 2), CannedRuns.cell("simdgrad", SHAPE, 2, 200, 4),
                CannedRuns.cell("ojalgo", SHAPE, 1, 9, 0.2)));
        String text = GemmComparison.format("base.json", base, now);
        assertTrue(text.startsWith("Against base.json (CPU A, 2 cores"), text);
        assertFalse(text.contains("another machine"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("simdgrad") && l.contains("-10.0%")
                && l.endsWith("REGRESSION")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("+5.3%") && l.endsWith("improvement")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("ojalgo") && l.endsWith("new")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("ejml") && l.endsWith("not measured")), text);
        assertTrue(text.contains("1 regression(s) beyond the error bars: simdgrad NN:512x512x512 threads=1."),
                text);
    }

    @Test
    void warnsWhenTheBaselineRanElsewhere() {
        GemmRun base = GemmRun.parse(CannedRuns.typical("CPU A", 1.0));
        GemmRun now = GemmRun.parse(CannedRuns.typical("CPU B", 1.0));
        String text = GemmComparison.format("base.json", base, now);
        assertTrue(text.contains("Note: the baseline ran on another machine"), text);
        assertTrue(text.contains("No regression beyond the error bars."), text);
    }

    @Test
    void rejectsFilesThatAreNotBenchResults() {
        assertThrows(IllegalArgumentException.class, () -> GemmRun.parse("{\"machine\": {}}"));
        assertThrows(IllegalArgumentException.class, () -> GemmRun.parse("[1, 2]"));
        assertThrows(IllegalArgumentException.class, () -> GemmRun.parse("not json {"));
    }

    @Test
    void theChartGoesNextToTheJson() {
        assertEquals(Path.of("out/run.png"),
                BenchReportCommand.chartPath(null, Path.of("out/run.json")));
        assertEquals(Path.of("c.png"),
                BenchReportCommand.chartPath(Path.of("c.png"), Path.of("r.json")));
        assertNull(BenchReportCommand.chartPath(null, null));
    }
}
