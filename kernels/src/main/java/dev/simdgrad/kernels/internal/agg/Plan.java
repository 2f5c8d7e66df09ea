package dev.simdgrad.kernels.internal.agg;

/**
 * One aggregation of a given shape, decided once per call: which operator, its parameter, and which algorithm a
 * kernel of a given width runs for it (with the network, when one is used).
 *
 * <p>Choice of algorithm for the order statistics, per {@code rows = B} and {@code c}:
 * <ul>
 *   <li>{@link #INSERTION}: trimmed / winsorized mean with {@code k = c + 1 <= kmax}: each lane keeps its k smallest
 *   and k largest values in registers: for k <= 2 by insertion ({@code 2k - 1} min/max per value and side); for
 *   k = 3, 5, 6, 9, 10 in sorted lists of k merged with each sorted chunk of 8 values by a Batcher merge pruned to
 *   the k outputs; otherwise in sorted lists of K = 4, 8 or 16 updated by a half-cleaner and a bitonic merger: from
 *   6.5 (k = 3) to 13.25 (k = 9) and 23 (k = 11..16) min/max per value ({@link #registerCost}).
 *   Chosen when that is below the pruned network's cost (counted as 4 operations per comparator: two loads, two
 *   stores).</li>
 *   <li>{@link #NETWORK}: the values of a lane group are copied (as order-preserving int keys) into a buffer and a
 *   network runs over it. For the median of means (over the group means) and for large c, a pruned Batcher network
 *   ({@link Networks}), about {@code B log2(B)^2 / 4} comparators of 2 loads, a min, a max and 2 stores each; for
 *   the median, the vector kernels' own bitonic network (16-blocks sorted in registers, bitonic merges of the two
 *   halves, a final half-cleaner reduction to the two middle ranks; no table, {@link #net} is null). Up to
 *   {@code B <= Networks.MAX}.</li>
 *   <li>{@link #GENERAL}: above {@code Networks.MAX} inputs, each coordinate's values are copied and sorted
 *   ({@code O(B log B)} per coordinate, scalar).</li>
 * </ul>
 */
public final class Plan {
    public static final int MEAN = 0, MEDIAN = 1, TRIMMED = 2, WINSORIZED = 3, MEDIAN_OF_MEANS = 4;
    public static final int SUM = 0, INSERTION = 1, NETWORK = 2, GENERAL = 3;

    public final int op;
    public final int rows;
    /** c for trimmed / winsorized, groups for median of means, 0 otherwise. */
    public final int param;
    public final int method;
    /** The network (comparator pairs) for {@link #NETWORK}, else null. */
    public final int[] net;
    /** Ranks read after the network or insertion: trim / winsor: c and rows-1-c; median: the middle one(s). */
    public final int r1, r2;

    private Plan(int op, int rows, int param, int method, int[] net, int r1, int r2) {
        this.op = op;
        this.rows = rows;
        this.param = param;
        this.method = method;
        this.net = net;
        this.r1 = r1;
        this.r2 = r2;
    }

    /**
     * The plan for {@code op} over {@code rows} values per coordinate, for a kernel keeping at most {@code kmax}
     * values per side in registers (0: none; the scalar kernel always takes {@link #GENERAL}).
     */
    public static Plan of(int op, int rows, int param, int kmax, boolean vector) {
        switch (op) {
            case MEAN:
                return new Plan(op, rows, 0, SUM, null, 0, 0);
            case MEDIAN:
            case MEDIAN_OF_MEANS: {
                int n = op == MEDIAN ? rows : param;
                int r1 = (n - 1) / 2, r2 = n / 2;
                if (!vector || n > Networks.MAX) {
                    return new Plan(op, rows, param, GENERAL, null, r1, r2);
                }
                // the vector median runs its own bitonic network (no table); the median of means a pruned one
                return new Plan(op, rows, param, NETWORK, op == MEDIAN ? null : Networks.select(n, r1, r2), r1, r2);
            }
            case TRIMMED:
            case WINSORIZED: {
                int c = param, r1 = c, r2 = rows - 1 - c;
                if (!vector) {
                    return new Plan(op, rows, c, GENERAL, null, r1, r2);
                }
                int k = c + 1;
                double insertionCost = rows * registerCost(k);
                if (k <= kmax && (rows > Networks.MAX || insertionCost <= 4.0 * Networks.size(rows, r1, r2) + 2.0 * rows)) {
                    return new Plan(op, rows, c, INSERTION, null, r1, r2);
                }
                if (rows > Networks.MAX) {
                    return new Plan(op, rows, c, GENERAL, null, r1, r2);
                }
                return new Plan(op, rows, c, NETWORK, Networks.select(rows, r1, r2), r1, r2);
            }
            default:
                throw new IllegalArgumentException("op " + op);
        }
    }

    /**
     * Vector min/max operations per value of the register method for k = c + 1 (the generated kernels, whose
     * Javadoc gives each count): insertion (4k - 2) for k <= 2; sorted lists of k keys merged with sorted chunks of
     * 8 by pruned Batcher merges for k = 3, 5, 6, 9, 10; sorted lists of K = 4, 8, 16 keys updated by half-cleaners
     * and bitonic mergers for k = 4, 7..8, 11..16.
     */
    static double registerCost(int k) {
        return switch (k) {
            case 1, 2 -> 4 * k - 2;
            case 3 -> 6.5;
            case 4 -> 8.5;
            case 5 -> 8.5;
            case 6 -> 10.25;
            case 7, 8 -> 12.75;
            case 9 -> 13.25;
            case 10 -> 15.25;
            default -> 23;
        };
    }

    /** Number of inputs of the network: rows, or groups for the median of means. */
    public int networkInputs() {
        return op == MEDIAN_OF_MEANS ? param : rows;
    }
}
