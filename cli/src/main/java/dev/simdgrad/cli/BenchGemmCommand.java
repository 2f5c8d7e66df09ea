package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.GemmShape;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simdgrad bench gemm}: runs the JMH {@code SgemmBenchmark} through JMH's Runner ({@link SuiteRunner}; each
 * trial in a forked JVM on this jar's class path) and prints simdgrad's GFLOP/s against EJML, ojAlgo and the
 * machine's measured FMA peak.
 */
@Command(name = "gemm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark SGEMM (JMH) against EJML, ojAlgo and the measured FMA peak; print a table,"
            + " optionally compare with a saved run and draw a PNG chart.",
            "Full run: 2 forks, every shape, peers everywhere (about 50 minutes on 2 cores).",
            "--quick: about 3 minutes."})
final class BenchGemmCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--quick", description = "Fewer shapes, 1 fork, short iterations; peers at 1 thread up"
            + " to 512^3.")
    private boolean quick;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", paramLabel = "N",
            description = "Thread budgets to measure (default: ${DEFAULT-VALUE}).")
    private List<Integer> threads;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write JMH's JSON results and a machine record (CPU, JDK, width, measured peaks) to"
                    + " FILE.")
    private Path json;

    @Option(names = "--compare", paramLabel = "BASELINE.json",
            description = "Print each benchmark's change against a bench gemm run saved with --json; flag"
                    + " regressions larger than the two runs' error bars together.")
    private Path compare;

    @Option(names = "--chart", paramLabel = "FILE.png",
            description = "Write the PNG chart here (default: next to the --json file, same name with .png;"
                    + " without --json: simdgrad-results/bench/SUITE.png).")
    private Path chart;

    @Option(names = "--shapes", split = ",", paramLabel = "SHAPE",
            description = "Shapes instead of the defaults, as TT:MxNxK, e.g. NN:512x512x512,TN:784x256x512.")
    private List<String> shapes;

    @Option(names = "--forks", paramLabel = "N", description = JmhEffortOptions.FORKS_HELP)
    private Integer forks;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up iterations per fork instead of the default.")
    private Integer warmup;

    @Option(names = "--iterations", paramLabel = "N", description = "Measured iterations per fork instead of the"
            + " default.")
    private Integer iterations;

    @Option(names = "--time", paramLabel = "TIME", description = "Time of each iteration, e.g. 500ms or 2s, instead"
            + " of the default.")
    private String time;

    @Option(names = "--peer-max-gflop", paramLabel = "X", description = "Run EJML and ojAlgo only on shapes of at"
            + " most X GFLOP per call (default: 0.27 with --quick, no limit otherwise).")
    private Double peerMaxGflop;

    @Override
    public Integer call() throws IOException, RunnerException {
        GemmPlan plan = plan();
        // The baseline is read before hours of measuring, so that a wrong path fails at once.
        SuiteRunner.Outputs outputs = SuiteRunner.outputs(spec, BenchSuite.GEMM, json, compare, chart);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // The peaks first, while no forked JVM competes for the cores.
        MachineInfo machine = MachineInfo.detect(true);
        out.print(machine.report());
        out.flush();

        Set<String> expected = new LinkedHashSet<>();
        List<Function<Path, Options>> runs = new ArrayList<>();
        for (GemmPlan.Run run : plan.runs()) {
            for (String method : run.methods().split("\\|")) {
                for (GemmShape s : run.shapes()) {
                    for (int t : run.threads()) {
                        expected.add(cell(method, s, t));
                    }
                }
            }
            runs.add(tmp -> plan.options(run, tmp));
        }
        SuiteRunner.Measured measured = SuiteRunner.measure(runs, json != null);
        for (GemmResult g : GemmResult.of(measured.results())) {
            expected.remove(cell(g.implementation(), g.shape(), g.threads()));
        }

        List<String> notes = new ArrayList<>(plan.notes());
        for (String missing : expected) {
            notes.add("FAILED, no result: " + missing + " (see the JMH output above for why).");
        }
        BenchRun run = BenchRun.of(BenchSuite.GEMM, machine, plan.forks(),
                Map.of("shapes", plan.shapes().stream().map(GemmShape::toString).toList()), measured.results());
        SuiteRunner.report(out, run, notes, machine, plan.jsonFields(), measured.jmhArrays(), outputs);
        if (!expected.isEmpty()) {
            err.println("simdgrad bench gemm: " + expected.size() + " benchmark cell(s) failed; see above.");
            err.flush();
            return 1;
        }
        return 0;
    }

    private static String cell(String method, GemmShape s, int threads) {
        return method + " " + s + " threads=" + threads;
    }

    /** Checks the options (usage errors exit with 2) and merges them with the defaults of the mode. */
    private GemmPlan plan() {
        for (int t : threads) {
            if (t < 1 || t > 1024) {
                throw new ParameterException(spec.commandLine(), "--threads: " + t + " is not in 1..1024");
            }
        }
        List<Integer> ts = List.copyOf(new LinkedHashSet<>(threads));
        GemmPlan d = GemmPlan.defaults(quick, ts);
        List<GemmShape> shapeList = d.shapes();
        if (shapes != null) {
            try {
                shapeList = shapes.stream().map(GemmShape::parse).distinct().toList();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--shapes: " + e.getMessage());
            }
        }
        TimeValue t = JmhEffortOptions.time(spec, time, d.iterationTime());
        int f = JmhEffortOptions.at("--forks", forks, d.forks(), 0, spec);
        int w = JmhEffortOptions.at("--warmup", warmup, d.warmupIterations(), 0, spec);
        int i = JmhEffortOptions.at("--iterations", iterations, d.iterations(), 1, spec);
        long peerMax = d.peerMaxFlops();
        if (peerMaxGflop != null) {
            if (!(peerMaxGflop >= 0)) {
                throw new ParameterException(spec.commandLine(), "--peer-max-gflop: must be >= 0");
            }
            peerMax = peerMaxGflop * 1e9 >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) (peerMaxGflop * 1e9);
        }
        // An explicit --time applies to warm-up iterations too: a smoke run wants both short.
        TimeValue wt = time != null ? t : d.warmupTime();
        return new GemmPlan(quick, shapeList, ts, f, w, wt, i, t, peerMax);
    }
}
