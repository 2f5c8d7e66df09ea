package dev.simdgrad.verify;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * One explicit n x P matrix of row vectors for the robust aggregators: n in 3..40 biased to small counts and vector
 * edges, P with vector tails, padding and an offset, and values of several kinds: Gaussian, small integers (exact
 * ties of distances), wide magnitudes, a few whole rows with a NaN or an infinity, near-equal values (1 + a few
 * ulps), a tight cluster far from the origin (the cancellation in G_ii + G_jj - 2 G_ij), and Gaussian rows with a
 * few far outliers (the Byzantine rows the rules exist for).
 */
record RobustCase(int rows, int cols, int ldg, int offset, int kind, long seed, float[] g) {
    static final int KINDS = 7;
    static final String[] KIND_NAMES = {"gaussian", "integers", "wide", "non-finite rows", "near-equal", "cluster",
        "outliers"};
    private static final Integer[] EDGE_ROWS = {3, 4, 5, 6, 7, 8, 9, 11, 15, 16, 17, 19, 31, 32, 33};

    static Arbitrary<RobustCase> cases() {
        Arbitrary<Integer> rows = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(EDGE_ROWS)),
                Tuple.of(1, Arbitraries.integers().between(3, 40)));
        return Combinators.combine(rows, AggregateCase.colsArb(), Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, KINDS - 1),
                Arbitraries.longs())
                .as((n, cols, pad, offset, kind, seed) -> make(n, cols, cols + pad, offset, kind, seed));
    }

    static RobustCase make(int rows, int cols, int ldg, int offset, int kind, long seed) {
        Random r = new Random(seed);
        float[] g = new float[offset + (rows - 1) * ldg + cols + 2];
        for (int q = 0; q < g.length; q++) {
            g[q] = AggregateCase.value(r, kind == 1 || kind == 2 || kind == 4 ? kind : 0);
        }
        if (kind == 3) {
            int bad = 1 + r.nextInt(Math.max(1, rows / 3));
            for (int t = 0; t < bad; t++) {
                int i = r.nextInt(rows), k = r.nextInt(cols);
                float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
                g[offset + i * ldg + k] = specials[r.nextInt(3)];
            }
        } else if (kind == 5) {
            double scale = Math.pow(10, r.nextInt(7) - 3);
            double[] c = new double[cols];
            for (int k = 0; k < cols; k++) {
                c[k] = 100 * r.nextGaussian();
            }
            for (int i = 0; i < rows; i++) {
                for (int k = 0; k < cols; k++) {
                    g[offset + i * ldg + k] = (float) (c[k] + scale * 1e-3 * r.nextGaussian());
                }
            }
        } else if (kind == 6) {
            int bad = r.nextInt(Math.max(1, (rows - 3) / 4) + 1);
            for (int t = 0; t < bad; t++) {
                int i = r.nextInt(rows);
                double shift = 1e3 * r.nextGaussian();
                for (int k = 0; k < cols; k++) {
                    g[offset + i * ldg + k] = (float) (shift + 10 * r.nextGaussian());
                }
            }
        }
        return new RobustCase(rows, cols, ldg, offset, kind, seed, g);
    }

    double[][] vectors() {
        return ReferenceRobust.rows(g, offset, rows, cols, ldg);
    }

    @Override
    public String toString() {
        return "RobustCase[rows=" + rows + ", cols=" + cols + ", ldg=" + ldg + ", offset=" + offset + ", kind="
                + KIND_NAMES[kind] + ", seed=" + seed + "]";
    }
}
