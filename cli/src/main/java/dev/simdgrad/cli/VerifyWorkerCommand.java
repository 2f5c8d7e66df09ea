package dev.simdgrad.cli;

import dev.simdgrad.kernels.Simd;
import dev.simdgrad.verify.check.CheckResult;
import dev.simdgrad.verify.check.KernelCheck;
import dev.simdgrad.verify.check.KernelChecks;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simdgrad verify-worker} (hidden): runs every kernel check at this JVM's vector width and reports in
 * {@link WorkerProtocol} lines on stdout. {@code verify} starts one per width, each with its own
 * {@code -Dsimdgrad.vector.bits}, since the width is fixed when the kernels' classes load.
 */
@Command(name = "verify-worker", hidden = true,
        description = "Internal: run the kernel checks at this JVM's width; JSON lines on stdout.")
final class VerifyWorkerCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--cases", required = true)
    private int cases;

    @Option(names = "--seed", required = true)
    private long seed;

    @Override
    public Integer call() {
        run(KernelChecks.all(), cases, seed, spec.commandLine().getOut());
        return 0;
    }

    /**
     * Runs {@code checks} in this JVM and writes the protocol lines to {@code out}, flushing each. A check that
     * throws is reported as one failed case with an unbounded error and the exception as its worst case.
     */
    static void run(List<KernelCheck> checks, int cases, long seed, PrintWriter out) {
        out.println(WorkerProtocol.widthLine(Simd.vectorBits(), Simd.describe()));
        out.flush();
        for (KernelCheck check : checks) {
            CheckResult r;
            try {
                r = check.run(cases, seed);
            } catch (RuntimeException | StackOverflowError e) {
                // A kernel that throws on valid input fails its check; the other checks still run.
                r = new CheckResult(check.name(), 1, 1, Double.POSITIVE_INFINITY, "threw " + e);
            }
            out.println(WorkerProtocol.checkLine(r));
            out.flush();
        }
        out.println(WorkerProtocol.doneLine());
        out.flush();
    }
}
