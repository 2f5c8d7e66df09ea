package dev.simdgrad.kernels.internal.agg;

/**
 * Adds row segments into a block of column sums, {@code acc[j] += g[p + j]} (one row, or four rows in row order) or
 * {@code acc[j] += s * g[p + j]} for {@code j < w}: the inner loops of the explicit mean, which reads G four rows at a
 * time ({@code AggregateDriver.meanByRows}), and of the robust aggregators' weighted sums of rows; and the scaled copy
 * {@code out[j] = s * g[p + j]} that writes materialized per-example gradients; and the mean's final division.
 * Element by element, the scaled form a float multiply then a float add (no FMA), so every implementation gives the
 * same bits.
 */
public interface RowSum {
    /** {@code acc[0 .. w) += g[p .. p + w)}. */
    void add(float[] acc, float[] g, int p, int w);

    /**
     * Four rows {@code ld} apart added in row order: {@code acc[j] = (((acc[j] + g[p + j]) + g[p + ld + j]) +
     * g[p + 2 ld + j]) + g[p + 3 ld + j]}, the same four roundings as four calls of {@link #add}, so the same bits.
     * Four sequential streams at once, and the sums loaded and stored once per four rows.
     */
    void add4(float[] acc, float[] g, int p, int ld, int w);

    /** {@code acc[j] = acc[j] + fl(s * g[p + j])} for {@code j < w}. */
    void addScaled(float[] acc, int ao, float s, float[] g, int p, int w);

    /**
     * Four scaled rows added in order: {@code acc[ao + j] = (((acc[ao + j] + fl(s0 g[p0 + j])) + fl(s1 g[p1 + j])) +
     * fl(s2 g[p2 + j])) + fl(s3 g[p3 + j])}, the same roundings as four calls of {@link #addScaled}, so the same bits.
     * Four sequential streams at once, and the sums loaded and stored once per four rows (as {@link #add4}).
     */
    void addScaled4(float[] acc, int ao, float s0, float s1, float s2, float s3, float[] g, int p0, int p1, int p2,
                    int p3, int w);

    /**
     * Eight scaled rows added in order, rows {@code q .. q+7} of the lists: row r starts at {@code g[p[r] + c0]}
     * with weight {@code s[r]}, and {@code acc[ao + j] = (...((acc[ao + j] + fl(s[q] g[p[q] + c0 + j])) + ...) +
     * fl(s[q+7] g[p[q+7] + c0 + j])}: the same roundings as eight calls of {@link #addScaled}, so the same bits. The
     * sums loaded and stored once per eight rows: in a pass that streams the rows from memory, the stores of the sums
     * cost more than their count suggests (the weighted sum of 32 x 4,000,000 floats took 20-23 ms four rows per
     * pass, 18-20 eight rows per pass, against a read of the matrix in about 19).
     */
    void addScaled8(float[] acc, int ao, float[] s, int[] p, int q, int c0, float[] g, int w);

    /**
     * {@code out[oo + j] = fl(s * g[p + j])} for {@code j < w}: a scaled copy, one rounding per element (the
     * materialized per-example gradient {@code d x}, a row of an outer product).
     */
    void scale(float[] out, int oo, float s, float[] g, int p, int w);

    /**
     * {@code out[oo + j] = acc[j] / n} for {@code j < w}: the mean from the column sums. A float division is
     * correctly rounded, so every implementation gives the same bits.
     */
    void divide(float[] out, int oo, float[] acc, float n, int w);

    /** The scalar path. */
    RowSum SCALAR = new RowSum() {
        @Override
        public void add(float[] acc, float[] g, int p, int w) {
            for (int j = 0; j < w; j++) {
                acc[j] += g[p + j];
            }
        }

        @Override
        public void add4(float[] acc, float[] g, int p, int ld, int w) {
            for (int j = 0; j < w; j++) {
                acc[j] = (((acc[j] + g[p + j]) + g[p + ld + j]) + g[p + 2 * ld + j]) + g[p + 3 * ld + j];
            }
        }

        @Override
        public void addScaled(float[] acc, int ao, float s, float[] g, int p, int w) {
            for (int j = 0; j < w; j++) {
                acc[ao + j] += s * g[p + j];
            }
        }

        @Override
        public void addScaled4(float[] acc, int ao, float s0, float s1, float s2, float s3, float[] g, int p0,
                               int p1, int p2, int p3, int w) {
            for (int j = 0; j < w; j++) {
                acc[ao + j] = (((acc[ao + j] + s0 * g[p0 + j]) + s1 * g[p1 + j]) + s2 * g[p2 + j]) + s3 * g[p3 + j];
            }
        }

        @Override
        public void addScaled8(float[] acc, int ao, float[] s, int[] p, int q, int c0, float[] g, int w) {
            for (int r = q; r < q + 8; r++) {
                addScaled(acc, ao, s[r], g, p[r] + c0, w);
            }
        }

        @Override
        public void scale(float[] out, int oo, float s, float[] g, int p, int w) {
            for (int j = 0; j < w; j++) {
                out[oo + j] = s * g[p + j];
            }
        }

        @Override
        public void divide(float[] out, int oo, float[] acc, float n, int w) {
            for (int j = 0; j < w; j++) {
                out[oo + j] = acc[j] / n;
            }
        }
    };
}
