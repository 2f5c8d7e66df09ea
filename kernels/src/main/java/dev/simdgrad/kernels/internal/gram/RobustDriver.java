package dev.simdgrad.kernels.internal.gram;

import dev.simdgrad.kernels.internal.agg.AggregateDriver;
import dev.simdgrad.kernels.internal.agg.Plan;
import java.util.Arrays;

/**
 * The robust aggregators over an explicit matrix (rows = vectors): the squared distances of the rows (one pass over
 * the matrix, {@link DistanceDriver}), the rule on them ({@link RobustRules}), then one pass to write the result (a
 * row copy, a weighted sum of rows, or Bulyan's coordinate-wise stage over the selected rows).
 *
 * <p>Unchecked: {@code Aggregate} validates first. Results are the same bits for every thread count.
 */
public final class RobustDriver {
    /** Columns per block of the output passes: the block of out (16 KiB) stays in L1 while the rows stream by. */
    static final int COLUMNS = 4096;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private RobustDriver() {
    }

    private static final class Buffers {
        double[] w = new double[0];
        int[] selected = new int[0];
        float[] rows = new float[0];

        double[] w(int n) {
            if (w.length < n) {
                w = new double[n];
            }
            return w;
        }

        int[] selected(int n) {
            if (selected.length < n) {
                selected = new int[n];
            }
            return selected;
        }

        float[] rows(int size) {
            if (rows.length < size) {
                rows = new float[size];
            }
            return rows;
        }
    }

    /** The squared distances and norms of the rows. */
    private static Distances distances(float[] g, int go, int rows, int cols, int ldg) {
        return DistanceDriver.of(g, go, ldg, rows, null, 0, cols);
    }

    /** Krum; returns the selected row or -1 (then out is NaN). */
    public static int krum(float[] g, int go, int rows, int cols, int ldg, int f, float[] out, int oo) {
        int best = RobustRules.krum(distances(g, go, rows, cols, ldg), f, null);
        if (best < 0) {
            Arrays.fill(out, oo, oo + cols, Float.NaN);
        } else {
            System.arraycopy(g, go + best * ldg, out, oo, cols);
        }
        return best;
    }

    /** Multi-Krum: the mean of the m selected rows, each weighted by fl(1/m), summed in float in row order. */
    public static void multiKrum(float[] g, int go, int rows, int cols, int ldg, int f, int m, float[] out, int oo) {
        Buffers b = BUFFERS.get();
        int[] sel = b.selected(m);
        if (!RobustRules.multiKrum(distances(g, go, rows, cols, ldg), f, m, sel)) {
            Arrays.fill(out, oo, oo + cols, Float.NaN);
            return;
        }
        double[] w = b.w(rows);
        Arrays.fill(w, 0, rows, 0.0);
        for (int q = 0; q < m; q++) {
            w[sel[q]] = 1.0 / m;
        }
        weightedRows(g, go, ldg, rows, cols, w, null, 0, 0, out, oo);
    }

    /** Smoothed Weiszfeld; returns the iterations run (0 and out NaN if a row is not finite). */
    public static int geometricMedian(float[] g, int go, int rows, int cols, int ldg, double nu, int maxIterations,
                                      double tolerance, float[] out, int oo) {
        Distances dist = distances(g, go, rows, cols, ldg);
        if (!dist.allFinite()) {
            Arrays.fill(out, oo, oo + cols, Float.NaN);
            return 0;
        }
        double[] w = BUFFERS.get().w(rows);
        int it = RobustRules.weiszfeld(dist, nu, maxIterations, tolerance, w);
        weightedRows(g, go, ldg, rows, cols, w, null, 0, 0, out, oo);
        return it;
    }

    /** Centered clipping; out NaN if a row or the center is not finite. out may be the center (same offset). */
    public static void centeredClipping(float[] g, int go, int rows, int cols, int ldg, float[] center, int co,
                                        double tau, int iterations, float[] out, int oo) {
        int n = rows + 1;
        Distances dist = DistanceDriver.of(g, go, ldg, rows, center, co, cols);
        if (!dist.allFinite()) {
            Arrays.fill(out, oo, oo + cols, Float.NaN);
            return;
        }
        double[] w = BUFFERS.get().w(n);
        RobustRules.centeredClipping(dist, tau, iterations, w);
        weightedRows(g, go, ldg, rows, cols, w, center, co, w[rows], out, oo);
    }

    /** Bulyan: iterated-Krum selection of theta = rows - 2f rows, then their coordinate-wise trimmed mean (c = f). */
    public static void bulyan(float[] g, int go, int rows, int cols, int ldg, int f, float[] out, int oo) {
        Buffers b = BUFFERS.get();
        int theta = rows - 2 * f;
        int[] sel = b.selected(theta);
        if (!RobustRules.bulyan(distances(g, go, rows, cols, ldg), f, sel)) {
            Arrays.fill(out, oo, oo + cols, Float.NaN);
            return;
        }
        Plan plan = AggregateDriver.plan(Plan.TRIMMED, theta, f);
        int tile = Math.max(1, Math.min(cols, COLUMNS * 4 / theta));
        float[] t = b.rows(theta * tile);
        for (int c0 = 0; c0 < cols; c0 += tile) {
            int w = Math.min(tile, cols - c0);
            for (int q = 0; q < theta; q++) {
                System.arraycopy(g, go + sel[q] * ldg + c0, t, q * tile, w);
            }
            AggregateDriver.explicit(plan, t, 0, tile, w, out, oo + c0);
        }
    }

    /**
     * {@code out[oo + j] = fl(wc) center[co + j] + sum_i fl(w_i) g[go + i*ldg + j]} in float, the center first (when
     * not null), then the rows with a nonzero weight in increasing order, each term one multiply and one add (no
     * FMA, so every width gives the same bits). Rows of weight zero are not read. Column blocks keep out in L1.
     */
    static void weightedRows(float[] g, int go, int ldg, int rows, int cols, double[] w, float[] center, int co,
                             double wc, float[] out, int oo) {
        float fc = (float) wc;
        for (int c0 = 0; c0 < cols; c0 += COLUMNS) {
            int c1 = Math.min(cols, c0 + COLUMNS);
            if (center != null) {
                for (int j = c0; j < c1; j++) {
                    out[oo + j] = fc * center[co + j];
                }
            } else {
                Arrays.fill(out, oo + c0, oo + c1, 0f);
            }
            for (int i = 0; i < rows; i++) {
                float fw = (float) w[i];
                if (fw != 0f) {
                    AggregateDriver.ROWS.addScaled(out, oo + c0, fw, g, go + i * ldg + c0, c1 - c0);
                }
            }
        }
    }
}
