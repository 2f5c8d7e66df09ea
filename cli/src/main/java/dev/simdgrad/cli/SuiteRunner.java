package dev.simdgrad.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs a {@link SuitePlan} through JMH's {@link Runner} (each trial in a forked JVM), prints the table made by
 * {@code table}, and with {@code --json} writes JMH's JSON and the machine record ({@link GemmJsonReport}). Shared by
 * {@code bench aggregate} and {@code bench train-step}.
 */
final class SuiteRunner {
    /** Formats the measured cells and the notes as the table the command prints. */
    interface Table {
        String format(List<SuiteResult> results, List<String> notes);
    }

    private SuiteRunner() {
    }

    /** Returns the exit code: 0, or 1 when a cell failed (JMH reported the error above). */
    static int run(String command, SuitePlan plan, Path json, Table table, PrintWriter out, PrintWriter err)
            throws IOException, RunnerException {
        MachineInfo machine = MachineInfo.detect(false);
        out.print(machine.report());
        out.flush();
        int expected = plan.params().values().stream().mapToInt(List::size).reduce(1, (a, b) -> a * b);
        Path tmp = json == null ? null : Files.createTempFile("simdgrad-jmh-", ".json");
        List<SuiteResult> results = new ArrayList<>();
        String jmhJson = null;
        try {
            for (RunResult r : new Runner(plan.options(tmp)).run()) {
                results.add(SuiteResult.of(r));
            }
            if (tmp != null) {
                jmhJson = Files.readString(tmp);
            }
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
        List<String> notes = new ArrayList<>(plan.notes());
        long methods = results.stream().map(SuiteResult::method).distinct().count();
        boolean failed = results.isEmpty() || results.size() < methods * expected;
        if (failed) {
            notes.add("FAILED: " + results.size() + " result(s) where " + Math.max(1, methods) * expected
                    + " were expected (see the JMH output above for why).");
        }
        out.println();
        out.print(table.format(results, notes));
        out.flush();
        if (json != null) {
            GemmJsonReport.write(json, machine, plan.jsonFields(), List.of(jmhJson));
            out.println("Wrote " + json.toAbsolutePath());
            out.flush();
        }
        if (failed) {
            err.println("simdgrad bench " + command + ": benchmark cell(s) failed; see above.");
            err.flush();
            return 1;
        }
        return 0;
    }
}
