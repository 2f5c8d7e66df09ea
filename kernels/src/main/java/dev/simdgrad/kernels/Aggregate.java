package dev.simdgrad.kernels;

import dev.simdgrad.kernels.internal.agg.AggregateDriver;
import dev.simdgrad.kernels.internal.agg.Plan;

/**
 * Coordinate-wise aggregation of an explicit matrix G of per-example values: B = {@code rows} examples (rows) by
 * P = {@code cols} coordinates (columns), row-major; element (i, j) is {@code g[gOffset + i * ldg + j]}. Each
 * method writes one value per coordinate to {@code out[outOffset + j]}, j < cols.
 *
 * <p><b>Definitions.</b> For one coordinate with values {@code v_1..v_B} sorted ascending {@code v_(1) <= .. <=
 * v_(B)}:
 * <ul>
 *   <li>mean: {@code (v_1 + .. + v_B) / B};</li>
 *   <li>median: {@code v_((B+1)/2)} for odd B, the mean of the two middle values for even B;</li>
 *   <li>trimmed mean (c): the mean of {@code v_(c+1) .. v_(B-c)} (the c smallest and c largest dropped);</li>
 *   <li>winsorized mean (c): the mean after the c smallest are raised to {@code v_(c+1)} and the c largest lowered
 *   to {@code v_(B-c)}; c = 0 is the mean (the prescription of Coherent Gradients, Chatterjee 2020, which sums
 *   instead: multiply by B);</li>
 *   <li>median of means (groups): rows split into {@code groups} consecutive groups, group g being rows
 *   {@code floor(g B / groups) .. floor((g+1) B / groups) - 1}; the median (as above) of the group means;</li>
 *   <li>median of three: the element-wise median of three arrays (RM3: the current and two previous gradients).</li>
 * </ul>
 *
 * <p><b>NaN and infinities.</b> A NaN among a coordinate's values makes that coordinate's result NaN for every
 * aggregator: nothing is dropped silently. {@code +-Inf} are ordinary values in the order (a winsorized mean clips an
 * Inf away when it is among the c largest) and propagate through sums by IEEE rules ({@code Inf + -Inf = NaN}).
 * The order is that of {@link Float#compare}: {@code -0.0} sorts below {@code 0.0}.
 *
 * <p><b>Exactness.</b> Order statistics are exact, never approximated: a median of an odd count, and the thresholds
 * of the trimmed and winsorized means, are values of G. The mean of the two middle values is
 * {@code (a + b) * 0.5} (one rounding; {@code a * 0.5 + b * 0.5} if {@code a + b} overflows). Sums are accumulated in
 * float in row order, so with {@code gamma(n) = n u / (1 - n u)}, {@code u = 2^-24}:
 * mean: {@code |err| <= gamma(B) sum|v_i| / B}; winsorized: {@code gamma(B) sum|w_i| / B} over the clipped values
 * {@code w_i}; trimmed, computed as {@code (W - c v_(c+1) - c v_(B-c)) / (B - 2c)} from the winsorized sum W:
 * {@code |err| <= gamma(B + 3) (sum|w_i| + c|v_(c+1)| + c|v_(B-c)|) / (B - 2c)} (plus, near {@link Float#MAX_VALUE},
 * overflow of the intermediate sums); median of means: the largest group-mean error (the median is 1-Lipschitz)
 * plus one rounding for an even number of groups.
 *
 * <p><b>Algorithms and cost</b> (per coordinate; SIMD across coordinates, one lane per coordinate, order statistics
 * on order-preserving int keys ({@code bits ^ ((bits >> 31) & 0x7fffffff)}, the order of {@link Float#compare})
 * with branch-free vector min/max, one instruction each):
 * <ul>
 *   <li>mean: B additions, memory-bound (four lane groups per pass over the rows);</li>
 *   <li>trimmed / winsorized, c + 1 = k <= 16: the k smallest and k largest values of every lane are kept in
 *   registers: by insertion for k <= 2 ({@code 4k - 2} min/max per value); for k = 3, 5, 6, 9, 10 as sorted lists
 *   merged with each sorted chunk of 8 values by a Batcher merge pruned to the k outputs (8.5 min/max per value at
 *   c = 4, 13.25 at c = 8); otherwise as sorted lists of 4, 8 or 16 updated by a half-cleaner and a bitonic merger.
 *   A second pass sums the values clamped to the two thresholds (4 operations per value), two lane groups at a time
 *   so the in-order sums are two independent chains;</li>
 *   <li>median: the values of a lane group (padded symmetrically to a power of two n >= 16 with the smallest and
 *   largest keys) are sorted in 16-blocks in registers (Batcher, 63 comparators), the two halves are completed by
 *   bitonic merges (levels of distance >= 16 in memory, the last four levels in registers), and the two middle
 *   ranks are the maximum of {@code min(a[i], a[n-1-i])} and the minimum of {@code max(a[i], a[n-1-i])}
 *   (a half-cleaner): {@code O(n log2(n)^2)} comparators, for B = 128 some 1,270 of which about 200 touch memory;</li>
 *   <li>median of means (over the group means) and trimmed / winsorized with c + 1 > 16: a Batcher odd-even merge
 *   network pruned to the needed ranks, run over a buffer of key vectors (B = 128, ranks 16 and 111: 1,212
 *   comparators), up to B = 1024; the choice between registers and network is by estimated operation count
 *   ({@code Plan});</li>
 *   <li>B (or groups) above 1024: each coordinate's values are copied and sorted, {@code O(B log B)}.</li>
 * </ul>
 * The order statistics first copy blocks of G (B x 128 columns at B = 128, 64 KiB) row by row into a per-thread
 * buffer, so G is read sequentially. On the scalar path (no Vector API) order statistics sort a copy of each
 * coordinate's values. Multi-threaded over coordinates up to {@link Parallelism#threads()}; the result is bitwise
 * identical for every thread count and every vector width (for inputs without NaN; with NaN, NaN). Scratch is per
 * thread and reused.
 *
 * <p><b>Validation.</b> Every argument is checked before anything is written: {@code rows >= 1},
 * {@code cols >= 0}, {@code ldg >= max(1, cols)}, {@code 0 <= c} and {@code 2c < rows},
 * {@code 1 <= groups <= rows} (else {@link IllegalArgumentException} naming the argument and rows); a null array
 * or an output overlapping the input is an {@link IllegalArgumentException}, a negative offset or an array too
 * short an {@link IndexOutOfBoundsException}. On any exception the output is unchanged.
 */
