package dev.simdgrad.kernels;

import dev.simdgrad.kernels.internal.agg.AggregateDriver;
import dev.simdgrad.kernels.internal.agg.Plan;
import dev.simdgrad.kernels.internal.gram.RobustDriver;

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
 *   <li>mean: B additions, memory-bound: the rows are added one after the other into a block of 4,096 column sums
 *   that stays in L1, so G is read sequentially;</li>
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
 *
 * <p><b>Robust aggregators over whole rows</b> ({@link #krum}, {@link #multiKrum}, {@link #geometricMedian},
 * {@link #centeredClipping}, {@link #bulyan}): here the rows are n = {@code rows} vectors of dimension
 * {@code cols} (e.g. the updates of n workers) and the rules look at whole rows, through their squared distances
 * {@code d_ij = ||g_i - g_j||^2} (and their squared norms, for the geometric median's stopping test).
 * <ul>
 *   <li><b>Cost:</b> the distances in one pass over the matrix ({@code n(n-1)/2} sums of {@code cols} squared
 *   differences, one float subtraction and one float FMA per term: on Zen 4 the subtractions issue beside the
 *   FMAs), the rule on them in {@code O(n^2)} per score pass or iteration (independent of cols), and one more pass
 *   to write the result: about two reads of the matrix, plus the distance arithmetic, {@code n(n+1)/2} FMAs per
 *   column, of which on one core only the part among each four rows read together overlaps the read: arithmetic on
 *   the rows being read hides under it, arithmetic on rows loaded from cache does not (measured by the benchmarks'
 *   {@code StreamOverlapBenchmark}). On a Zen 4 core, 32 x 4,000,000: the read 17-24 ms, the FMAs alone at least
 *   36 ms, those outside the read at least 30.5, the distance pass 57-65 ms, of which about 49 ms remains with the
 *   matrix in L2; so the explicit rules reach about 60-70 % (Krum) and 50 % (geometric median) of
 *   two reads at one thread, and 100 % and 70 % at two. Some row strides {@code ldg} were markedly slower
 *   there, apparently from a set conflict among the rows (at 4,194,304 the tiles' extra cost grows with the number
 *   of rows, 6 % at 8 rows to 23 % at 28), and which strides suffer presumably depends on the physical placement of
 *   the memory: over the same 32 x 4,000,000 matrix the distance pass took 1.25-1.55x as long at {@code ldg =}
 *   4,194,304, 4,063,232 and 4,067,328 as at 4,000,000, 4,004,096, 4,128,768 or 4,198,400 (not a
 *   power-of-two rule; the earlier table: 4,194,304 columns 1.3x, 2,097,152 1.13x, 1,048,576 1.03x against
 *   {@code ldg = cols + 4096}). If a stride is slow, another padding of the rows is the remedy. Weighted combinations
 *   are placed by the distances alone:
 *   {@code ||sum_j w_j g_j - g_i||^2 = (D w)_i - w'D w / 2} for weights summing to 1.</li>
 *   <li><b>Accuracy of the distances:</b> each {@code d_ij} is summed directly, {@code sum_k fl(g_ik - g_jk)^2},
 *   never as {@code G_ii + G_jj - 2 G_ij} from a Gram matrix, so there is no cancellation: in float lanes of at most
 *   128 terms, each lane added exactly into double, {@code |d - exact| <= (gamma(130) + gamma_d(cols + 16)) exact
 *   + cols 2^-149} ({@code gamma(k) = k 2^-24 / (1 - k 2^-24)}, about {@code 7.7e-6} relative; the last term only
 *   matters for subnormal differences), the same relative accuracy however close or far the rows are. (On the
 *   scalar path, width 0, the terms are in double: within {@code gamma_d(cols + 2)} relative.) A float Gram matrix
 *   would lose every distance below {@code sqrt(cols 2^-24) ||g||}; a double one costs four times the float rate
 *   (the previous version: 32 x 4,000,000 in 440 ms, 2.3 GB/s). When a direct result is not finite (a row holding a
 *   NaN or an infinity, or a float overflow: differences beyond about 1.8e19), the distances come from the Gram
 *   matrix accumulated in double instead ({@link PerExample#gram} documents that kernel), within
 *   {@code gamma_d(cols + 2) (||g_i|| + ||g_j||)^2} (negative results are clamped to 0). A Krum score (a sum of k
 *   squared distances) is within the sum over its k terms of either bound, plus {@code gamma_d(k)} relative.</li>
 *   <li><b>Ties:</b> every selection takes the smaller score and, on equal scores, the lower index.</li>
 *   <li><b>NaN and infinities:</b> a row holding a NaN or an infinity is "non-finite". Krum, Multi-Krum and Bulyan
 *   treat it as infinitely far from every row: it gets score +Inf and it is never selected as long as at most
 *   {@code f + 1} rows are non-finite (every finite row then has enough finite neighbours); if a selected row has a
 *   score that is not finite, every coordinate of out is NaN. The geometric median and centered clipping have no
 *   way to place such a row: one non-finite row (or center) makes every coordinate of out NaN. Finite rows never
 *   overflow (a direct sum that overflows float is redone from the double Gram matrix).</li>
 *   <li><b>Threads:</b> the distance pass and the output pass run on up to {@link Parallelism#threads()} workers
 *   (the distances by column segments cut from the shape alone, each with its own accumulator, added in segment
 *   order; the output by column blocks), the rules on the calling thread; the result is the same bits for every
 *   thread count (the distance sums' order, hence possibly a near-tie selection or the last bits of a weighted
 *   result, may differ between vector widths).</li>
 *   <li><b>Weighted results</b> (Multi-Krum, the geometric median, centered clipping) are written as
 *   {@code out_j = fl(w_c) c_j + sum_i fl(w_i) g_ij} in float, the center (centered clipping) first, then the rows
 *   in increasing order, one multiply and one add per term (rows whose float weight is 0 are not read), so
 *   {@code |out_j - sum_i w_i g_ij| <= gamma(n + 2) (|w_c c_j| + sum_i |w_i g_ij|)} for the weights w computed in
 *   double on the distances.</li>
 * </ul>
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

    /**
     * Krum (Blanchard et al., NeurIPS 2017): the score of row i is the sum of its squared distances to its
     * {@code rows - f - 2} nearest other rows; out is a copy of the row with the smallest score (the lowest index
     * on ties). See the class documentation for cost, accuracy and NaN policy.
     *
     * @param f the number of Byzantine rows tolerated, {@code f >= 0} and {@code rows >= 2f + 3}
     * @return the index of the selected row, or -1 if no row has a finite score (then out is NaN)
     */
    public static int krum(float[] g, int gOffset, int rows, int cols, int ldg, int f, float[] out, int outOffset) {
        checkRows(g, gOffset, rows, cols, ldg, out, outOffset);
        checkF(f, rows, 2, "Krum");
        return RobustDriver.krum(g, gOffset, rows, cols, ldg, f, out, outOffset);
    }

    /**
     * Multi-Krum: the mean of the m rows with the smallest Krum scores (ties to the lower index), each row weighted
     * by fl(1/m). m = 1 is Krum (bitwise: the weight is 1); m = rows is the mean of all rows.
     *
     * @param f Krum's f, {@code f >= 0} and {@code rows >= 2f + 3}
     * @param m the number of rows averaged, {@code 1 <= m <= rows}
     */
    public static void multiKrum(float[] g, int gOffset, int rows, int cols, int ldg, int f, int m,
                                 float[] out, int outOffset) {
        checkRows(g, gOffset, rows, cols, ldg, out, outOffset);
        checkF(f, rows, 2, "Multi-Krum");
        if (m < 1 || m > rows) {
            throw new IllegalArgumentException("m=" + m + " must satisfy 1 <= m <= rows (rows=" + rows + ")");
        }
        RobustDriver.multiKrum(g, gOffset, rows, cols, ldg, f, m, out, outOffset);
    }

    /**
     * Geometric median by smoothed Weiszfeld (Weiszfeld 1937; the smoothing of Pillutla et al., RFA, 2022):
     * {@code z <- sum_i beta_i g_i / sum_i beta_i}, {@code beta_i = 1 / max(nu, ||z - g_i||)}, starting from the
     * mean, until the relative change {@code ||z_new - z|| <= tolerance ||z_new||} or maxIterations iterations. The
     * iterates live in the span of the rows, {@code z = sum_i w_i g_i}, so every distance comes from the rows'
     * squared distances in {@code O(rows^2)} and only the final z is written. Each step is the majorize-minimize step of the smoothed
     * objective {@code sum_i phi(||z - g_i||)}, {@code phi(d) = d} for {@code d >= nu} and
     * {@code d^2 / (2 nu) + nu / 2} below (within {@code nu / 2} of the objective {@code sum_i ||z - g_i||} per
     * row), so that objective does not increase from one iterate to the next (in exact arithmetic): a run stopped
     * early returns the last iterate, no worse than the mean it started from.
     *
     * @param nu            the smoothing, finite and {@code > 0}: distances below nu weigh as nu (no division by 0)
     * @param maxIterations {@code >= 0}; 0 returns the mean (weights fl(1/rows))
     * @param tolerance     finite and {@code >= 0}; 0 runs every iteration unless z stops changing (no
     *                      coefficient changes). The change is estimated from the squared distances,
     *                      {@code ||z_new - z||^2 = -delta' D delta / 2}, which cancels for a step far below the
     *                      distances' own accuracy, so a positive tolerance below that accuracy can stop a run that
     *                      is still creeping (for example one that starts on a row)
     * @return the number of iterations run: below maxIterations means the tolerance was met; 0 with a NaN out
     *         means a row was not finite
     */
    public static int geometricMedian(float[] g, int gOffset, int rows, int cols, int ldg, double nu,
                                      int maxIterations, double tolerance, float[] out, int outOffset) {
        checkRows(g, gOffset, rows, cols, ldg, out, outOffset);
        checkWeiszfeld(nu, maxIterations, tolerance);
        return RobustDriver.geometricMedian(g, gOffset, rows, cols, ldg, nu, maxIterations, tolerance, out,
                outOffset);
    }

    /**
     * Centered clipping (Karimireddy, He and Jaggi, ICML 2021): {@code v <- v + (1/rows) sum_i clip_tau(g_i - v)},
     * {@code clip_tau(u) = u min(1, tau / ||u||)}, {@code iterations} times from {@code v = center}. The iterates
     * are {@code v = w_c center + sum_i w_i g_i}: their distances come from the squared distances of the rows and the
     * center, and only the final v is written. {@code out} may be the center's array at the same offset (the
     * center is then replaced by the result), otherwise it may not overlap it.
     *
     * @param center       the starting point, cols values from {@code centerOffset} (e.g. the previous aggregate)
     * @param tau          the clipping radius, finite and {@code > 0}
     * @param iterations   {@code >= 0}; 0 returns the center
     */
    public static void centeredClipping(float[] g, int gOffset, int rows, int cols, int ldg, float[] center,
                                        int centerOffset, float tau, int iterations, float[] out, int outOffset) {
        checkRows(g, gOffset, rows, cols, ldg, out, outOffset);
        Checks.vector("center", center, centerOffset, cols, "center");
        checkClipping(tau, iterations);
        if (out == center && outOffset != centerOffset) {
            Checks.disjointVector("out", out, outOffset, cols, "center", center, centerOffset, cols);
        }
        RobustDriver.centeredClipping(g, gOffset, rows, cols, ldg, center, centerOffset, tau, iterations, out,
                outOffset);
    }

    /**
     * Bulyan (El Mhamdi, Guerraoui and Rouault, ICML 2018): theta = rows - 2f rows selected by iterated Krum (each
     * round takes the row of smallest Krum score among those left, scored over those left with
     * {@code max(0, left - f - 2)} neighbours, and removes it), then per coordinate the mean of the
     * beta = theta - 2f selected values closest to the median in rank, i.e. the {@link #trimmedMean} with c = f of
     * the theta selected rows (taken in increasing index order), with its exactness and bounds.
     *
     * @param f the number of Byzantine rows tolerated, {@code f >= 0} and {@code rows >= 4f + 3}
     */
    public static void bulyan(float[] g, int gOffset, int rows, int cols, int ldg, int f, float[] out,
                              int outOffset) {
        checkRows(g, gOffset, rows, cols, ldg, out, outOffset);
        checkF(f, rows, 4, "Bulyan");
        RobustDriver.bulyan(g, gOffset, rows, cols, ldg, f, out, outOffset);
    }

    /** Smoothed Weiszfeld's parameters: nu finite and > 0, maxIterations >= 0, tolerance finite and >= 0. */
    static void checkWeiszfeld(double nu, int maxIterations, double tolerance) {
        if (!(nu > 0) || Double.isInfinite(nu)) {
            throw new IllegalArgumentException("nu=" + nu + " must be finite and > 0");
        }
        Checks.size("maxIterations", maxIterations, 0, "Weiszfeld iterations");
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance=" + tolerance + " must be finite and >= 0");
        }
    }

    /** Centered clipping's parameters: tau finite and > 0, iterations >= 0. */
    static void checkClipping(float tau, int iterations) {
        if (!(tau > 0) || Float.isInfinite(tau)) {
            throw new IllegalArgumentException("tau=" + tau + " must be finite and > 0");
        }
        Checks.size("iterations", iterations, 0, "clipping iterations");
    }

    /** f >= 0 and rows >= factor f + 3 (Krum: 2f + 3, Bulyan: 4f + 3). */
    static void checkF(int f, int rows, int factor, String rule) {
        if (f < 0 || rows < factor * (long) f + 3) {
            throw new IllegalArgumentException("f=" + f + " must satisfy f >= 0 and rows >= " + factor + "f + 3 for "
                    + rule + " (rows=" + rows + ")");
        }
    }

    private static void checkRows(float[] g, int gOffset, int rows, int cols, int ldg, float[] out, int outOffset) {
        Checks.size("rows", rows, 1, "vectors");
        Checks.size("cols", cols, 0, "coordinates");
        Checks.ld("ldg", ldg, cols, "G", rows);
        Checks.matrix("g", g, gOffset, ldg, "G", rows, cols);
        Checks.vector("out", out, outOffset, cols, "out");
        Checks.disjoint("out", out, outOffset, cols, "g", g, gOffset, ldg, rows, cols);
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
