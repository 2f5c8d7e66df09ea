package dev.simdgrad.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench report} on damaged or odd files: a malformed member is a one-line usage error naming the file (exit
 * 2, no stack trace), and a recorded peak of 0 prints "n/a", never "Infinity%".
 */
class BenchReportRobustnessTest {
    @TempDir
    Path dir;

    private CliRun report(String name, String json) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, json);
        return CliRun.of("bench", "report", f.toString());
    }

    private void rejects(String name, String json, String why) throws Exception {
        CliRun r = report(name, json);
        Path f = dir.resolve(name);
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(f + ": " + BenchRun.NOT_A_RUN + ": " + why, r.firstErrorLine(), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals("", r.out(), "nothing printed on stdout");
    }

    @Test
    void malformedMembersAreOneLineUsageErrors() throws Exception {
        String good = CannedRuns.typical("CPU", 1.0);
        assertTrue(good.contains("\"primaryMetric\": {\"score\""), "the canned file has the member to break");
        rejects("null-metric.json", good.replaceFirst("\"primaryMetric\": \\{[^}]*}", "\"primaryMetric\": null"),
                "\"primaryMetric\" is null, not an object");
        rejects("array-metric.json", good.replaceFirst("\"primaryMetric\": \\{[^}]*}", "\"primaryMetric\": [1]"),
                "\"primaryMetric\" is an array, not an object");
        rejects("null-score.json", good.replaceFirst("\"score\": [0-9.]+", "\"score\": null"),
                "dev.simdgrad.benchmarks.SgemmBenchmark.simdgrad: \"score\" is null, not a number");
        rejects("jmh-object.json", good.replaceFirst("\"jmh\": \\[", "\"jmh\": {\"x\": [").replaceFirst(
                "]\\s*}\\s*$", "]}}"), "\"jmh\" is an object, not an array");
        rejects("null-suite.json", good.replaceFirst("\"suite\": \"gemm\"", "\"suite\": null"),
                "\"suite\" is null, not a string");
        rejects("null-machine.json", good.replaceFirst("\"machine\": \\{[^}]*}", "\"machine\": null"),
                "\"machine\" is null, not an object");
        rejects("number-element.json", good.replaceFirst("\"jmh\": \\[", "\"jmh\": [7, "),
                "an element of \"jmh\" is the value 7, not an object");
        rejects("null-params.json", good.replaceFirst("\"params\": \\{[^}]*}", "\"params\": null"),
                "\"params\" is null, not an object");
    }

    @Test
    void aPeakOfZeroPrintsNotApplicable() throws Exception {
        String good = CannedRuns.typical("CPU", 1.0);
        String zero = good.replaceFirst("\"fmaPeakGflopsPerCore\": [0-9.]+", "\"fmaPeakGflopsPerCore\": 0.000");
        assertTrue(!zero.equals(good), "the canned file records a peak");
        CliRun r = report("zero-peak.json", zero);
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.out().contains("Infinity") || r.out().contains("NaN"), r.out());
        assertTrue(r.out().contains("% peak: n/a (the recorded FMA peak is 0.0, not a usable measurement)."),
                r.out());
        long naRows = r.out().lines().filter(l -> l.startsWith("NN:128x128x128")).filter(l -> l.contains(" n/a "))
                .count();
        assertEquals(2, naRows, "both thread counts of the first shape: " + r.out());
    }

    @Test
    void percentOfAPeak() {
        assertEquals("50.0%", SuiteFormat.percent(5, 10));
        assertEquals("-", SuiteFormat.percent(5, Double.NaN), "not measured");
        assertEquals("-", SuiteFormat.percent(Double.NaN, 10));
        for (double bad : List.of(0.0, -0.0, -3.0, Double.POSITIVE_INFINITY)) {
            assertEquals("n/a", SuiteFormat.percent(5, bad), "peak " + bad);
        }
        assertEquals("% peak: not available (read bandwidth not measured).",
                SuiteFormat.peakNote(Double.NaN, "read bandwidth", "%.1f"));
        assertEquals("12.5", SuiteFormat.peakNote(12.5, "read bandwidth", "%.1f"));
    }
}
