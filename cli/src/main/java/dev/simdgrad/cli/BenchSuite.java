package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.AggregateBenchmark;
import dev.simdgrad.benchmarks.GemmShape;
import dev.simdgrad.benchmarks.SgemmBenchmark;
import dev.simdgrad.benchmarks.TrainStepBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The JMH suites {@code bench} runs, and what differs between them once measured: the JMH class, the unit JMH
 * reports in, the unit the comparison prints and which direction is better, the parameters that identify a cell (in
 * column order), and the suite's own table and chart. Everything else (the saved run, the comparison) is shared.
 */
enum BenchSuite {
    /** {@code bench gemm}: throughput, compared in GFLOP/s. */
    GEMM("gemm", SgemmBenchmark.class.getName(), "ops/s", "GFLOP/s", true,
            "shape", "[NT]{2}:[1-9][0-9]*x[1-9][0-9]*x[1-9][0-9]*", "threads", "[1-9][0-9]*") {
        @Override
        double scale(BenchResult r) {
            // A call is 2mnk flops: calls/s and its error both scale by 2mnk / 1e9.
            return GemmShape.parse(r.param("shape")).flops() / 1e9;
        }

        @Override
        String table(BenchRun run, List<String> notes) {
            List<GemmShape> order = new ArrayList<>();
            for (String shape : run.order("shapes")) {
                try {
                    order.add(GemmShape.parse(shape));
                } catch (IllegalArgumentException e) {
                    // The plan only orders the rows: a shape it misspells is left out of the order, not fatal.
                }
            }
            return GemmTable.format(GemmResult.of(run.results()), order, run.peakGflopsPerCore(), run.cores(),
                    notes);
        }

        @Override
        Path chart(Path png, BenchRun run) throws IOException {
            return GemmChart.write(png, run, "SGEMM, " + run.machine());
        }
    },
    /** {@code bench aggregate}: ms per call. */
    AGGREGATE("aggregate", AggregateBenchmark.class.getName(), "ms/op", "ms/op", false,
            "shape", "[1-9][0-9]*x[1-9][0-9]*", "batch", "[1-9][0-9]*", "c", "[1-9][0-9]*", "threads", "[1-9][0-9]*") {
        @Override
        String table(BenchRun run, List<String> notes) {
            return AggregateTable.format(run.results(), run.order("shape"), run.peakReadGbPerSecond(), notes);
        }

        @Override
        Path chart(Path png, BenchRun run) throws IOException {
            return AggregateChart.write(png, run);
        }
    },
    /** {@code bench train-step}: ms per training step. */
    TRAIN_STEP("train-step", TrainStepBenchmark.class.getName(), "ms/op", "ms/step", false,
            "shape", "[1-9][0-9]*-[1-9][0-9]*-[1-9][0-9]*", "threads", "[1-9][0-9]*", "objective", "\\w+") {
        @Override
        String table(BenchRun run, List<String> notes) {
            return TrainStepTable.format(run.results(), run.order("shape"), run.order("objective"),
                    run.peakGflopsPerCore(), run.cores(), notes);
        }

        @Override
        Path chart(Path png, BenchRun run) throws IOException {
            return TrainStepChart.write(png, run);
        }
    };

    /** The subcommand: {@code bench <command>}. */
    final String command;
    /** Fully qualified name of the JMH class. */
    final String benchmark;
    /** The unit of JMH's scores, as JMH writes it ("scoreUnit"). */
    final String jmhUnit;
    /** The unit of {@link #value}. */
    final String unit;
    /** Whether a larger {@link #value} is better (throughput) or worse (time). */
    final boolean higherIsBetter;
    /** The parameters that identify a cell besides the method, in the order tables print them. */
    final List<String> keyParams;
    /** What each key parameter's value looks like: the tables parse them. */
    private final Map<String, Pattern> patterns = new LinkedHashMap<>();

    /**
     * @param keyParamsAndPatterns the key parameters in table order, each followed by the regex its values match
     */
    BenchSuite(String command, String benchmark, String jmhUnit, String unit, boolean higherIsBetter,
               String... keyParamsAndPatterns) {
        this.command = command;
        this.benchmark = benchmark;
        this.jmhUnit = jmhUnit;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        for (int i = 0; i < keyParamsAndPatterns.length; i += 2) {
            patterns.put(keyParamsAndPatterns[i], Pattern.compile(keyParamsAndPatterns[i + 1]));
        }
        this.keyParams = List.copyOf(patterns.keySet());
    }

    /**
     * Checks that a cell read from a file has every key parameter in the form the suite's table parses.
     *
     * @throws IllegalArgumentException naming the cell and the parameter otherwise
     */
    void check(BenchResult r) {
        patterns.forEach((name, pattern) -> {
            String v = r.params().get(name);
            if (v == null || !pattern.matcher(v).matches()) {
                throw new IllegalArgumentException(r.method() + " " + r.params() + ": parameter " + name
                        + (v == null ? " missing" : " is not like " + pattern));
            }
        });
    }

    /**
     * The factor from JMH's score to {@link #unit}: 1 where they agree. It is positive and depends on the cell's
     * parameters only, so the value and its error scale alike, and two runs of the same cell compare the same in
     * either unit.
     */
    double scale(BenchResult r) {
        return 1;
    }

    /** The cell's score in {@link #unit}. */
    final double value(BenchResult r) {
        return r.score() * scale(r);
    }

    /** The cell's error in {@link #unit}. */
    final double error(BenchResult r) {
        return r.error() * scale(r);
    }

    /** The suite's table of a run, followed by its legend and {@code notes}. */
    abstract String table(BenchRun run, List<String> notes);

    /**
     * Draws the suite's chart of a run into {@code png} (parent directories created).
     *
     * @return the file written ({@code png}, with ".png" appended when XChart appended it)
     * @throws IOException              if the file cannot be written
     * @throws IllegalArgumentException if the run has nothing to draw
     */
    abstract Path chart(Path png, BenchRun run) throws IOException;

    /** The suite of a {@code bench} subcommand name, or null. */
    static BenchSuite ofCommand(String command) {
        for (BenchSuite s : values()) {
            if (s.command.equals(command)) {
                return s;
            }
        }
        return null;
    }

    /** The suite a JMH benchmark name ("package.Class.method") belongs to, or null. */
    static BenchSuite ofBenchmark(String benchmark) {
        int dot = benchmark.lastIndexOf('.');
        String cls = dot < 0 ? benchmark : benchmark.substring(0, dot);
        for (BenchSuite s : values()) {
            if (s.benchmark.equals(cls)) {
                return s;
            }
        }
        return null;
    }
}
