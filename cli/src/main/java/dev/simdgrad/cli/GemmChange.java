package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.GemmShape;

/**
 * One benchmark cell compared between a baseline run and this run.
 *
 * @param implementation "simdgrad", "ejml", ...
 * @param shape          the problem
 * @param threads        the thread budget
 * @param baseline       the baseline's result, null if the baseline did not measure this cell
 * @param current        this run's result, null if this run did not measure it
 */
record GemmChange(String implementation, GemmShape shape, int threads, GemmResult baseline, GemmResult current) {

    /** How a cell moved. */
    enum Verdict {
        /** Slower by more than the two error bars together: the intervals do not overlap. */
        REGRESSION("REGRESSION"),
        /** Faster by more than the two error bars together. */
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
     * half-widths of JMH's 99.9% confidence intervals, i.e. when the two intervals do not overlap.
     */
    Verdict verdict() {
        if (baseline == null) {
            return Verdict.NEW;
        }
        if (current == null) {
            return Verdict.MISSING;
        }
        double bars = baseline.gflopsError() + current.gflopsError();
        if (!Double.isFinite(bars)) {
            return Verdict.NO_ERROR_BAR;
        }
        double diff = current.gflops() - baseline.gflops();
        return diff < -bars ? Verdict.REGRESSION : diff > bars ? Verdict.IMPROVEMENT : Verdict.WITHIN_ERROR;
    }

    /** Relative change in percent, {@code 100 (current / baseline - 1)}; NaN when either side is missing. */
    double percent() {
        if (baseline == null || current == null || !(baseline.gflops() > 0)) {
            return Double.NaN;
        }
        return 100 * (current.gflops() / baseline.gflops() - 1);
    }
}
