package dev.simdgrad.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long run in training steps: a progress bar with rate and ETA (me.tongfei:progressbar) on standard
 * error when standard output is a terminal, and nothing otherwise, so that logs, pipes and tests see only the
 * per-epoch lines and the tables. Close it when done (the bar then prints its final state).
 */
final class Progress implements AutoCloseable, dev.simdgrad.experiments.ProgressSink {
    private static final Progress QUIET = new Progress(null);
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * A bar for {@code totalSteps} steps named {@code task} when stdout is an interactive terminal; a silent
     * tracker otherwise.
     */
    static Progress start(String task, long totalSteps) {
        if (!interactive()) {
            return QUIET;
        }
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalSteps)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" steps", 1).showSpeed().setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
                .build();
        return new Progress(bar);
    }

    /** A tracker that never prints. */
    static Progress quiet() {
        return QUIET;
    }

    /** Whether stdout is a terminal (JDK 22+: {@code Console.isTerminal}; a redirected stdout is not). */
    static boolean interactive() {
        var console = System.console();
        return console != null && console.isTerminal();
    }

    /**
     * What to print before a line of output while the bar is showing: a carriage return and an erase-line escape,
     * so that the line replaces the bar (which redraws itself below on its next update) instead of running into
     * it; empty when there is no bar.
     */
    String lineStart() {
        return bar == null ? "" : "\r\033[K";
    }

    /** Advances by {@code steps}. */
    @Override
    public void step(long steps) {
        if (bar != null) {
            bar.stepBy(steps);
        }
    }

    /** A short note shown after the bar (e.g. the current run and its last accuracy). */
    @Override
    public void note(String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