public final class Aggregate {
    private Aggregate() {
    }

    /** Coordinate-wise mean. See the class documentation for arguments, bounds and exceptions. */
    public static void mean(float[] g, int gOffset, int rows, int cols, int ldg, float[] out, int outOffset) {
        run(Plan.MEAN, 0, g, gOffset, rows, cols, ldg, out, outOffset);
    }

    /** Coordinate-wise median (even rows: the mean of the two middle values), exact. */
    public static void median(float[] g, int gOffset, int rows, int cols, int ldg, float[] out, int outOffset) {
        run(Plan.MEDIAN, 0, g, gOffset, rows, cols, ldg, out, outOffset);
    }

    /**
     * Coordinate-wise trimmed mean: drop the c smallest and the c largest values, mean of the rest.
     *
     * @param c values dropped at each end, {@code 0 <= c} and {@code 2c < rows}
     */
    public static void trimmedMean(float[] g, int gOffset, int rows, int cols, int ldg, int c,
                                   float[] out, int outOffset) {
        checkC(c, rows);
        run(Plan.TRIMMED, c, g, gOffset, rows, cols, ldg, out, outOffset);
    }

    /**
     * Coordinate-wise winsorized mean: clip the c smallest values up to the (c+1)-th smallest and the c largest down
     * to the (c+1)-th largest, then take the mean.
     *
     * @param c values clipped at each end, {@code 0 <= c} and {@code 2c < rows}
     */
    public static void winsorizedMean(float[] g, int gOffset, int rows, int cols, int ldg, int c,
                                      float[] out, int outOffset) {
        checkC(c, rows);
        run(Plan.WINSORIZED, c, g, gOffset, rows, cols, ldg, out, outOffset);
    }

