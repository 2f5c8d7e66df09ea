package dev.simdgrad.spark;

import java.util.Locale;

/**
 * How the synchronous rounds reach the workers. Both give the same bits: the driver aggregates the same W results in
 * worker order with the same code; only the transport differs.
 */
enum RoundMode {
    /**
     * One Spark job per round: broadcast θ, W tasks, collect. Works with any W (tasks queue for free cores) and only
     * through Spark's own channels; costs a job's scheduling per round (tens of milliseconds in local mode).
     */
    JOB,
    /**
     * One barrier job per run of rounds (the whole fit, or the rounds between two checkpoints): the W tasks start
     * together, stay alive, and exchange each round's results and parameters with the driver over a TCP connection
     * ({@link RoundServer}; tasks in the driver's JVM, as in local mode, hand the parameters over in memory). Needs W free task slots at once; a failed task makes Spark re-run the whole stage, and the
     * driver restarts that run of rounds from its first, so a retry changes nothing.
     */
    BARRIER,
    /** BARRIER when the cluster has W free slots for it at the start of the fit, else JOB. */
    AUTO;

    /** Known names, for error messages. */
    static final String KNOWN = "auto, job, barrier";

    /**
     * Parses {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the text and the known names
     */
    static RoundMode parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("roundMode '" + text + "': expected one of " + KNOWN);
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
