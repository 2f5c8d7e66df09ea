package dev.simdgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simdgrad bench report RESULTS.json}: the table, the comparison and the chart of a saved {@code bench gemm
 * --json} run, without measuring anything: to compare two saved runs, or to redraw a committed baseline's chart.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the table of a saved 'bench gemm --json' run; optionally compare it with another"
                + " saved run and draw its PNG chart. Measures nothing.")
final class BenchReportCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RESULTS.json", description = "A file written by bench gemm --json.")
    private Path results;

    @Option(names = "--compare", paramLabel = "BASELINE.json",
            description = "Print each benchmark's change from this saved run to RESULTS.json; flag regressions"
                    + " larger than the two runs' error bars together.")
    private Path compare;

    @Option(names = "--chart", paramLabel = "FILE.png", description = "Write the PNG chart of RESULTS.json here.")
    private Path chart;

    @Override
    public Integer call() throws IOException {
        GemmRun run = readBaseline(spec, results);
        GemmRun baseline = compare == null ? null : readBaseline(spec, compare);
        PrintWriter out = spec.commandLine().getOut();
        out.println(results.getFileName() + ": " + run.machine());
        out.print(GemmTable.format(run.results(), List.of(), run.peakGflopsPerCore(), run.cores(), List.of()));
        if (baseline != null) {
            out.println();
            out.print(GemmComparison.format(compare.getFileName().toString(), baseline, run));
        }
        if (chart != null) {
            try {
                out.println("Wrote " + GemmChart.write(chart, run, "SGEMM, " + run.machine()).toAbsolutePath());
            } catch (IllegalArgumentException e) {
                out.println("No chart: " + e.getMessage() + ".");
            }
        }
        out.flush();
        return 0;
    }

    /**
     * Reads a saved run for an option; a missing or malformed file is a usage error (exit 2) naming the file.
     */
    static GemmRun readBaseline(CommandSpec spec, Path file) {
        try {
            return GemmRun.read(file);
        } catch (NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(), file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), file + ": " + e.getMessage());
        }
    }

    /**
     * Where the chart goes: {@code chart} if given, else next to {@code json} with its extension replaced by
     * {@code .png}; null when neither is given.
     */
    static Path chartPath(Path chart, Path json) {
        if (chart != null) {
            return chart;
        }
        if (json == null) {
            return null;
        }
        String name = json.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return json.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".png");
    }
}
