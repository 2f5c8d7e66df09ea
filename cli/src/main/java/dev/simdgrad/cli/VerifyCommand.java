package dev.simdgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simdgrad verify}: every kernel against its scalar reference, at every vector width, on this machine. Each
 * width runs in its own child JVM ({@link ChildJvmRunner}); the table prints as widths finish. Exit code 0 when every
 * case of every kernel at every width is within its bound, 1 otherwise (or when a width could not be checked),
 * 2 for bad options.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check every kernel against its scalar reference (double accumulation) on random and edge"
            + " cases at each vector width, on this machine; print the worst error in units of its bound.",
            "Each width runs in a child JVM. Default: about 30-60 seconds on 2 cores."})
final class VerifyCommand implements Callable<Integer> {
    /** The widths {@code simdgrad.vector.bits} accepts. */
    static final Set<Integer> WIDTHS = Set.of(0, 128, 256, 512);

    @Spec
    private CommandSpec spec;

    @Option(names = "--widths", split = ",", defaultValue = "0,128,256,512", paramLabel = "BITS",
            description = "Vector widths to check, from 0 (scalar), 128, 256, 512 (default: ${DEFAULT-VALUE}).")
    private List<Integer> widths;

    @Option(names = "--cases", defaultValue = "6000", paramLabel = "N",
            description = "Random cases per kernel and width, besides the fixed edge cases (default:"
                    + " ${DEFAULT-VALUE}).")
    private int cases;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Seed of the random cases; every width gets the same cases (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    private Path json;

    private final WidthRunner runner;

    /** The command as {@code simdgrad verify} runs it: a child JVM per width. */
    VerifyCommand() {
        this(new ChildJvmRunner());
    }

    /** With another way to run a width (tests run the checks in-process). */
    VerifyCommand(WidthRunner runner) {
        this.runner = runner;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        for (int w : widths) {
            if (!WIDTHS.contains(w)) {
                throw new ParameterException(spec.commandLine(), "--widths: " + w
                        + " is not one of 0 (scalar), 128, 256, 512");
            }
        }
        if (cases < 0) {
            throw new ParameterException(spec.commandLine(), "--cases: " + cases + " must be >= 0");
        }
        if (json != null) {
            OutputLocations.file(spec, "--json", json, false);
        }
        PrintWriter out = spec.commandLine().getOut();
        MachineInfo machine = MachineInfo.detect(false);
        out.println("simdgrad verify on " + machine.cpuModel() + ", " + machine.cores() + " cores, JDK "
                + machine.jdk() + "; the CPU prefers " + machine.preferredBits() + "-bit vectors.");
        out.println();
        out.print(VerifyTable.header());
        out.flush();
        List<WidthReport> reports = new ArrayList<>();
        for (int w : new LinkedHashSet<>(widths)) {
            WidthReport r = runner.run(w, cases, seed);
            reports.add(r);
            out.print(VerifyTable.rows(r));
            out.flush();
        }
        out.println();
        out.print(VerifyTable.summary(reports, cases, seed));
        if (json != null) {
            VerifyJsonReport.write(json, machine, reports, cases, seed);
            out.println("Wrote " + json.toAbsolutePath());
        }
        out.flush();
        return reports.stream().allMatch(WidthReport::passed) ? 0 : 1;
    }
}
