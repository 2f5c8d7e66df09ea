package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code bench report} end to end on canned files, and the {@code --compare} usage errors (no JMH runs). */
class BenchReportCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void printsTableComparisonAndChart(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("base.json");
        Path now = dir.resolve("now.json");
        Files.writeString(base, CannedRuns.typical("CPU", 1.0));
        Files.writeString(now, CannedRuns.typical("CPU", 0.8));
        Path png = dir.resolve("chart"); // no extension: the written name gains ".png"
        assertEquals(0, run("bench", "report", now.toString(), "--compare", base.toString(), "--chart",
                png.toString()), err.toString());
        String o = out.toString();
        assertTrue(o.contains("simdgrad GFLOP/s"), o);
        assertTrue(o.contains("Against base.json"), o);
        assertTrue(o.contains("REGRESSION"), o);
        assertTrue(o.contains("Wrote " + dir.resolve("chart.png").toAbsolutePath()), o);
        assertTrue(Files.size(dir.resolve("chart.png")) > 0);
    }

    @Test
    void aMissingOrBadBaselineIsAUsageError(@TempDir Path dir) throws Exception {
        assertEquals(2, run("bench", "gemm", "--compare", dir.resolve("nope.json").toString()));
        assertTrue(err.toString().contains("nope.json: no such file"), err.toString());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"machine\": {}}");
        assertEquals(2, run("bench", "report", bad.toString()));
        assertTrue(err.toString().lines().anyMatch(l -> l.equals(bad + ": " + BenchRun.NOT_A_RUN
                + ": no \"jmh\" array")), err.toString());
        assertEquals("", out.toString(), "nothing measured, nothing printed");
    }
}
