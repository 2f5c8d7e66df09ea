package dev.simdgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What every {@code bench} suite does around JMH: read the {@code --compare} baseline first, run JMH's {@link Runner}
 * (each trial in a forked JVM, or in this one with {@code --forks 0}), then print the suite's table, write the
 * {@code --json} file ({@link BenchJsonReport}), print the comparison and draw the chart. {@link #run} is all of
 * {@code bench aggregate} and {@code bench train-step}; {@code bench gemm} plans its own JMH runs and shares the rest.
 */
final class SuiteRunner {
    /**
     * Where the results go besides the terminal.
     *
     * @param json     the {@code --json} file, or null
     * @param compare  the {@code --compare} file, or null
     * @param baseline the run read from {@code compare}, or null
     * @param chart    the PNG chart, or null for none
     */
    record Outputs(Path json, Path compare, BenchRun baseline, Path chart) {
    }

    /**
     * What JMH measured.
     *
     * @param results   every cell, in JMH's order
     * @param jmhArrays JMH's JSON text of each run (empty without {@code --json})
     */
    record Measured(List<BenchResult> results, List<String> jmhArrays) {
    }

    private SuiteRunner() {
    }

    /**
     * Runs {@code bench aggregate} or {@code bench train-step}: the effort options are already applied to
     * {@code plan}. Returns the exit code: 0, or 1 when a cell failed (JMH reported the error above).
     */
    static int run(CommandSpec spec, BenchSuite suite, SuitePlan plan, JmhEffortOptions o)
            throws IOException, RunnerException {
        // The baseline is read before minutes of measuring, so that a wrong path fails at once.
        Outputs outputs = outputs(spec, suite, o.json, o.compare, o.chart);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // The peaks first, while no forked JVM competes for the cores.
        MachineInfo machine = MachineInfo.detect(true);
        out.print(machine.report());
        out.flush();
        Measured m = measure(List.of(plan::options), o.json != null);
        int expected = plan.params().values().stream().mapToInt(List::size).reduce(1, (a, b) -> a * b);
        List<String> notes = new ArrayList<>(plan.notes());
        long methods = m.results().stream().map(BenchResult::method).distinct().count();
        boolean failed = m.results().isEmpty() || m.results().size() < methods * expected;
        if (failed) {
            notes.add("FAILED: " + m.results().size() + " result(s) where " + Math.max(1, methods) * expected
                    + " were expected (see the JMH output above for why).");
        }
        BenchRun run = BenchRun.of(suite, machine, plan.forks(), plan.params(), m.results());
        report(out, run, notes, machine, plan.jsonFields(), m.jmhArrays(), outputs);
        if (failed) {
            err.println("simdgrad bench " + suite.command + ": benchmark cell(s) failed; see above.");
            err.flush();
            return 1;
        }
        return 0;
    }

    /**
     * Runs JMH once per element of {@code runs}, each given the temporary file JMH writes its JSON to (null unless
     * {@code keepJson}).
     */
    static Measured measure(List<Function<Path, Options>> runs, boolean keepJson) throws IOException,
            RunnerException {
        List<BenchResult> results = new ArrayList<>();
        List<String> jmhJson = new ArrayList<>();
        for (Function<Path, Options> options : runs) {
            Path tmp = keepJson ? Files.createTempFile("simdgrad-jmh-", ".json") : null;
            try {
                for (RunResult r : new Runner(options.apply(tmp)).run()) {
                    results.add(BenchResult.of(r));
                }
                if (tmp != null) {
                    jmhJson.add(Files.readString(tmp));
                }
            } finally {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        return new Measured(results, jmhJson);
    }

    /** Checks the output options before measuring; see {@link Outputs}. */
    static Outputs outputs(CommandSpec spec, BenchSuite suite, Path json, Path compare, Path chart) {
        if (json != null) {
            OutputLocations.file(spec, "--json", json, true);
        }
        BenchRun baseline = compare == null ? null : readRun(spec, compare, suite);
        Path png = chartPath(chart, json);
        png = png != null ? png : defaultChart(suite);
        OutputLocations.file(spec, chart != null ? "--chart" : "the chart (--chart sets where)", png, true);
        return new Outputs(json, compare, baseline, png);
    }

    /** Where a measuring run without {@code --json} or {@code --chart} draws its chart: every run draws one. */
    static Path defaultChart(BenchSuite suite) {
        return Path.of("simdgrad-results", "bench", suite.command + ".png");
    }

    /**
     * Prints the table, writes the JSON file, prints the comparison and draws the chart, as {@code outputs} asks.
     * A run with nothing to draw prints why instead of a chart.
     */
    static void report(PrintWriter out, BenchRun run, List<String> notes, MachineInfo machine,
                       Map<String, String> planFields, List<String> jmhArrays, Outputs outputs) throws IOException {
        out.println();
        out.print(run.suite().table(run, notes));
        out.flush();
        if (outputs.json() != null) {
            BenchJsonReport.write(outputs.json(), run.suite(), machine, planFields, jmhArrays);
            out.println("Wrote " + outputs.json().toAbsolutePath());
        }
        if (outputs.baseline() != null) {
            out.println();
            out.print(BenchComparison.format(outputs.compare().getFileName().toString(), outputs.baseline(), run));
        }
        chart(out, run, outputs.chart());
        out.flush();
    }

    /** Draws the chart into {@code png} if not null and says where, or why there is none. */
    static void chart(PrintWriter out, BenchRun run, Path png) throws IOException {
        if (png == null) {
            return;
        }
        try {
            out.println("Wrote " + run.suite().chart(png, run).toAbsolutePath());
        } catch (IllegalArgumentException e) {
            out.println("No chart: " + e.getMessage() + ".");
        }
    }

    /**
     * Reads a saved run named on the command line. A missing file, a file that is not a saved run, or a run of
     * another suite than {@code expected} (when not null) is a usage error (exit 2) naming the file.
     */
    static BenchRun readRun(CommandSpec spec, Path file, BenchSuite expected) {
        BenchRun run;
        try {
            run = BenchRun.read(file);
        } catch (NoSuchFileException e) {
            throw new ParameterException(spec.commandLine(), file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), file + ": " + e.getMessage());
        }
        if (expected != null && run.suite() != expected) {
            throw new ParameterException(spec.commandLine(), file + ": a bench " + run.suite().command
                    + " run; it cannot be compared with bench " + expected.command);
        }
        return run;
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
