package dev.simdgrad.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code simdgrad info}: the JDK, the CPU, which SIMD path the kernels take and why, and the measured FMA peak and
 * read bandwidth.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the JDK, CPU, SIMD path and width, threads, and this machine's measured FP32 FMA peak"
                + " and single-core read bandwidth (about two seconds to measure).")
final class InfoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(MachineInfo.detect(true).report());
        out.flush();
        return 0;
    }
}
