package dev.simdgrad.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The options every one-class suite shares: {@code --quick}, the output files ({@code --json}, {@code --compare},
 * {@code --chart}) and the JMH effort.
 */
final class JmhEffortOptions {
    /** {@code --forks}'s help, shared with {@code bench gemm}. */
    static final String FORKS_HELP = "JVM forks per cell instead of the default. 0 runs the benchmarks inside this"
            + " JVM: a smoke test only, its numbers are not comparable with forked runs.";

    @Option(names = "--quick", description = "One small configuration, 1 fork, short iterations.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write JMH's JSON results and a machine record (CPU, JDK, width, measured peaks) to"
                    + " FILE.")
    Path json;

    @Option(names = "--compare", paramLabel = "BASELINE.json",
            description = "Print each benchmark's change against a run of the same suite saved with --json; flag"
                    + " regressions larger than the two runs' error bars together.")
    Path compare;

    @Option(names = "--chart", paramLabel = "FILE.png",
            description = "Write the PNG chart here (default: next to the --json file, same name with .png;"
                    + " without --json: simdgrad-results/bench/SUITE.png).")
    Path chart;

    @Option(names = "--forks", paramLabel = "N", description = FORKS_HELP)
    Integer forks;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up iterations per fork instead of the default.")
    Integer warmup;

    @Option(names = "--iterations", paramLabel = "N",
            description = "Measured iterations per fork instead of the default.")
    Integer iterations;

    @Option(names = "--time", paramLabel = "TIME",
            description = "Time of each iteration (warm-up too), e.g. 500ms or 2s, instead of the default.")
    String time;

    /** The plan with the effort options applied; bad values are usage errors (exit 2). */
    SuitePlan apply(CommandSpec spec, SuitePlan d) {
        TimeValue t = time(spec, time, d.iterationTime());
        int f = at("--forks", forks, d.forks(), 0, spec);
        int w = at("--warmup", warmup, d.warmupIterations(), 0, spec);
        int i = at("--iterations", iterations, d.iterations(), 1, spec);
        return d.withEffort(f, w, time != null ? t : d.warmupTime(), i, t);
    }

    /** {@code --time}'s value, or {@code fallback} when absent; a malformed one is a usage error. */
    static TimeValue time(CommandSpec spec, String time, TimeValue fallback) {
        if (time == null) {
            return fallback;
        }
        try {
            return TimeValue.fromString(time);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--time: '" + time + "' is not a time such as 500ms"
                    + " or 2s");
        }
    }

    /** A count option's value, or {@code fallback} when absent; below {@code min} is a usage error. */
    static int at(String name, Integer value, int fallback, int min, CommandSpec spec) {
        if (value == null) {
            return fallback;
        }
        if (value < min) {
            throw new ParameterException(spec.commandLine(), name + ": " + value + " must be >= " + min);
        }
        return value;
    }

    /** Checks that every value of a list option matches {@code regex}; returns them without duplicates. */
    static List<String> checked(CommandSpec spec, String name, List<String> values, String regex, String what) {
        for (String v : values) {
            if (!v.matches(regex)) {
                throw new ParameterException(spec.commandLine(), name + ": '" + v + "' is not " + what);
            }
        }
        return values.stream().distinct().toList();
    }
}
