package dev.simdgrad.verify;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One explicit B x P matrix for the aggregation properties: B in 1..300 biased to the edges of the vector widths and
 * the network sizes, P with vector tails, padding (ldg > P), an offset, and values of several kinds (Gaussian, small
 * integers with many ties, wide magnitudes, and occasionally +-0, +-Inf and NaN).
 */
record AggregateCase(int rows, int cols, int ldg, int offset, int kind, long seed, float[] g) {

    static final int[] EDGE_ROWS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129,
            255, 256, 257, 299, 300};
    static final int[] EDGE_COLS = {1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 67};

    static Arbitrary<Integer> rowsArb() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(toObjects(EDGE_ROWS))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 300)));
    }

    static Arbitrary<Integer> colsArb() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.of(toObjects(EDGE_COLS))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 80)));
    }

    static Arbitrary<AggregateCase> cases() {
        return Combinators.combine(rowsArb(), colsArb(), Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 4), Arbitraries.longs())
                .as((rows, cols, pad, offset, kind, seed) -> make(rows, cols, cols + pad, offset, kind, seed));
    }

    static AggregateCase make(int rows, int cols, int ldg, int offset, int kind, long seed) {
        Random r = new Random(seed);
        float[] g = new float[offset + (rows - 1) * ldg + cols + 2];
        for (int q = 0; q < g.length; q++) {
            g[q] = value(r, kind);
        }
        return new AggregateCase(rows, cols, ldg, offset, kind, seed, g);
    }

    /** kind 0: Gaussian; 1: small integers (ties); 2: wide magnitudes; 3: Gaussian with specials; 4: near-equal. */
    static float value(Random r, int kind) {
        switch (kind) {
            case 1:
                return r.nextInt(7) - 3;
            case 2:
                return (float) (r.nextGaussian() * Math.pow(10, r.nextInt(21) - 10));
            case 3: {
                int u = r.nextInt(60);
                if (u == 0) {
                    return Float.NaN;
                } else if (u == 1) {
                    return Float.POSITIVE_INFINITY;
                } else if (u == 2) {
                    return Float.NEGATIVE_INFINITY;
                } else if (u == 3) {
                    return -0f;
                } else if (u == 4) {
                    return 0f;
                }
                return (float) r.nextGaussian();
            }
            case 4:
                return 1f + r.nextInt(4) * Math.ulp(1f);
            default:
                return (float) r.nextGaussian();
        }
    }

    private static Integer[] toObjects(int[] a) {
        Integer[] o = new Integer[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i];
        }
        return o;
    }

    /** A fresh output array filled with a sentinel, with the output window at outOffset. */
    static float[] output(int cols, int outOffset) {
        float[] out = new float[outOffset + cols + 3];
        java.util.Arrays.fill(out, 12345.5f);
        return out;
    }

    /** The rows of g permuted (a copy with the same layout). */
    AggregateCase permuted(long permSeed) {
        int[] perm = new int[rows];
        for (int i = 0; i < rows; i++) {
            perm[i] = i;
        }
        Random r = new Random(permSeed);
        for (int i = rows - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        float[] h = g.clone();
        for (int i = 0; i < rows; i++) {
            System.arraycopy(g, offset + perm[i] * ldg, h, offset + i * ldg, cols);
        }
        return new AggregateCase(rows, cols, ldg, offset, kind, seed, h);
    }

    @Override
    public String toString() {
        return "AggregateCase[rows=" + rows + ", cols=" + cols + ", ldg=" + ldg + ", offset=" + offset + ", kind="
                + kind + ", seed=" + seed + "]";
    }
}
