package dev.simdgrad.cli;

import dev.simdgrad.verify.check.KernelCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * A {@link WidthRunner} for tests: runs the given checks in this JVM, at its own width whatever is requested, and
 * goes through the worker protocol both ways, as a child JVM would.
 */
final class InProcessWidthRunner implements WidthRunner {
    private final List<KernelCheck> checks;

    InProcessWidthRunner(List<KernelCheck> checks) {
        this.checks = checks;
    }

    @Override
    public WidthReport run(int requestedBits, int cases, long seed) {
        StringWriter sw = new StringWriter();
        VerifyWorkerCommand.run(checks, cases, seed, new PrintWriter(sw));
        return WorkerProtocol.parse(requestedBits, sw.toString().lines().toList());
    }
}
