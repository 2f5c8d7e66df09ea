package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.benchmarks.GemmShape;
import dev.simdgrad.kernels.SgemmBlocking;
import dev.simdgrad.kernels.Simd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simdgrad tune} without the minutes of measuring: its candidates, its choice, the file it writes (read back
 * as the kernels read it) and its usage errors. The measurement itself is JMH's, in forked JVMs, and is not run
 * here.
 */
class TuneCommandTest {
    @TempDir
    Path dir;

    private static final SgemmBlocking XEON = new SgemmBlocking(256, 1792, 4092, "12x32",
            "L1d 48 KiB 12-way, L2 2 MiB 16-way, L3 105 MiB 15-way shared by 2", "model");

    @Test
    void candidatesAreTheCurrentSizesFirstThenHalfAndTwiceKcAndAQuarterMc() {
        List<TuneCommand.Candidate> c = TuneCommand.candidates(XEON, 12, 32);
        assertEquals(new TuneCommand.Candidate(256, 1792, 4092), c.getFirst());
        // MC / 4 = 448, a multiple of NR = 32 (MC counts columns of the B block).
        assertEquals(List.of(new TuneCommand.Candidate(256, 1792, 4092), new TuneCommand.Candidate(256, 448, 4092),
                new TuneCommand.Candidate(128, 1792, 4092), new TuneCommand.Candidate(128, 448, 4092),
                new TuneCommand.Candidate(512, 1792, 4092), new TuneCommand.Candidate(512, 448, 4092)), c);
        // A small model KC is kept at 32 or more and a multiple of 4; duplicates collapse.
        List<TuneCommand.Candidate> small = TuneCommand.candidates(
                new SgemmBlocking(40, 32, 12, "12x32", "tiny", "model"), 12, 32);
        assertEquals(List.of(new TuneCommand.Candidate(40, 32, 12), new TuneCommand.Candidate(32, 32, 12),
                new TuneCommand.Candidate(80, 32, 12)), small);
    }

    @Test
    void theBestCandidateHasTheHighestGeometricMeanAndMustHaveEveryShape() {
        GemmShape a = GemmShape.parse("NN:256x256x256"), b = GemmShape.parse("NT:256x512x784");
        var c1 = new TuneCommand.Candidate(256, 1788, 4096);
        var c2 = new TuneCommand.Candidate(128, 1788, 4096);
        var c3 = new TuneCommand.Candidate(512, 444, 4096);
        Map<TuneCommand.Candidate, Map<GemmShape, Double>> g = new LinkedHashMap<>();
        g.put(c1, Map.of(a, 100.0, b, 100.0));         // geomean 100
        g.put(c2, Map.of(a, 160.0, b, 64.0));          // geomean 101.2
        g.put(c3, Map.of(a, 500.0));                   // one shape failed: never chosen
        assertEquals(c2, TuneCommand.best(List.of(a, b), g));
        assertEquals(0.0, TuneCommand.geometricMean(List.of(a, b), g.get(c3)));
        assertNull(TuneCommand.best(List.of(a, b), Map.of(c3, g.get(c3))));
        // The current sizes stay unless beaten by 5 %: c2 is 1.2 % faster than c1.
        assertEquals(c1, TuneCommand.choose(List.of(a, b), g, c1));
        g.put(c1, Map.of(a, 90.0, b, 100.0));         // geomean 94.9: c2 is 6.7 % faster
        assertEquals(c2, TuneCommand.choose(List.of(a, b), g, c1));
        List<String> table = TuneCommand.table(List.of(a, b), g, Map.of(c2, Map.of(a, 12.5)));
        assertEquals(4, table.size());
        assertTrue(table.get(2).contains("160.0 +- 12.5"), table::toString);
        assertTrue(table.get(3).contains("failed"), table::toString);
    }

    @Test
    void theFileRecordsTheCachesTileAndSizesAsProperties() throws Exception {
        Path f = dir.resolve("sub").resolve("sgemm-blocking.properties");
        TuneCommand.write(f, new TuneCommand.Candidate(128, 444, 4096), XEON, List.of("GFLOP/s ...", "KC 128 ..."),
                Instant.parse("2026-12-03T10:00:00Z"));
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(f)) {
            p.load(in);
        }
        assertEquals(XEON.caches(), p.getProperty("caches"));
        assertEquals("12x32", p.getProperty("tile"));
        assertEquals("128", p.getProperty("kc"));
        assertEquals("444", p.getProperty("mc"));
        assertEquals("4096", p.getProperty("nc"));
        String text = Files.readString(f);
        assertTrue(text.startsWith("# simdgrad tune, 2026-12-03T10:00:00Z"), text);
        assertTrue(text.contains("# KC 128 ..."), text);
        try (var s = Files.list(f.getParent())) {
            assertEquals(1, s.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aDryRunListsTheCandidatesAndWritesNothing() {
        Path out = dir.resolve("t.properties");
        CliRun r = CliRun.of("tune", "--dry-run", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        SgemmBlocking now = Simd.sgemmBlocking();
        assertTrue(r.out().contains("SGEMM blocking now: " + now), r.out());
        assertTrue(r.out().contains("  KC " + now.kc() + ", MC " + now.mc() + ", NC " + now.nc()), r.out());
        assertTrue(r.out().contains("result: " + out), r.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void badOptionsAreUsageErrorsBeforeAnyMeasurement() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        for (String[] args : new String[][] {
            {"tune", "--forks", "0"}, {"tune", "--shapes", "NN:0x1"}, {"tune", "--time", "soon"},
            {"tune", "--out", dir.toString()}, {"tune", "--out", file.resolve("x").toString()}}) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.out() + r.err());
            assertTrue(r.out().isBlank(), String.join(" ", args) + " measured first: " + r.out());
        }
        assertTrue(CliRun.of("tune", "--forks", "0").firstErrorLine().startsWith("--forks: 0 must be >= 1"));
    }
}