    /**
     * Coordinate-wise median of means: rows split into {@code groups} consecutive groups (group g is rows
     * {@code floor(g rows / groups)} up to {@code floor((g+1) rows / groups)}, exclusive), median of the group means.
     *
     * @param groups number of groups, {@code 1 <= groups <= rows}
     */
    public static void medianOfMeans(float[] g, int gOffset, int rows, int cols, int ldg, int groups,
                                     float[] out, int outOffset) {
        checkGroups(groups, rows);
        run(Plan.MEDIAN_OF_MEANS, groups, g, gOffset, rows, cols, ldg, out, outOffset);
    }

    /**
     * Element-wise median of three arrays, {@code out[outOffset + j] = median(a[offset + j], b[offset + j],
     * c[offset + j])}, exact; NaN if any of the three is NaN. {@code out} may be one of the inputs at the same
     * offset (each element is read before it is written) but may not overlap them otherwise.
     *
     * @throws IllegalArgumentException  if an array is null, {@code length < 0}, or out overlaps an input at
     *                                   another position
     * @throws IndexOutOfBoundsException if an offset is negative or an array too short
     */
    public static void medianOfThree(float[] a, float[] b, float[] c, int offset, int length,
                                     float[] out, int outOffset) {
        Checks.size("length", length, 0, "elements per array");
        Checks.vector("a", a, offset, length, "a");
        Checks.vector("b", b, offset, length, "b");
        Checks.vector("c", c, offset, length, "c");
        Checks.vector("out", out, outOffset, length, "out");
        if (outOffset != offset) {
            Checks.disjointVector("out", out, outOffset, length, "a", a, offset, length);
            Checks.disjointVector("out", out, outOffset, length, "b", b, offset, length);
            Checks.disjointVector("out", out, outOffset, length, "c", c, offset, length);
        }
        if (length > 0) {
            AggregateDriver.medianOfThree(a, b, c, offset, length, out, outOffset);
        }
    }

    static void checkC(int c, int rows) {
        if (c < 0 || 2L * c >= rows) {
            throw new IllegalArgumentException("c=" + c + " must satisfy 0 <= c and 2c < rows (rows=" + rows + ")");
        }
    }

    static void checkGroups(int groups, int rows) {
        if (groups < 1 || groups > rows) {
            throw new IllegalArgumentException("groups=" + groups + " must satisfy 1 <= groups <= rows (rows="
                    + rows + ")");
        }
    }

    private static void run(int op, int param, float[] g, int gOffset, int rows, int cols, int ldg,
                            float[] out, int outOffset) {
        Checks.size("rows", rows, 1, "examples");
        Checks.size("cols", cols, 0, "coordinates");
        if (op == Plan.TRIMMED || op == Plan.WINSORIZED) {
            checkC(param, rows);
        } else if (op == Plan.MEDIAN_OF_MEANS) {
            checkGroups(param, rows);
        }
        Checks.ld("ldg", ldg, cols, "G", rows);
        Checks.matrix("g", g, gOffset, ldg, "G", rows, cols);
        Checks.vector("out", out, outOffset, cols, "out");
        Checks.disjoint("out", out, outOffset, cols, "g", g, gOffset, ldg, rows, cols);
        if (cols == 0) {
            return;
        }
        AggregateDriver.explicit(AggregateDriver.plan(op, rows, param), g, gOffset, ldg, cols, out, outOffset);
    }
}
