package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.AggregateBenchmark;
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
 * {@code simdgrad bench aggregate}: runs the JMH {@code AggregateBenchmark} (per-example gradient aggregation:
 * plain gradient, norms, clipping, fused and explicit robust aggregators) and prints ms/op, the bandwidth of the
 * B x P matrix and its share of the measured read bandwidth, the ratio to the plain gradient, and the speed-up over
 * the explicit materialize-then-aggregate path measured in the same run.
 */
@Command(name = "aggregate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark per-example gradient aggregation (JMH AggregateBenchmark); print ms/op, GB/s of"
            + " the B x P matrix and %% of the measured read bandwidth, the ratio to plainGradient and the speed-up"
            + " over the explicit path (materialize + explicit aggregator); optionally compare with a saved run and"
            + " draw a PNG chart.",
            "Full run: 2 shapes x 3 batches x 3 c, 1 fork (about 35 minutes).",
            "--quick: 784x256, B=128, c=4 (about 2 minutes)."})
final class BenchAggregateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private JmhEffortOptions effort;

    @Option(names = "--shapes", split = ",", paramLabel = "DINxDOUT",
            description = "Layer shapes instead of the defaults, e.g. 784x256,784x1024.")
    private List<String> shapes;

    @Option(names = "--batches", split = ",", paramLabel = "B", description = "Batch sizes instead of the defaults.")
    private List<Integer> batches;

    @Option(names = "--c", split = ",", paramLabel = "C",
            description = "Aggregator parameters c (clip, winsorize/trim count, groups) instead of the defaults.")
    private List<Integer> c;

    /** The defaults: every @Param value, or for {@code quick} 784x256, B=128, c=4 with a short effort. */
    static SuitePlan defaults(boolean quick) {
        Class<?> layer = AggregateBenchmark.Layer.class;
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("shape", quick ? List.of("784x256") : JmhParams.of(layer, "shape"));
        p.put("batch", quick ? List.of("128") : JmhParams.of(layer, "batch"));
        p.put("c", quick ? List.of("4") : JmhParams.of(layer, "c"));
        p.put("threads", List.of("1"));
        return quick
                ? new SuitePlan(AggregateBenchmark.class.getName(), true, p, 1, 2, TimeValue.seconds(1), 3,
                        TimeValue.seconds(1))
                : new SuitePlan(AggregateBenchmark.class.getName(), false, p, 1, 3, TimeValue.seconds(1), 5,
                        TimeValue.seconds(1));
    }

    /** Checks the options (usage errors exit with 2) and merges them with the defaults of the mode. */
    SuitePlan plan() {
        SuitePlan d = effort.apply(spec, defaults(effort.quick));
        Map<String, List<String>> p = new LinkedHashMap<>(d.params());
        if (shapes != null) {
            p.put("shape", JmhEffortOptions.checked(spec, "--shapes", shapes, "[1-9][0-9]{0,5}x[1-9][0-9]{0,5}",
                    "a shape such as 784x256"));
        }
        if (batches != null) {
            p.put("batch", positive("--batches", batches));
        }
        if (c != null) {
            p.put("c", positive("--c", c));
        }
        return d.withParams(p);
    }

    private List<String> positive(String name, List<Integer> values) {
        for (int v : values) {
            if (v < 1) {
                throw new ParameterException(spec.commandLine(), name + ": " + v + " must be >= 1");
            }
        }
        return values.stream().distinct().map(String::valueOf).toList();
    }

    @Override
    public Integer call() throws IOException, RunnerException {
        return SuiteRunner.run(spec, BenchSuite.AGGREGATE, plan(), effort);
    }
}
