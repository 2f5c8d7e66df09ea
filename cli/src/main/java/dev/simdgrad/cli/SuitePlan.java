package dev.simdgrad.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What a one-class JMH suite ({@code bench aggregate}, {@code bench train-step}) runs: the JMH parameters and the
 * effort. All methods of the class run on every combination of the parameters, but for those named {@code *OpenBlas}
 * (native OpenBLAS peers) when no OpenBLAS library loads on this machine.
 *
 * @param benchmark        fully qualified name of the JMH class
 * @param quick            whether this is a {@code --quick} plan
 * @param params           JMH parameter values by name, in table order
 * @param forks            JVM forks per cell
 * @param warmupIterations warm-up iterations per fork
 * @param warmupTime       time of each warm-up iteration
 * @param iterations       measured iterations per fork
 * @param iterationTime    time of each measured iteration
 */
record SuitePlan(String benchmark, boolean quick, Map<String, List<String>> params, int forks, int warmupIterations,
                 TimeValue warmupTime, int iterations, TimeValue iterationTime) {
    SuitePlan {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The same plan with other parameter values. */
    SuitePlan withParams(Map<String, List<String>> p) {
        return new SuitePlan(benchmark, quick, p, forks, warmupIterations, warmupTime, iterations, iterationTime);
    }

    /** The same plan with another effort. */
    SuitePlan withEffort(int f, int w, TimeValue wt, int i, TimeValue t) {
        return new SuitePlan(benchmark, quick, params, f, w, wt, i, t);
    }

    /** The JMH options; with a {@code json} path JMH also writes its JSON results there. */
    Options options(Path json) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark) + "\\.\\w+$")
                .forks(forks)
                .warmupIterations(warmupIterations)
                .warmupTime(warmupTime)
                .measurementIterations(iterations)
                .measurementTime(iterationTime)
                .jvmArgsAppend(GemmPlan.forkFlags())
                .shouldFailOnError(false);
        if (!GemmPlan.openBlasAvailable()) {
            b.exclude("\\.\\w*OpenBlas$");   // the native peer's benchmarks, which would refuse in setup
        }
        params.forEach((k, v) -> b.param(k, v.toArray(String[]::new)));
        if (json != null) {
            b.result(json.toString()).resultFormat(ResultFormatType.JSON);
        }
        return b.build();
    }

    /** The plan as {@code "name": value} JSON members, for the {@code --json} report. */
    Map<String, String> jsonFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("benchmark", BenchJsonReport.str(benchmark));
        m.put("quick", Boolean.toString(quick));
        params.forEach((k, v) -> m.put(k, "[" + String.join(", ", v.stream().map(BenchJsonReport::str).toList())
                + "]"));
        m.put("forks", Integer.toString(forks));
        m.put("warmupIterations", Integer.toString(warmupIterations));
        m.put("warmupTime", BenchJsonReport.str(warmupTime.toString()));
        m.put("iterations", Integer.toString(iterations));
        m.put("iterationTime", BenchJsonReport.str(iterationTime.toString()));
        return m;
    }

    /** The line under the table naming the JMH effort. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        notes.add(effortNote(forks, warmupIterations, warmupTime, iterations, iterationTime, quick));
        return notes;
    }

    /** The JMH effort in one line; 0 forks is said loudly, since such numbers are not comparable with others. */
    static String effortNote(int forks, int warmupIterations, TimeValue warmupTime, int iterations,
                             TimeValue iterationTime, boolean quick) {
        return String.format(Locale.ROOT, "JMH: %s, %d warm-up x %s, %d measured x %s per cell%s.",
                forks == 0 ? "no fork (--forks 0: measured inside this JVM, a smoke test, not comparable)"
                        : forks + " fork(s)",
                warmupIterations, warmupTime, iterations, iterationTime, quick ? " (--quick: indicative only)" : "");
    }
}
