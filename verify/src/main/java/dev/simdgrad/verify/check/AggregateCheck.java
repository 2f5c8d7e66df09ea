package dev.simdgrad.verify.check;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.kernels.FusedAggregate;
import dev.simdgrad.kernels.PerExample;
import dev.simdgrad.verify.ReferenceAggregate;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Checks the coordinate-wise aggregators against {@link ReferenceAggregate} (sorting in double, the definitions
 * applied literally), and the fused aggregators against the explicit ones on the materialized per-example
 * gradients. Each random case draws an aggregator (mean, median, trimmed mean, winsorized mean, median of means),
 * a batch B in 1..300 biased to vector-width edges, its parameter (c in 0..(B-1)/2, groups in 1..B), a column count
 * with vector tails, padding and offsets.
 *
 * <p>Bounds, from the {@link Aggregate} Javadoc: order statistics (median of an odd count, the c-th thresholds) are
 * exact, so the median of an odd count must match to the bit (any difference is an infinite ratio) and that of an
 * even count is within half an ulp of the mean of the two middle values; the means are within
 * {@link ReferenceAggregate#meanBound}, {@link ReferenceAggregate#trimWinsorBound} or
 * {@link ReferenceAggregate#medianOfMeansBound} plus half an ulp. Fused must equal explicit bit for bit.
 *
 * <p>C2: the check runs a warm-up of 200 aggregations over varied shapes before its cases, so the cases run the
 * compiled kernels.
 */
public final class AggregateCheck implements KernelCheck {
    private static final int[] EDGES = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129};
    private static final String[] OPS = {"mean", "median", "trimmed", "winsorized", "median-of-means"};

    @Override
    public String name() {
        return "aggregate";
    }

    @Override
    public CheckResult run(int cases, long seed) {
        if (cases < 0) {
            throw new IllegalArgumentException("cases=" + cases + " < 0");
        }
        SplittableRandom warm = new SplittableRandom(seed ^ 0x3c6e_f372_fe94_f82bL);
        for (int i = 0; i < 200; i++) {
            Case c = Case.random(warm);
            c.explicit();
            c.fused();
        }
        CheckTally tally = new CheckTally();
        SplittableRandom r = new SplittableRandom(seed ^ 0x5851_f42d_4c95_7f2dL);
        for (int i = 0; i < cases; i++) {
            Case c = Case.random(r);
            tally.add(c.ratioAgainstReference(), c::toString);
            tally.add(c.fusedVsExplicit(), () -> c + " (fused vs explicit)");
        }
        return tally.result(name());
    }

    /**
     * The worst error/bound ratio of an aggregation {@code got} (cols values) of the B x cols matrix g against
     * {@link ReferenceAggregate}, with the bounds of the class comment. Shared with the network check, which holds
     * the network's aggregation strategies to the same bounds.
     *
     * @param op    0 mean, 1 median, 2 trimmed mean, 3 winsorized mean, 4 median of means
     * @param param c for trimmed and winsorized, the number of groups for median of means
     */
    static double ratioAgainstReference(int op, float[] g, int batch, int cols, int ld, int param, float[] got) {
        double[] ref;
        double[] bound;
        switch (op) {
            case 0 -> {
                ref = ReferenceAggregate.mean(g, 0, batch, cols, ld);
                bound = ReferenceAggregate.meanBound(g, 0, batch, cols, ld);
            }
            case 1 -> {
                ref = ReferenceAggregate.median(g, 0, batch, cols, ld);
                bound = new double[cols]; // exact (odd B) or one rounding (even B), added below
            }
            case 2, 3 -> {
                ref = op == 2 ? ReferenceAggregate.trimmedMean(g, 0, batch, cols, ld, param)
                        : ReferenceAggregate.winsorizedMean(g, 0, batch, cols, ld, param);
                bound = ReferenceAggregate.trimWinsorBound(g, 0, batch, cols, ld, param, op == 2);
            }
            default -> {
                ref = ReferenceAggregate.medianOfMeans(g, 0, batch, cols, ld, param);
                bound = ReferenceAggregate.medianOfMeansBound(g, 0, batch, cols, ld, param);
            }
        }
        boolean exact = op == 1 && batch % 2 == 1;
        double worst = 0;
        for (int j = 0; j < cols; j++) {
            double err = Math.abs(got[j] - ref[j]);
            if (Float.isNaN(got[j]) || Double.isNaN(ref[j])) {
                err = Float.isNaN(got[j]) && Double.isNaN(ref[j]) ? 0 : Double.POSITIVE_INFINITY;
            }
            if (err == 0) {
                continue;
            }
            // Half an ulp for the final rounding of a value computed in double (not for an exact order statistic).
            double b = exact ? 0 : bound[j] + Math.ulp((float) ref[j]) / 2;
            worst = Math.max(worst, b > 0 ? err / b : Double.POSITIVE_INFINITY);
        }
        return worst;
    }

    /** One aggregation: D (B x dOut) and X (B x dIn) of a layer, aggregated over the B examples. */
    private record Case(int op, int batch, int dOut, int dIn, int param, float[] d, float[] x, long seed) {
        static Case random(SplittableRandom r) {
            int batch = r.nextInt(4) == 0 ? EDGES[r.nextInt(EDGES.length)] : 1 + r.nextInt(r.nextBoolean() ? 40 : 300);
            int op = r.nextInt(OPS.length);
            int param = switch (op) {
                case 2, 3 -> r.nextInt((batch - 1) / 2 + 1);
                case 4 -> 1 + r.nextInt(batch);
                default -> 0;
            };
            int dOut = 1 + r.nextInt(5), dIn = 1 + r.nextInt(r.nextBoolean() ? 40 : 9);
            float[] d = new float[batch * dOut], x = new float[batch * dIn];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextInt(8) == 0 ? 0.0 : r.nextGaussian());
            }
            return new Case(op, batch, dOut, dIn, param, d, x, r.nextLong());
        }

        int cols() {
            return dOut * dIn;
        }

        /** The B x P per-example weight gradients, row i = example i, with one column of padding. */
        float[] materialized() {
            float[] g = new float[batch * (cols() + 1)];
            PerExample.gradients(batch, dOut, dIn, d, 0, dOut, x, 0, dIn, false, 0, cols(), g, 0, cols() + 1);
            return g;
        }

        float[] explicit() {
            float[] g = materialized();
            float[] out = new float[cols() + 3];
            int ld = cols() + 1;
            switch (op) {
                case 0 -> Aggregate.mean(g, 0, batch, cols(), ld, out, 3);
                case 1 -> Aggregate.median(g, 0, batch, cols(), ld, out, 3);
                case 2 -> Aggregate.trimmedMean(g, 0, batch, cols(), ld, param, out, 3);
                case 3 -> Aggregate.winsorizedMean(g, 0, batch, cols(), ld, param, out, 3);
                default -> Aggregate.medianOfMeans(g, 0, batch, cols(), ld, param, out, 3);
            }
            return Arrays.copyOfRange(out, 3, out.length);
        }

        float[] fused() {
            float[] w = new float[cols()];
            switch (op) {
                case 0 -> FusedAggregate.mean(batch, dOut, dIn, d, 0, dOut, x, 0, dIn, w, 0, dIn, null, 0);
                case 1 -> FusedAggregate.median(batch, dOut, dIn, d, 0, dOut, x, 0, dIn, w, 0, dIn, null, 0);
                case 2 -> FusedAggregate.trimmedMean(batch, dOut, dIn, d, 0, dOut, x, 0, dIn, param, w, 0, dIn,
                        null, 0);
                case 3 -> FusedAggregate.winsorizedMean(batch, dOut, dIn, d, 0, dOut, x, 0, dIn, param, w, 0, dIn,
                        null, 0);
                default -> FusedAggregate.medianOfMeans(batch, dOut, dIn, d, 0, dOut, x, 0, dIn, param, w, 0, dIn,
                        null, 0);
            }
            return w;
        }

        double fusedVsExplicit() {
            return Arrays.equals(explicit(), fused()) ? 0.0 : Double.POSITIVE_INFINITY;
        }

        double ratioAgainstReference() {
            return AggregateCheck.ratioAgainstReference(op, materialized(), batch, cols(), cols() + 1, param,
                    explicit());
        }

        @Override
        public String toString() {
            return OPS[op] + (op >= 2 ? "(" + param + ")" : "") + " over B=" + batch + " of a " + dOut + "x" + dIn
                    + " layer (P=" + cols() + ")";
        }
    }
}
