package dev.simdgrad.kernels.internal.agg;

/**
 * Coordinate-wise aggregation at one vector width. Column {@code j < cols} of the block has the values
 * {@code a[base + i * stride + j]}, {@code i < plan.rows}; its aggregate goes to {@code out[oo + j]}.
 *
 * <p>Every implementation gives bitwise the same result for a column whose values contain no NaN (and NaN for one
 * that does): order statistics are exact (the total order of {@link Float#compare}), sums run over the rows in
 * order, one IEEE operation at a time, and the finishing arithmetic is the same. So a vector kernel may hand
 * any columns (its tail) to the scalar twin, and results never depend on how columns are split among threads.
 *
 * <p>Unchecked: the public classes validate first.
 */
public interface AggregateKernel {
    /** Lanes per vector (1 for scalar). */
    int lanes();

    /** Largest {@code c + 1} with an insertion network (0 if none). */
    int insertionMax();

    /** Whether this kernel runs the network / insertion methods of a {@link Plan} (false: the plan is GENERAL). */
    boolean vector();

    /** Aggregates {@code cols} columns as the plan says. */
    void aggregate(Plan plan, float[] a, int base, int stride, int cols, float[] out, int oo, Scratch s);

    /**
     * As {@link #aggregate} for the fused values {@code dt[dOff + i] * xt[base + i*stride + j]}: one float multiply
     * each (the product an explicit matrix would hold), generated on the spot, never stored. Same results as
     * materializing them and calling {@link #aggregate}.
     */
    void aggregateFused(Plan plan, float[] dt, int dOff, float[] xt, int base, int stride, int cols, float[] out,
                        int oo, Scratch s);

    /**
     * {@code sum v[o + j]^2} for {@code j < n}, accumulated in double in a fixed order for this width (for the
     * per-example norms); {@code lanes} is scratch of at least {@link #lanes()} doubles.
     */
    double sumOfSquares(float[] v, int o, int n, double[] lanes);

    /** {@code out[oo + j] = median(a[off + j], b[off + j], c[off + j])}, exact; NaN if any of the three is NaN. */
    void medianOfThree(float[] a, float[] b, float[] c, int off, int length, float[] out, int oo);
}
