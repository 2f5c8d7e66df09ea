package dev.simdgrad.experiments;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * A paper's experiment: a name, the paper it reproduces, and how to run it from a typed configuration {@code C} to
 * a typed result {@code R}, reporting typed rows {@code W} as they finish (a training run, a width, a cost). Each
 * paper lives in a package of its own ({@code dev.simdgrad.experiments.coherent}, {@code .minnorm},
 * {@code .gradreg}) and exposes its experiment as a constant; a fourth paper is one more package.
 *
 * @param name   the command-line name ({@code ./simdgrad reproduce NAME})
 * @param paper  the paper, cited
 * @param runner the computation
 * @param <C>    the configuration
 * @param <W>    a row reported while running
 * @param <R>    the result: the runs, the claims with their verdicts, the deviations from the paper
 */
public record Experiment<C, W, R>(String name, String paper, Runner<C, W, R> runner) {

    /** How an experiment runs. */
    @FunctionalInterface
    public interface Runner<C, W, R> {
        /**
         * Runs {@code config}; {@code onRow} sees each row as it finishes, {@code progress} the work done.
         *
         * @throws IOException if the data cannot be read
         */
        R run(C config, ProgressSink progress, Consumer<W> onRow) throws IOException;
    }

    /** Runs {@code config} (see {@link Runner#run}). */
    public R run(C config, ProgressSink progress, Consumer<W> onRow) throws IOException {
        return runner.run(config, progress, onRow);
    }
}
