package dev.simdgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code simdgrad bench report RESULTS.json}: the table, the comparison and the chart of a saved run of any suite
 * (the suite is read from the file), without measuring anything: to compare two saved runs, or to redraw a committed
 * baseline's chart.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the table of a run saved with 'bench gemm|aggregate|train-step --json'; optionally"
                + " compare it with another saved run of the same suite and draw its PNG chart. Measures nothing.")
final class BenchReportCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RESULTS.json", description = "A file written by bench SUITE --json.")
    private Path results;

    @Option(names = "--compare", paramLabel = "BASELINE.json",
            description = "Print each benchmark's change from this saved run of the same suite to RESULTS.json;"
                    + " flag regressions larger than the two runs' error bars together.")
    private Path compare;

    @Option(names = "--chart", paramLabel = "FILE.png", description = "Write the PNG chart of RESULTS.json here.")
    private Path chart;

    @Override
    public Integer call() throws IOException {
        BenchRun run = SuiteRunner.readRun(spec, results, null);
        if (chart != null) {
            OutputLocations.file(spec, "--chart", chart, true);
        }
        BenchRun baseline = compare == null ? null : SuiteRunner.readRun(spec, compare, run.suite());
        PrintWriter out = spec.commandLine().getOut();
        out.println(results.getFileName() + ": bench " + run.suite().command + ", " + run.machine());
        out.print(run.suite().table(run, run.forks() == 0
                ? List.of("Measured without forking (--forks 0): a smoke test, not comparable with forked runs.")
                : List.of()));
        if (baseline != null) {
            out.println();
            out.print(BenchComparison.format(compare.getFileName().toString(), baseline, run));
        }
        SuiteRunner.chart(out, run, chart);
        out.flush();
        return 0;
    }
}
