package dev.simdgrad.kernels.internal.agg;

/**
 * Adds one row segment into a block of column sums, {@code acc[j] += g[p + j]} for {@code j < w}: the inner loop of
 * the explicit mean, which reads G row after row ({@code AggregateDriver.meanByRows}). Element by element, so every
 * implementation gives the same bits.
 */
public interface RowSum {
    /** {@code acc[0 .. w) += g[p .. p + w)}. */
    void add(float[] acc, float[] g, int p, int w);

    /** The scalar path. */
    RowSum SCALAR = (acc, g, p, w) -> {
        for (int j = 0; j < w; j++) {
            acc[j] += g[p + j];
        }
    };
}
