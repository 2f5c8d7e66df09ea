package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Simd;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's contract: exit codes and what {@code info} reports. No JMH here: it takes minutes. */
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCode2() {
        assertEquals(2, run("bench", "gemm", "--no-such-option"));
        String e = err.toString();
        assertTrue(e.lines().findFirst().orElse("").contains("--no-such-option"), e);
        assertTrue(e.contains("Usage: simdgrad bench gemm"), e);
        assertEquals("", out.toString());
    }

    @Test
    void badValuesAreUsageErrors() {
        assertEquals(2, run("bench", "gemm", "--threads", "0"));
        assertEquals(2, run("bench", "gemm", "--threads", "x"));
        assertEquals(2, run("bench", "gemm", "--shapes", "NN:12x12"));
        assertEquals(2, run("bench", "gemm", "--time", "soon"));
        assertEquals(2, run("bench", "gemm", "--forks", "-1"));
        assertTrue(err.toString().contains("--shapes: bad shape 'NN:12x12'"), err.toString());
    }

    @Test
    void missingSubcommandIsAUsageError() {
        assertEquals(2, run());
        assertEquals(2, run("bench"));
        assertTrue(err.toString().contains("Missing required subcommand"), err.toString());
    }

    @Test
    void infoReportsTheVectorWidthAndPeak() {
        assertEquals(0, run("info"));
        String o = out.toString();
        assertTrue(o.contains("Vector width: " + Simd.vectorBits() + " bits"), o);
        assertTrue(o.contains("SIMD path:    " + Simd.describe()), o);
        assertTrue(o.contains("FMA peak:"), o);
    }
}
