package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.TrainStepBenchmark;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simdgrad bench train-step}: runs the JMH {@code TrainStepBenchmark} (one SGD step of a two-layer network
 * under each objective) and prints ms/step, the GFLOP/s of the plain step's matrix products and their share of the
 * measured FMA peak, and the ratio to the {@code mean} objective measured in the same run.
 */
@Command(name = "train-step", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark one training step per objective (JMH TrainStepBenchmark); print ms/step, GFLOP/s"
            + " and %% of the measured FMA peak, and the ratio to mean; optionally compare with a saved run and draw"
            + " a PNG chart.",
            "Full run: 2 shapes x 12 objectives x threads 1,2, 1 fork (about 8 minutes).",
            "--quick: 784-256-10, 1 thread, every objective (about 1-2 minutes)."})
final class BenchTrainStepCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private JmhEffortOptions effort;

    @Option(names = "--shapes", split = ",", paramLabel = "IN-HIDDEN-OUT",
            description = "Network shapes instead of the defaults, 784-HIDDEN[-HIDDEN...]-10, e.g. 784-256-10 or"
                    + " 784-512-512-10.")
    private List<String> shapes;

    @Option(names = "--objectives", split = ",", paramLabel = "NAME",
            description = "Objectives instead of all of them: ${COMPLETION-CANDIDATES}.",
            completionCandidates = Objectives.class)
    private List<String> objectives;

    @Option(names = "--threads", split = ",", paramLabel = "N",
            description = "Thread budgets instead of the default (1 with --quick, else 1,2).")
    private List<Integer> threads;

    /**
     * Every objective the benchmark knows, for the help and the check: its defaults and {@code doublebackprop} (true
     * double backpropagation, measured on request only).
     */
    static final class Objectives extends java.util.ArrayList<String> {
        Objectives() {
            super(JmhParams.of(TrainStepBenchmark.Step.class, "objective"));
            add("doublebackprop");
        }
    }

    /** The defaults: every @Param value, or for {@code quick} 784-256-10 at 1 thread with a short effort. */
    static SuitePlan defaults(boolean quick) {
        Class<?> step = TrainStepBenchmark.Step.class;
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("shape", quick ? List.of("784-256-10") : JmhParams.of(step, "shape"));
        p.put("objective", JmhParams.of(step, "objective"));
        p.put("threads", quick ? List.of("1") : JmhParams.of(step, "threads"));
        return quick
                ? new SuitePlan(TrainStepBenchmark.class.getName(), true, p, 1, 2, TimeValue.seconds(1), 3,
                        TimeValue.seconds(1))
                : new SuitePlan(TrainStepBenchmark.class.getName(), false, p, 1, 3, TimeValue.seconds(1), 5,
                        TimeValue.seconds(1));
    }

    /** Checks the options (usage errors exit with 2) and merges them with the defaults of the mode. */
    SuitePlan plan() {
        SuitePlan d = effort.apply(spec, defaults(effort.quick));
        Map<String, List<String>> p = new LinkedHashMap<>(d.params());
        if (shapes != null) {
            // The benchmark's data fix the input and output sizes; the hidden widths are free, one per layer.
            p.put("shape", JmhEffortOptions.checked(spec, "--shapes", shapes,
                    TrainStepBenchmark.INPUTS + "(-[1-9][0-9]{0,5})+-" + TrainStepBenchmark.CLASSES,
                    "a shape " + TrainStepBenchmark.INPUTS + "-HIDDEN[-HIDDEN...]-" + TrainStepBenchmark.CLASSES
                            + " such as 784-256-10 or 784-512-512-10 (input and output sizes are fixed)"));
        }
        if (objectives != null) {
            List<String> known = new Objectives();
            for (String o : objectives) {
                if (!known.contains(o)) {
                    throw new ParameterException(spec.commandLine(), "--objectives: '" + o + "' is not one of "
                            + String.join(", ", known));
                }
            }
            p.put("objective", objectives.stream().distinct().toList());
        }
        if (threads != null) {
            for (int t : threads) {
                if (t < 1 || t > 1024) {
                    throw new ParameterException(spec.commandLine(), "--threads: " + t + " is not in 1..1024");
                }
            }
            p.put("threads", threads.stream().distinct().map(String::valueOf).toList());
        }
        return d.withParams(p);
    }

    @Override
    public Integer call() throws IOException, RunnerException {
        return SuiteRunner.run(spec, BenchSuite.TRAIN_STEP, plan(), effort);
    }
}
