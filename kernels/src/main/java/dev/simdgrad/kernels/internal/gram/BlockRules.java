package dev.simdgrad.kernels.internal.gram;

import java.util.Arrays;

/**
 * The whole-row robust rules when the rows are cut into column blocks: each block's squared distances and norms
 * ({@link DistanceDriver}, the explicit rules' own pass) added into one array, the rule on the sum
 * ({@link RobustRules}), and each block's part of the result from the rule's outcome (a row copy, a weighted sum of
 * rows, or Bulyan's coordinate-wise stage), by the same code as {@link RobustDriver}.
 *
 * <p>The distance array of n vectors has {@code n * n + n} doubles: {@code d[i * n + j]} then the squared norms at
 * {@code n * n + i}. Unchecked: the public class validates first.
 */
public final class BlockRules {
    private BlockRules() {
    }

    /** Adds the squared distances and norms of these rows (and of {@code extra} as vector {@code rows}) into acc. */
    public static void addDistances(float[] g, int go, int rows, int cols, int ldg, float[] extra, int eo,
                                    double[] acc) {
        Distances s = DistanceDriver.of(g, go, ldg, rows, extra, eo, cols);
        int n = s.n;
        for (int q = 0; q < n * n; q++) {
            acc[q] += s.d[q];
        }
        for (int i = 0; i < n; i++) {
            acc[n * n + i] += s.norms[i];
        }
    }

    /** The rules' view of a summed distance array of n vectors (this thread's scratch). */
    private static Distances view(double[] acc, int n) {
        Distances s = Distances.scratch(n);
        System.arraycopy(acc, 0, s.d, 0, n * n);
        System.arraycopy(acc, n * n, s.norms, 0, n);
        return s;
    }

    /** Krum's selected row, or -1 when no score is finite. */
    public static int krum(double[] acc, int rows, int f) {
        return RobustRules.krum(view(acc, rows), f, null);
    }

    /** Multi-Krum's m selected rows in increasing order, or null when a selected score is not finite. */
    public static int[] multiKrum(double[] acc, int rows, int f, int m) {
        int[] sel = new int[m];
        return RobustRules.multiKrum(view(acc, rows), f, m, sel) ? sel : null;
    }

    /** Bulyan's rows - 2f selected rows in increasing order, or null when a pick was not finite. */
    public static int[] bulyan(double[] acc, int rows, int f) {
        int[] sel = new int[rows - 2 * f];
        return RobustRules.bulyan(view(acc, rows), f, sel) ? sel : null;
    }

    /**
     * Weiszfeld's weights into {@code w[0..rows)}; returns the iterations run, or -1 when a row is not finite (w is
     * then untouched).
     */
    public static int geometricMedian(double[] acc, int rows, double nu, int maxIterations, double tolerance,
                                      double[] w) {
        Distances s = view(acc, rows);
        if (!s.allFinite()) {
            return -1;
        }
        return RobustRules.weiszfeld(s, nu, maxIterations, tolerance, w);
    }

    /**
     * Centered clipping's weights over the rows and the center ({@code w[rows]}), from the distances of rows + 1
     * vectors (the center last); false when a vector is not finite.
     */
    public static boolean centeredClipping(double[] acc, int rows, double tau, int iterations, double[] w) {
        Distances s = view(acc, rows + 1);
        if (!s.allFinite()) {
            return false;
        }
        RobustRules.centeredClipping(s, tau, iterations, w);
        return true;
    }

    /** Copies row {@code row} (or writes NaN for row -1): Krum's result, the same bits as {@link RobustDriver}. */
    public static void copyRow(float[] g, int go, int cols, int ldg, int row, float[] out, int oo) {
        if (row < 0) {
            Arrays.fill(out, oo, oo + cols, Float.NaN);
        } else {
            System.arraycopy(g, go + row * ldg, out, oo, cols);
        }
    }

    /** {@code fl(wc) center + sum_i fl(w_i) g_i}, as {@link RobustDriver#weightedRows} (center null: no center). */
    public static void weightedRows(float[] g, int go, int rows, int cols, int ldg, double[] w, float[] center,
                                    int co, double wc, float[] out, int oo) {
        RobustDriver.weightedRows(g, go, ldg, rows, cols, w, center, co, wc, out, oo);
    }

    /** Bulyan's coordinate-wise stage: the trimmed mean (c = f) of the selected rows, as {@link RobustDriver}. */
    public static void trimmedSelected(float[] g, int go, int cols, int ldg, int[] sel, int f, float[] out, int oo) {
        RobustDriver.trimmedRows(g, go, ldg, cols, sel, sel.length, f, out, oo);
    }
}
