package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.simdgrad.kernels.Parallelism;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code bench} suite end to end, really running JMH: each on one tiny cell, with {@code --forks 0} (in this
 * JVM: a forked JVM would take seconds to start per cell) and 3 iterations of 20 ms (3 is the fewest that give JMH
 * an error bar). The numbers mean nothing; what is checked is that the table, the saved run, the chart, the report
 * and the comparison come out of a real run. The suites run once, in {@link #runEverySuiteOnce}; the tests inspect
 * the outputs.
 */
class BenchEndToEndTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** The smallest effort that still yields an error bar. */
    private static final List<String> TINY = List.of("--forks", "0", "--warmup", "0", "--iterations", "3",
            "--time", "20ms");

    @TempDir
    static Path dir;

    private static int threadsBefore;
    private static CliRun gemm;
    private static CliRun aggregate;
    private static CliRun trainStep;
    private static CliRun trainStepAgain;

    private static CliRun bench(String suite, Path json, String... args) {
        List<String> all = new ArrayList<>(List.of("bench", suite));
        all.addAll(Arrays.asList(args));
        all.addAll(TINY);
        if (json != null) {
            all.addAll(List.of("--json", json.toString()));
        }
        return CliRun.of(all.toArray(String[]::new));
    }

    @BeforeAll
    static void runEverySuiteOnce() {
        // The benchmarks' setups set the kernels' thread budget; in this JVM it must be put back for other tests.
        threadsBefore = Parallelism.threads();
        gemm = bench("gemm", dir.resolve("gemm.json"), "--quick", "--shapes", "NN:64x64x64", "--threads", "1");
        aggregate = bench("aggregate", dir.resolve("aggregate.json"), "--shapes", "16x8", "--batches", "8", "--c",
                "1");
        trainStep = bench("train-step", dir.resolve("train-step.json"), "--shapes", "784-16-10", "--threads", "1",
                "--objectives", "mean,clip");
        // The live --compare path, against the run just saved, with the chart elsewhere and no JSON.
        trainStepAgain = bench("train-step", null, "--shapes", "784-16-10", "--threads", "1", "--objectives", "mean",
                "--compare", dir.resolve("train-step.json").toString(), "--chart",
                dir.resolve("again/chart.png").toString());
    }

    @AfterAll
    static void restoreTheThreadBudget() {
        Parallelism.setThreads(threadsBefore);
    }

    private static void assertSavedRun(String suite, CliRun r, int cells) throws Exception {
        assertEquals(0, r.exitCode(), r.err());
        Path json = dir.resolve(suite + ".json");
        assertTrue(r.out().contains("Wrote " + json.toAbsolutePath()), r.out());
        JsonObject root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(suite, root.get("suite").getAsString());
        JsonObject m = root.getAsJsonObject("machine");
        for (String field : List.of("cpuModel", "cpuFlags", "cores", "jdk", "vectorBits", "fmaPeakGflopsPerCore",
                "readPeakGbPerSecond")) {
            assertTrue(m.has(field) && !m.get(field).isJsonNull(), field + " missing in " + m);
        }
        assertTrue(m.get("fmaPeakGflopsPerCore").getAsDouble() > 0, m.toString());
        assertTrue(m.get("readPeakGbPerSecond").getAsDouble() > 0, m.toString());
        assertEquals(0, root.getAsJsonObject("plan").get("forks").getAsInt());
        BenchRun run = BenchRun.read(json);
        assertEquals(BenchSuite.ofCommand(suite), run.suite());
        assertEquals(cells, run.results().size(), run.results().toString());
        for (BenchResult c : run.results()) {
            assertTrue(c.score() > 0 && Double.isFinite(c.error()), c.toString());
        }
        Path png = dir.resolve(suite + ".png");
        assertTrue(r.out().contains("Wrote " + png.toAbsolutePath()), r.out());
        assertPng(png);
    }

    private static void assertPng(Path png) throws Exception {
        assertTrue(Files.size(png) > 10_000, "a chart, not an empty image: " + Files.size(png));
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(Files.readAllBytes(png), PNG_SIGNATURE.length));
    }

    private static boolean hasLine(String text, String regex) {
        return text.lines().map(String::strip).anyMatch(l -> l.matches(regex));
    }

    @Test
    void gemmPrintsGflopsPeakAndPeersAndSavesItsRun() throws Exception {
        // simdgrad, netlib, EJML, ojAlgo, the reference, and native OpenBLAS where a library loads.
        boolean blas = GemmPlan.openBlasAvailable();
        assertSavedRun("gemm", gemm, blas ? 6 : 5);
        String n = "[0-9]+\\.[0-9]+";
        String openBlas = blas ? n + " ± " + n + "\\s+" + n + "x" : "-\\s+-";
        assertTrue(hasLine(gemm.out(), "NN:64x64x64\\s+1\\s+" + n + " ± " + n + "\\s+" + n + "%\\s+" + openBlas
                + "\\s+" + n + "\\s+" + n + "\\s+" + n + "\\s+" + n + "\\s+" + n + "x\\s+" + n + "x"), gemm.out());
        assertTrue(gemm.out().contains("JMH: no fork (--forks 0"), gemm.out());
    }

    @Test
    void aggregatePrintsBandwidthPeakAndPeerRatiosAndSavesItsRun() throws Exception {
        // Every method but the native peer's where OpenBLAS does not load (the plan leaves it out, as for gemm).
        boolean blas = GemmPlan.openBlasAvailable();
        assertSavedRun("aggregate", aggregate, AggregateTable.METHODS.size() - (blas ? 0 : 1));
        String n = "[0-9]+\\.[0-9]+";
        String row = "16x8\\s+8\\s+1\\s+";
        // The fused median against its peer, materialize + explicitMedian, measured in the same run.
        assertTrue(hasLine(aggregate.out(), row + "fusedMedian\\s+" + n + " ± " + n + "\\s+" + n + "\\s+" + n
                + "%\\s+" + n + "x\\s+" + n + "x"), aggregate.out());
        assertTrue(hasLine(aggregate.out(), row + "plainGradient\\s+.*\\s+1\\.00x\\s+" + n + "x"), aggregate.out());
        assertTrue(hasLine(aggregate.out(), row + "explicitMedian\\s+.*\\s+" + n + "x\\s+-"), aggregate.out());
    }

    @Test
    void trainStepPrintsEachObjectivesRatioToMeanAndSavesItsRun() throws Exception {
        assertSavedRun("train-step", trainStep, 2);
        String n = "[0-9]+\\.[0-9]+";
        assertTrue(hasLine(trainStep.out(), "784-16-10\\s+1\\s+mean\\s+" + n + " ± " + n + "\\s+" + n + "\\s+" + n
                + "%\\s+1\\.00x"), trainStep.out());
        assertTrue(hasLine(trainStep.out(), "784-16-10\\s+1\\s+clip\\s+" + n + " ± " + n + "\\s+" + n + "\\s+" + n
                + "%\\s+" + n + "x"), trainStep.out());
    }

    @Test
    void aLiveRunComparesWithASavedOneAndListsTheCellsItDidNotMeasure() throws Exception {
        assertEquals(0, trainStepAgain.exitCode(), trainStepAgain.err());
        String o = trainStepAgain.out();
        assertTrue(o.contains("Against train-step.json ("), o);
        assertTrue(o.contains("Note: both runs were measured without forking"), o);
        assertTrue(hasLine(o, "trainStep\\s+784-16-10\\s+1\\s+clip\\s+.*\\s+-\\s+-\\s+not measured"), o);
        assertTrue(o.contains("1 cell(s) in one run only: 0 new (this run only), 1 not measured (baseline only)"), o);
        assertPng(dir.resolve("again/chart.png"));
    }

    @Test
    void reportComparesEachSavedRunWithItselfWithoutRegression() throws Exception {
        for (String suite : List.of("gemm", "aggregate", "train-step")) {
            Path json = dir.resolve(suite + ".json");
            Path png = dir.resolve("report-" + suite + ".png");
            CliRun r = CliRun.of("bench", "report", json.toString(), "--compare", json.toString(), "--chart",
                    png.toString());
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().startsWith(suite + ".json: bench " + suite + ", "), r.out());
            assertTrue(r.out().contains("Measured without forking (--forks 0)"), r.out());
            assertTrue(r.out().contains("No regression beyond the error bars."), r.out());
            assertFalse(r.out().contains("REGRESSION"), r.out());
            assertFalse(r.out().contains("in one run only"), r.out());
            assertTrue(hasLine(r.out(), ".*\\s\\+0\\.0%\\s+within error"), r.out());
            assertPng(png);
        }
    }

    /**
     * A copy of a saved run whose scores are multiplied by {@code factor}, with every error bar set to 1% of the
     * score, so that the verdict does not depend on how noisy the tiny run was.
     */
    private static Path doctored(String suite, String name, double factor) throws Exception {
        JsonObject root = JsonParser.parseString(Files.readString(dir.resolve(suite + ".json"))).getAsJsonObject();
        for (JsonElement e : root.getAsJsonArray("jmh")) {
            JsonObject metric = e.getAsJsonObject().getAsJsonObject("primaryMetric");
            double score = metric.get("score").getAsDouble() * factor;
            metric.addProperty("score", score);
            metric.addProperty("scoreError", score / 100);
        }
        Path file = dir.resolve(name);
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(root));
        return file;
    }

    @Test
    void compareFlagsARegressionAgainstADoctoredBaselineAndStillExitsZero() throws Exception {
        // gemm is throughput: a baseline twice as fast makes this run a regression; aggregate is time: half the time.
        for (String suite : List.of("gemm", "aggregate")) {
            Path now = doctored(suite, suite + "-now.json", 1);
            Path base = doctored(suite, suite + "-base.json", suite.equals("gemm") ? 2 : 0.5);
            CliRun r = CliRun.of("bench", "report", now.toString(), "--compare", base.toString());
            assertEquals(0, r.exitCode(), "regressions are flagged, not fatal: " + r.err());
            int cells = BenchRun.read(now).results().size();
            assertEquals(cells, r.out().lines().filter(l -> l.endsWith("REGRESSION")).count(), r.out());
            assertTrue(r.out().contains(cells + " regression(s) beyond the error bars: "), r.out());
            String change = suite.equals("gemm") ? "-50.0%" : "+100.0%";
            assertTrue(r.out().lines().filter(l -> l.endsWith("REGRESSION")).allMatch(l -> l.contains(change)),
                    r.out());
        }
    }

    @Test
    void comparingAnotherSuiteOrAFileThatIsNoRunIsAOneLineUsageError() throws Exception {
        Path gemmJson = dir.resolve("gemm.json");
        // Before measuring anything: the baseline is checked first.
        CliRun live = CliRun.of(Stream.concat(Stream.of("bench", "aggregate", "--compare", gemmJson.toString()),
                TINY.stream()).toArray(String[]::new));
        assertEquals(2, live.exitCode());
        assertEquals(gemmJson + ": a bench gemm run; it cannot be compared with bench aggregate",
                live.firstErrorLine());
        assertEquals("", live.out(), "nothing measured");

        CliRun report = CliRun.of("bench", "report", dir.resolve("aggregate.json").toString(), "--compare",
                gemmJson.toString());
        assertEquals(2, report.exitCode());
        assertEquals(gemmJson + ": a bench gemm run; it cannot be compared with bench aggregate",
                report.firstErrorLine());

        Path raw = Path.of("../benchmarks/results/train-step-jmh-2026-11-22.json");
        CliRun rawRun = CliRun.of("bench", "report", raw.toString());
        assertEquals(2, rawRun.exitCode());
        assertEquals(raw + ": " + BenchRun.NOT_A_RUN + ": a raw JMH result array, without the machine record",
                rawRun.firstErrorLine());

        Path text = Files.writeString(dir.resolve("notes.json"), "hello");
        CliRun notJson = CliRun.of("bench", "train-step", "--compare", text.toString());
        assertEquals(2, notJson.exitCode());
        assertTrue(notJson.firstErrorLine().startsWith(text + ": " + BenchRun.NOT_A_RUN), notJson.err());
    }
}
