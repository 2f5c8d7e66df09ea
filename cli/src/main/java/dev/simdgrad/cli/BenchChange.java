package dev.simdgrad.cli;

import java.util.Map;

/**
 * One benchmark cell, identified by (method, params), compared between a baseline run and this run of the same
 * suite.
 *
 * @param suite    the suite both runs belong to: says which direction is better
 * @param method   the benchmark method
 * @param params   the cell's JMH parameters
 * @param baseline the baseline's result, null if the baseline did not measure this cell
 * @param current  this run's result, null if this run did not measure it
 */
record BenchChange(BenchSuite suite, String method, Map<String, String> params, BenchResult baseline,
                   BenchResult current) {

    /** How a cell moved. */
    enum Verdict {
        /** Worse by more than the two error bars together: the intervals do not overlap. */
        REGRESSION("REGRESSION"),
        /** Better by more than the two error bars together. */
        IMPROVEMENT("improvement"),
        /** The intervals overlap: no change this run can tell. */
        WITHIN_ERROR("within error"),
        /** A run has no error bar (too few iterations): not judged. */
        NO_ERROR_BAR("no error bar"),
        /** Only this run measured the cell. */
        NEW("new"),
        /** Only the baseline measured the cell. */
        MISSING("not measured");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        /** How the comparison table prints it. */
        String label() {
            return label;
        }
    }

    /**
     * The verdict. A change counts only when it is larger than the combined error bars: the sum of the two
     * half-widths of JMH's 99.9% confidence intervals, i.e. when the two intervals do not overlap. Whether higher
     * is better (throughput) or lower (time) is the suite's.
     */
    Verdict verdict() {
        if (baseline == null) {
            return Verdict.NEW;
        }
        if (current == null) {
            return Verdict.MISSING;
        }
        double bars = baseline.error() + current.error();
        if (!Double.isFinite(bars)) {
            return Verdict.NO_ERROR_BAR;
        }
        double gain = suite.higherIsBetter ? current.score() - baseline.score() : baseline.score() - current.score();
        return gain < -bars ? Verdict.REGRESSION : gain > bars ? Verdict.IMPROVEMENT : Verdict.WITHIN_ERROR;
    }

    /**
     * Relative change of the score in percent, {@code 100 (current / baseline - 1)} (of the time for a time suite:
     * positive is slower); NaN when either side is missing.
     */
    double percent() {
        if (baseline == null || current == null || !(baseline.score() > 0)) {
            return Double.NaN;
        }
        return 100 * (current.score() / baseline.score() - 1);
    }
}
