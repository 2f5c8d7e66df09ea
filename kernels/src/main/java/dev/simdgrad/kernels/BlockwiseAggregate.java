package dev.simdgrad.kernels;

import dev.simdgrad.kernels.internal.gram.BlockRules;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The whole-row robust aggregators of {@link Aggregate} (Krum, Multi-Krum, geometric median, centered clipping,
 * Bulyan) over n rows that are cut into column blocks held in different places, e.g. the W workers' updates of a
 * model too large for one machine, each executor holding the W pieces of one block. Every rule sees the rows only
 * through their squared distances and norms, and those are sums over the columns, so they are sums over the blocks:
 * <ol>
 *   <li>each block adds its part into a distance array ({@link #addDistances}; the blocks' arrays can be summed
 *   anywhere, element by element, in a fixed block order);</li>
 *   <li>the rule runs once on the summed array ({@link #krum}, ..., {@link #bulyan}), in {@code O(n^2)} per score pass
 *   or iteration, and returns an {@link Outcome}: the selected rows or the weights;</li>
 *   <li>each block writes its columns of the result from the outcome ({@link Outcome#apply}).</li>
 * </ol>
 * The data moved between the places is the n x n distances and the outcome, never a row.
 *
 * <p><b>Same method, same bits with one block.</b> Step 1 is the explicit rules' own distance pass, step 2 their rule
 * code, step 3 their output pass; so with a single block the result is bitwise {@link Aggregate}'s, and with several
 * blocks each distance is the sum of the blocks' parts in block order (within the explicit rules' relative bound
 * plus {@code gamma_d(blocks)}: see "Accuracy of the distances" in {@link Aggregate}). Krum, Multi-Krum and Bulyan
 * then select what {@link Aggregate} selects whenever the scores differ by more than that (their results are then
 * bitwise {@link Aggregate}'s, every coordinate of a block being computed from that coordinate's values alone); the
 * geometric median's and centered clipping's weights move by the distances' rounding. The result does not depend on
 * the number of threads, nor on where a block is computed.
 *
 * <p><b>Layout of the distance array.</b> For n vectors, {@link #distancesLength}{@code (n) = n * n + n} doubles:
 * {@code d[i * n + j]}, the squared distance of vectors i and j, then their squared norms at {@code n * n + i}. For
 * centered clipping the n = rows + 1 vectors are the rows and the center (last). Start from zeros.
 *
 * <p><b>NaN and infinities</b>: as in {@link Aggregate} (a non-finite row is infinitely far from every other; the
 * geometric median and centered clipping give NaN). An {@link Outcome} that is not {@link Outcome#finite()} writes
 * NaN to every column of every block.
 *
 * <p><b>Validation.</b> Shapes, offsets, the distance array's length and the rules' parameters are checked as in
 * {@link Aggregate}, before anything is written ({@link IllegalArgumentException} naming the argument,
 * {@link IndexOutOfBoundsException} for offsets and short arrays).
 */
public final class BlockwiseAggregate {
    private BlockwiseAggregate() {
    }

    /** The length of the distance array of {@code vectors} vectors: {@code vectors^2 + vectors}. */
    public static int distancesLength(int vectors) {
        Checks.size("vectors", vectors, 1, "vectors");
        return Math.toIntExact((long) vectors * vectors + vectors);
    }

    /**
     * Adds the squared distances and norms of this block's {@code rows} rows (cols columns of the vectors) into
     * {@code distances} (n = rows vectors). Cost: the explicit rules' distance pass over the block.
     */
    public static void addDistances(float[] g, int gOffset, int rows, int cols, int ldg, double[] distances) {
        checkBlock(g, gOffset, rows, cols, ldg);
        checkDistances(distances, rows);
        BlockRules.addDistances(g, gOffset, rows, cols, ldg, null, 0, distances);
    }

    /**
     * Adds the squared distances and norms of this block's rows and of the block's columns of the center (vector
     * {@code rows}) into {@code distances} (n = rows + 1 vectors): centered clipping's input.
     */
    public static void addDistances(float[] g, int gOffset, int rows, int cols, int ldg, float[] center,
                                    int centerOffset, double[] distances) {
        checkBlock(g, gOffset, rows, cols, ldg);
        Checks.vector("center", center, centerOffset, cols, "center");
        checkDistances(distances, rows + 1);
        BlockRules.addDistances(g, gOffset, rows, cols, ldg, center, centerOffset, distances);
    }

    /** Krum ({@link Aggregate#krum}) on the summed distances of {@code rows} rows; rows &gt;= 2f + 3. */
    public static Outcome krum(double[] distances, int rows, int f) {
        checkDistances(distances, rows);
        Aggregate.checkF(f, rows, 2, "Krum");
        int best = BlockRules.krum(distances, rows, f);
        return new Outcome(best < 0 ? Outcome.NAN : Outcome.COPY, rows, best, null, null, 0, 0);
    }

    /** Multi-Krum ({@link Aggregate#multiKrum}); rows &gt;= 2f + 3, 1 &lt;= m &lt;= rows. */
    public static Outcome multiKrum(double[] distances, int rows, int f, int m) {
        checkDistances(distances, rows);
        Aggregate.checkF(f, rows, 2, "Multi-Krum");
        if (m < 1 || m > rows) {
            throw new IllegalArgumentException("m=" + m + " must satisfy 1 <= m <= rows (rows=" + rows + ")");
        }
        int[] sel = BlockRules.multiKrum(distances, rows, f, m);
        if (sel == null) {
            return new Outcome(Outcome.NAN, rows, -1, null, null, 0, 0);
        }
        double[] w = new double[rows];
        for (int q : sel) {
            w[q] = 1.0 / m;
        }
        return new Outcome(Outcome.WEIGHTED, rows, -1, sel, w, 0, 0);
    }

    /**
     * The geometric median by smoothed Weiszfeld ({@link Aggregate#geometricMedian}: parameters, stopping rule and
     * early stop); {@link Outcome#iterations()} is the number of iterations run.
     */
    public static Outcome geometricMedian(double[] distances, int rows, double nu, int maxIterations,
                                          double tolerance) {
        checkDistances(distances, rows);
        Aggregate.checkWeiszfeld(nu, maxIterations, tolerance);
        double[] w = new double[rows];
        int it = BlockRules.geometricMedian(distances, rows, nu, maxIterations, tolerance, w);
        return it < 0 ? new Outcome(Outcome.NAN, rows, -1, null, null, 0, 0)
                : new Outcome(Outcome.WEIGHTED, rows, -1, null, w, 0, it);
    }

    /**
     * Centered clipping ({@link Aggregate#centeredClipping}) from the summed distances of the rows and the center
     * (n = rows + 1 vectors, from {@link #addDistances(float[], int, int, int, int, float[], int, double[])}); its
     * {@link Outcome#apply} needs the same center.
     */
    public static Outcome centeredClipping(double[] distances, int rows, float tau, int iterations) {
        checkDistances(distances, rows + 1);
        Aggregate.checkClipping(tau, iterations);
        double[] w = new double[rows + 1];
        if (!BlockRules.centeredClipping(distances, rows, tau, iterations, w)) {
            return new Outcome(Outcome.NAN, rows, -1, null, null, 0, 0);
        }
        return new Outcome(Outcome.CENTERED, rows, -1, null, Arrays.copyOf(w, rows), w[rows], 0);
    }

    /** Bulyan ({@link Aggregate#bulyan}); rows &gt;= 4f + 3. */
    public static Outcome bulyan(double[] distances, int rows, int f) {
        checkDistances(distances, rows);
        Aggregate.checkF(f, rows, 4, "Bulyan");
        int[] sel = BlockRules.bulyan(distances, rows, f);
        return sel == null ? new Outcome(Outcome.NAN, rows, -1, null, null, 0, 0)
                : new Outcome(Outcome.TRIMMED, rows, f, sel, null, 0, 0);
    }

    /**
     * What a rule decided, to be applied to every block: a row to copy (Krum), weights of the rows (Multi-Krum, the
     * geometric median) and of the center (centered clipping), rows whose coordinate-wise trimmed mean is taken
     * (Bulyan), or NaN. Immutable and {@link Serializable} (it is what a driver sends to the blocks). Cost of
     * {@link #apply} per block of c columns: a copy of c floats (Krum), one pass over the rows of nonzero weight
     * (summed in float in row order, one multiply and one add per term), or the trimmed mean of the selected rows.
     */
    public static final class Outcome implements Serializable {
        private static final long serialVersionUID = 1L;
        static final int NAN = 0, COPY = 1, WEIGHTED = 2, CENTERED = 3, TRIMMED = 4;

        private final int kind, rows, param, iterations;
        private final int[] selected;
        private final double[] weights;
        private final double centerWeight;

        Outcome(int kind, int rows, int param, int[] selected, double[] weights, double centerWeight,
                int iterations) {
            this.kind = kind;
            this.rows = rows;
            this.param = param;
            this.selected = selected;
            this.weights = weights;
            this.centerWeight = centerWeight;
            this.iterations = iterations;
        }

        /** The number of rows the rule was run on (every block must have these rows). */
        public int rows() {
            return rows;
        }

        /** False when the rule found no finite result: {@link #apply} then writes NaN. */
        public boolean finite() {
            return kind != NAN;
        }

        /** Whether {@link #apply} needs the center (centered clipping). */
        public boolean needsCenter() {
            return kind == CENTERED;
        }

        /** Krum's selected row, or -1 (another rule, or no finite score). */
        public int selectedRow() {
            return kind == COPY ? param : -1;
        }

        /**
         * The rows the rule selected, in increasing order (a copy): Krum's one row, Multi-Krum's m rows, Bulyan's
         * rows - 2f rows; null for the weighting rules and for NaN. Useful to see which workers a rule left out.
         */
        public int[] selectedRows() {
            return switch (kind) {
                case COPY -> new int[]{param};
                case WEIGHTED -> selected == null ? null : selected.clone();
                case TRIMMED -> selected.clone();
                default -> null;
            };
        }

        /** The geometric median's iterations run (0 for the other rules). */
        public int iterations() {
            return iterations;
        }

        /** The weight of each row (a copy; zeros for Krum's unselected rows, null for Bulyan and for NaN). */
        public double[] weights() {
            return switch (kind) {
                case COPY -> {
                    double[] w = new double[rows];
                    w[param] = 1;
                    yield w;
                }
                case WEIGHTED, CENTERED -> weights.clone();
                default -> null;
            };
        }

        /** The center's weight (centered clipping; 0 otherwise). */
        public double centerWeight() {
            return centerWeight;
        }

        /**
         * Writes this block's columns of the result: {@code out[outOffset + j]} for {@code j < cols}, from the
         * block's {@link #rows()} rows (row-major, {@code g[gOffset + i * ldg + j]}) and, for centered clipping, the
         * block's columns of the center (ignored, and may be null, for the other rules).
         *
         * @throws IllegalArgumentException for a bad shape, a missing center, or out overlapping g or the center
         */
        public void apply(float[] g, int gOffset, int cols, int ldg, float[] center, int centerOffset,
                          float[] out, int outOffset) {
            checkBlock(g, gOffset, rows, cols, ldg);
            Checks.vector("out", out, outOffset, cols, "out");
            Checks.disjoint("out", out, outOffset, cols, "g", g, gOffset, ldg, rows, cols);
            if (kind == CENTERED) {
                Checks.vector("center", center, centerOffset, cols, "center");
                if (out == center && outOffset != centerOffset) {
                    Checks.disjointVector("out", out, outOffset, cols, "center", center, centerOffset, cols);
                }
            }
            switch (kind) {
                case COPY -> BlockRules.copyRow(g, gOffset, cols, ldg, param, out, outOffset);
                case WEIGHTED -> BlockRules.weightedRows(g, gOffset, rows, cols, ldg, weights, null, 0, 0, out,
                        outOffset);
                case CENTERED -> BlockRules.weightedRows(g, gOffset, rows, cols, ldg, weights, center, centerOffset,
                        centerWeight, out, outOffset);
                case TRIMMED -> BlockRules.trimmedSelected(g, gOffset, cols, ldg, selected, param, out, outOffset);
                default -> Arrays.fill(out, outOffset, outOffset + cols, Float.NaN);
            }
        }

        @Override
        public String toString() {
            return switch (kind) {
                case COPY -> "row " + param + " of " + rows;
                case WEIGHTED -> "weights " + Arrays.toString(weights) + (iterations > 0 ? " after " + iterations
                        + " iterations" : "");
                case CENTERED -> "weights " + Arrays.toString(weights) + ", center " + centerWeight;
                case TRIMMED -> "trimmed mean (c=" + param + ") of rows " + Arrays.toString(selected);
                default -> "NaN";
            };
        }
    }

    private static void checkBlock(float[] g, int gOffset, int rows, int cols, int ldg) {
        Checks.size("rows", rows, 1, "vectors");
        Checks.size("cols", cols, 0, "coordinates of the block");
        Checks.ld("ldg", ldg, cols, "G", rows);
        Checks.matrix("g", g, gOffset, ldg, "G", rows, cols);
    }

    private static void checkDistances(double[] distances, int vectors) {
        Checks.size("rows", vectors, 1, "vectors");
        long need = (long) vectors * vectors + vectors;
        if (distances == null) {
            throw new IllegalArgumentException("distances is null but " + vectors + " vectors need " + need
                    + " doubles");
        }
        if (distances.length < need) {
            throw new IndexOutOfBoundsException("distances.length=" + distances.length + " is too short: "
                    + vectors + " vectors need " + vectors + "^2 + " + vectors + " = " + need + " doubles");
        }
    }
}
