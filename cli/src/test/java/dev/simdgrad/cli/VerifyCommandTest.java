package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Simd;
import dev.simdgrad.verify.check.CheckResult;
import dev.simdgrad.verify.check.KernelCheck;
import dev.simdgrad.verify.check.KernelChecks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code verify}: the verdict and exit code, the report, the worker protocol, and one real child JVM. */
class VerifyCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(CommandLine cl, String... args) {
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private int inProcess(List<KernelCheck> checks, String... args) {
        return run(new CommandLine(new VerifyCommand(new InProcessWidthRunner(checks))), args);
    }

    /** A check whose kernel is off by twice its bound on every case. */
    private static final KernelCheck WRONG = new KernelCheck() {
        @Override
        public String name() {
            return "wrong";
        }

        @Override
        public CheckResult run(int cases, long seed) {
            return new CheckResult(name(), cases, cases, 2.0, "every case");
        }
    };

    @Test
    void everyKernelPassesInProcessAtThisWidth(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("verify.json");
        int code = inProcess(KernelChecks.all(), "--widths", Integer.toString(Simd.vectorBits()), "--cases", "5",
                "--json", json.toString());
        String o = out.toString();
        assertEquals(0, code, o + err);
        assertTrue(o.contains("sgemm"), o);
        assertTrue(o.contains("PASS: "), o);
        assertFalse(o.contains("FAIL"), o);
        String j = Files.readString(json);
        assertTrue(j.contains("\"pass\": true"), j);
        assertTrue(j.contains("\"kernel\": \"sgemm\""), j);
    }

    @Test
    void aWrongKernelFailsTheRunWithExitCode1(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("verify.json");
        int code = inProcess(List.of(KernelChecks.all().getFirst(), WRONG), "--widths", "0,128", "--cases", "3",
                "--json", json.toString());
        String o = out.toString();
        assertEquals(1, code, o);
        assertTrue(o.lines().anyMatch(l -> l.contains("wrong") && l.endsWith("FAIL")), o);
        assertTrue(o.contains("FAIL wrong at width 128: 3 of 3 cases out of bound, worst 2.0000 in: every case"), o);
        assertTrue(o.lines().anyMatch(l -> l.startsWith("FAIL: ")), o);
        assertTrue(Files.readString(json).contains("\"pass\": false"));
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, run(Main.commandLine(), "verify", "--widths", "64"));
        assertTrue(err.toString().contains("--widths: 64 is not one of 0 (scalar), 128, 256, 512"), err.toString());
        assertEquals(2, run(Main.commandLine(), "verify", "--cases", "-1"));
        assertEquals(2, run(Main.commandLine(), "verify", "--seed", "x"));
        assertEquals(2, run(Main.commandLine(), "verify", "--bogus"));
        assertTrue(err.toString().contains("Usage: simdgrad verify"), err.toString());
    }

    @Test
    void theProtocolSurvivesInfinityAndNoise() {
        List<String> lines = List.of("some library's print", WorkerProtocol.widthLine(256, "vector 256-bit"),
                WorkerProtocol.checkLine(new CheckResult("k", 4, 1, Double.POSITIVE_INFINITY, "a=\"1\"")),
                WorkerProtocol.doneLine());
        WidthReport r = WorkerProtocol.parse(512, lines);
        assertNull(r.error());
        assertEquals(512, r.requestedBits());
        assertEquals(256, r.vectorBits());
        assertEquals(new CheckResult("k", 4, 1, Double.POSITIVE_INFINITY, "a=\"1\""), r.results().getFirst());
        WidthReport cut = WorkerProtocol.parse(512, lines.subList(0, 3));
        assertEquals("the worker stopped before the end", cut.error());
        assertFalse(cut.passed());
    }

    @Test
    void aChildJvmChecksTheScalarWidth() throws Exception {
        WidthReport r = new ChildJvmRunner().run(0, 2, 1);
        assertNull(r.error(), r::toString);
        assertEquals(0, r.vectorBits(), r::toString);
        assertTrue(r.passed(), r::toString);
        assertEquals(KernelChecks.all().size(), r.results().size());
    }

    @Test
    void aCheckThatThrowsFailsAndTheOthersStillRun() {
        KernelCheck throwing = new KernelCheck() {
            @Override
            public String name() {
                return "throws";
            }

            @Override
            public CheckResult run(int cases, long seed) {
                throw new IndexOutOfBoundsException("index 7");
            }
        };
        assertEquals(1, inProcess(List.of(throwing, KernelChecks.all().getFirst()), "--widths", "0", "--cases",
                "2"));
        String o = out.toString();
        assertTrue(o.contains("FAIL throws at width 0: 1 of 1 cases out of bound, worst unbounded in: threw"
                + " java.lang.IndexOutOfBoundsException: index 7"), o);
        assertTrue(o.lines().anyMatch(l -> l.contains("sgemm") && l.endsWith("PASS")), o);
    }

    @Test
    void aWidthThatCouldNotRunFailsTheRun() {
        WidthRunner broken = (bits, cases, seed) -> WidthReport.failed(bits, "worker JVM exited with 134");
        assertEquals(1, run(new CommandLine(new VerifyCommand(broken)), "--widths", "256"));
        String o = out.toString();
        assertTrue(o.contains("ERROR: worker JVM exited with 134"), o);
        assertTrue(o.contains("ERROR at width 256: worker JVM exited with 134"), o);
    }

    @Test
    void aLoweredWidthIsReportedAsSuch() {
        WidthReport lowered = new WidthReport(512, 256, "vector 256-bit",
                List.of(new CheckResult("sgemm", 3, 0, 0.25, "c")), null);
        String row = VerifyTable.rows(lowered);
        assertTrue(row.startsWith("512     256 (lowered)  sgemm"), row);
        assertTrue(row.strip().endsWith("PASS"), row);
    }
}
