package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.GemmShape;
import java.util.List;

/**
 * One measured cell of the SGEMM table: an implementation on a shape with a thread budget.
 *
 * @param shape          the problem
 * @param threads        the thread budget of the run
 * @param implementation the benchmark method: "simdgrad", "openblas", "netlib", "reference", "ejml" or
 *                       "ojalgo"
 * @param gflops         mean throughput in GFLOP/s
 * @param gflopsError    half-width of JMH's 99.9% confidence interval in GFLOP/s, NaN when JMH had too few
 *                       iterations to give one
 */
record GemmResult(GemmShape shape, int threads, String implementation, double gflops, double gflopsError) {

    /**
     * Converts a JMH throughput score (calls per second, and its error) to GFLOP/s: one call is
     * {@link GemmShape#flops()} flops, so both scale by the same factor.
     */
    static GemmResult fromThroughput(GemmShape shape, int threads, String implementation, double callsPerSecond,
                                     double callsPerSecondError) {
        double scale = shape.flops() / 1e9;
        return new GemmResult(shape, threads, implementation, callsPerSecond * scale, callsPerSecondError * scale);
    }

    /** The SGEMM cell of a measured {@code bench gemm} result (parameters shape and threads). */
    static GemmResult of(BenchResult r) {
        return fromThroughput(GemmShape.parse(r.param("shape")), Integer.parseInt(r.param("threads")), r.method(),
                r.score(), r.error());
    }

    /** {@link #of(BenchResult)} of each. */
    static List<GemmResult> of(List<BenchResult> results) {
        return results.stream().map(GemmResult::of).toList();
    }
}
