package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.Simd;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Aggregate} against {@link ReferenceAggregate}: order statistics exactly, means within the derived bounds,
 * permutation invariance, thread-count independence. Run once per vector width by the Surefire executions.
 */
class AggregatePropertiesTest {

    @Provide
    Arbitrary<AggregateCase> cases() {
        return AggregateCase.cases();
    }

    /** c in 0..(rows-1)/2, one time in two among the small values the insertion networks handle. */
    static int pickC(int rows, int pick) {
        int max = (rows - 1) / 2;
        return pick % 2 == 0 ? Math.min(max, pick % 18) : pick % (max + 1);
    }

    static int pickGroups(int rows, int pick) {
        return pick % 2 == 0 ? Math.min(rows, 1 + pick % 12) : 1 + pick % rows;
    }

    @Example
    void runsTheRequestedWidth() {
        String bits = System.getProperty("simdgrad.vector.bits");
        if (bits != null && !bits.isBlank()) {
            int requested = Integer.parseInt(bits.trim());
            assertEquals(requested == 0 ? 0 : Math.min(requested, Simd.preferredBits()), Simd.vectorBits(),
                    Simd.describe());
        }
    }

    @Property(tries = 150)
    void meanWithinBound(@ForAll("cases") AggregateCase k, @ForAll @IntRange(min = 0, max = 3) int oo) {
        float[] out = AggregateCase.output(k.cols(), oo);
        Aggregate.mean(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), out, oo);
        AggregateChecks.within("mean " + k, out, oo, ReferenceAggregate.mean(k.g(), k.offset(), k.rows(), k.cols(), k.ldg()),
                ReferenceAggregate.meanBound(k.g(), k.offset(), k.rows(), k.cols(), k.ldg()), 0.5);
        AggregateChecks.untouchedOutside("mean", out, oo, k.cols());
    }

    /**
     * The mean is each column summed from 0 in row order, in float, then divided by rows: the same bits at every
     * vector width and thread count, whatever lane groups or column blocks a kernel uses.
     */
    @Property(tries = 100)
    void meanIsTheRowOrderFloatSum(@ForAll("cases") AggregateCase k) {
        float[] out = new float[k.cols()];
        Aggregate.mean(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), out, 0);
        for (int j = 0; j < k.cols(); j++) {
            float sum = 0f;
            for (int i = 0; i < k.rows(); i++) {
                sum += k.g()[k.offset() + i * k.ldg() + j];
            }
            assertEquals(Float.floatToIntBits(sum / k.rows()), Float.floatToIntBits(out[j]), "column " + j + " " + k);
        }
    }

    @Example
    void meanAcrossColumnBlocksAndThreads() {
        // 9,001 columns (every lane-group tail, split over two threads); offset and padded leading dimension.
        int rows = 37, cols = 9001, ldg = 9013, off = 5;
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        float[] g = new float[off + rows * ldg];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) r.nextGaussian();
        }
        float[] one = new float[cols + 2], two = new float[cols + 2];
        int saved = Parallelism.threads();
        try {
            Parallelism.setThreads(1);
            Aggregate.mean(g, off, rows, cols, ldg, one, 1);
            Parallelism.setThreads(2);
            Aggregate.mean(g, off, rows, cols, ldg, two, 1);
        } finally {
            Parallelism.setThreads(saved);
        }
        for (int j = 0; j < cols; j++) {
            float sum = 0f;
            for (int i = 0; i < rows; i++) {
                sum += g[off + i * ldg + j];
            }
            assertEquals(Float.floatToIntBits(sum / rows), Float.floatToIntBits(one[j + 1]), "column " + j);
        }
        assertArrayEquals(one, two);
        assertEquals(0f, one[0]);
        assertEquals(0f, one[cols + 1]);
    }

    @Property(tries = 150)
    void medianExact(@ForAll("cases") AggregateCase k, @ForAll @IntRange(min = 0, max = 3) int oo) {
        float[] out = AggregateCase.output(k.cols(), oo);
        Aggregate.median(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), out, oo);
        double[] ref = ReferenceAggregate.median(k.g(), k.offset(), k.rows(), k.cols(), k.ldg());
        if (k.rows() % 2 == 1) {
            AggregateChecks.exact("median " + k, out, oo, ref);
        } else {
            // the mean of the two middle values: within one rounding
            AggregateChecks.within("median " + k, out, oo, ref, new double[ref.length], 0.5);
        }
        AggregateChecks.untouchedOutside("median", out, oo, k.cols());
    }

    @Property(tries = 150)
    void trimmedMeanWithinBound(@ForAll("cases") AggregateCase k, @ForAll @IntRange(min = 0, max = 100000) int pick) {
        int c = pickC(k.rows(), pick);
        float[] out = AggregateCase.output(k.cols(), 1);
        Aggregate.trimmedMean(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), c, out, 1);
        AggregateChecks.within("trimmed c=" + c + " " + k, out, 1,
                ReferenceAggregate.trimmedMean(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), c),
                ReferenceAggregate.trimWinsorBound(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), c, true), 0.5);
        AggregateChecks.untouchedOutside("trimmed", out, 1, k.cols());
    }

    @Property(tries = 150)
    void winsorizedMeanWithinBound(@ForAll("cases") AggregateCase k,
                                   @ForAll @IntRange(min = 0, max = 100000) int pick) {
        int c = pickC(k.rows(), pick);
        float[] out = AggregateCase.output(k.cols(), 2);
        Aggregate.winsorizedMean(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), c, out, 2);
        AggregateChecks.within("winsorized c=" + c + " " + k, out, 2,
                ReferenceAggregate.winsorizedMean(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), c),
                ReferenceAggregate.trimWinsorBound(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), c, false), 0.5);
        AggregateChecks.untouchedOutside("winsorized", out, 2, k.cols());
    }

    /** The trimmed mean that keeps one value is the median, exactly (a threshold is an order statistic). */
    @Property(tries = 80)
    void fullyTrimmedMeanIsTheMedian(@ForAll("cases") AggregateCase k) {
        int rows = k.rows() | 1;
        AggregateCase odd = AggregateCase.make(rows, k.cols(), k.ldg(), k.offset(), k.kind(), k.seed());
        float[] out = AggregateCase.output(k.cols(), 0);
        Aggregate.trimmedMean(odd.g(), odd.offset(), rows, odd.cols(), odd.ldg(), (rows - 1) / 2, out, 0);
        AggregateChecks.exact("trimmed to one " + odd, out, 0,
                ReferenceAggregate.median(odd.g(), odd.offset(), rows, odd.cols(), odd.ldg()));
    }

    @Property(tries = 150)
    void medianOfMeansWithinBound(@ForAll("cases") AggregateCase k,
                                  @ForAll @IntRange(min = 0, max = 100000) int pick) {
        int groups = pickGroups(k.rows(), pick);
        float[] out = AggregateCase.output(k.cols(), 0);
        Aggregate.medianOfMeans(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), groups, out, 0);
        AggregateChecks.within("median of " + groups + " means " + k, out, 0,
                ReferenceAggregate.medianOfMeans(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), groups),
                ReferenceAggregate.medianOfMeansBound(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), groups), 1.0);
    }

    @Property(tries = 100)
    void medianOfThreeExact(@ForAll("cases") AggregateCase k, @ForAll @IntRange(min = 0, max = 2) int aliasing) {
        int n = k.g().length / 3;
        float[] a = java.util.Arrays.copyOfRange(k.g(), 0, n);
        float[] b = java.util.Arrays.copyOfRange(k.g(), n, 2 * n);
        float[] c = java.util.Arrays.copyOfRange(k.g(), 2 * n, 3 * n);
        int off = Math.min(k.offset(), n);
        int len = n - off;
        double[] ref = ReferenceAggregate.medianOfThree(a, b, c, off, len);
        float[] out;
        int oo;
        if (aliasing == 0) {
            out = AggregateCase.output(len, 1);
            oo = 1;
        } else {
            out = aliasing == 1 ? a : c; // in place, same offset
            oo = off;
        }
        Aggregate.medianOfThree(a, b, c, off, len, out, oo);
        AggregateChecks.exact("median of three " + k, out, oo, ref);
    }

    /** Permuting the examples: order statistics unchanged bit for bit, sums within twice the bound. */
    @Property(tries = 100)
    void permutationInvariance(@ForAll("cases") AggregateCase k, @ForAll long permSeed,
                               @ForAll @IntRange(min = 0, max = 100000) int pick) {
        AggregateCase p = k.permuted(permSeed);
        int c = pickC(k.rows(), pick);
        float[] m1 = new float[k.cols()], m2 = new float[k.cols()];
        Aggregate.median(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), m1, 0);
        Aggregate.median(p.g(), p.offset(), p.rows(), p.cols(), p.ldg(), m2, 0);
        AggregateChecks.sameBits("median under permutation " + k, m1, m2);
        Aggregate.winsorizedMean(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), c, m1, 0);
        Aggregate.winsorizedMean(p.g(), p.offset(), p.rows(), p.cols(), p.ldg(), c, m2, 0);
        double[] bound = ReferenceAggregate.trimWinsorBound(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), c, false);
        double[] m1d = new double[m1.length];
        for (int j = 0; j < m1.length; j++) {
            m1d[j] = m1[j];
            bound[j] *= 2;
        }
        AggregateChecks.within("winsorized under permutation " + k, m2, 0, m1d, bound, 1.0);
        Aggregate.trimmedMean(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), c, m1, 0);
        Aggregate.trimmedMean(p.g(), p.offset(), p.rows(), p.cols(), p.ldg(), c, m2, 0);
        bound = ReferenceAggregate.trimWinsorBound(k.g(), k.offset(), k.rows(), k.cols(), k.ldg(), c, true);
        for (int j = 0; j < m1.length; j++) {
            m1d[j] = m1[j];
            bound[j] *= 2;
        }
        AggregateChecks.within("trimmed under permutation " + k, m2, 0, m1d, bound, 1.0);
    }

    /** 1..4 threads give the same bits (a matrix large enough to be split). */
    @Property(tries = 6)
    void threadCountDoesNotChangeBits(@ForAll @IntRange(min = 1, max = 200) int rows,
                                      @ForAll @IntRange(min = 0, max = 3) int kind, @ForAll long seed,
                                      @ForAll @IntRange(min = 0, max = 100000) int pick) {
        int cols = (int) Math.min(20_000, (1 << 19) / rows + 7);
        AggregateCase k = AggregateCase.make(rows, cols, cols + 1, 1, kind, seed);
        int c = pickC(rows, pick), groups = pickGroups(rows, pick);
        int saved = Parallelism.threads();
        float[][] first = null;
        try {
            for (int t = 1; t <= 4; t++) {
                Parallelism.setThreads(t);
                float[][] r = new float[5][cols];
                Aggregate.mean(k.g(), 1, rows, cols, k.ldg(), r[0], 0);
                Aggregate.median(k.g(), 1, rows, cols, k.ldg(), r[1], 0);
                Aggregate.trimmedMean(k.g(), 1, rows, cols, k.ldg(), c, r[2], 0);
                Aggregate.winsorizedMean(k.g(), 1, rows, cols, k.ldg(), c, r[3], 0);
                Aggregate.medianOfMeans(k.g(), 1, rows, cols, k.ldg(), groups, r[4], 0);
                if (first == null) {
                    first = r;
                } else {
                    for (int q = 0; q < 5; q++) {
                        AggregateChecks.sameBits("aggregate " + q + " with " + t + " threads", first[q], r[q]);
                    }
                }
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    /** Above the network limit (B > 1024) the general path sorts each coordinate. */
    @Example
    void largeBatchGeneralPath() {
        Random r = new Random(7);
        for (int rows : new int[] {1025, 1100}) {
            AggregateCase k = AggregateCase.make(rows, 19, 21, 2, r.nextInt(4), r.nextLong());
            float[] out = new float[19];
            Aggregate.median(k.g(), 2, rows, 19, 21, out, 0);
            double[] ref = ReferenceAggregate.median(k.g(), 2, rows, 19, 21);
            if (rows % 2 == 1) {
                AggregateChecks.exact("median B=" + rows, out, 0, ref);
            } else {
                AggregateChecks.within("median B=" + rows, out, 0, ref, new double[19], 0.5);
            }
            for (int c : new int[] {0, 3, 40, (rows - 1) / 2}) {
                Aggregate.winsorizedMean(k.g(), 2, rows, 19, 21, c, out, 0);
                AggregateChecks.within("winsorized B=" + rows + " c=" + c, out, 0,
                        ReferenceAggregate.winsorizedMean(k.g(), 2, rows, 19, 21, c),
                        ReferenceAggregate.trimWinsorBound(k.g(), 2, rows, 19, 21, c, false), 0.5);
                Aggregate.trimmedMean(k.g(), 2, rows, 19, 21, c, out, 0);
                AggregateChecks.within("trimmed B=" + rows + " c=" + c, out, 0,
                        ReferenceAggregate.trimmedMean(k.g(), 2, rows, 19, 21, c),
                        ReferenceAggregate.trimWinsorBound(k.g(), 2, rows, 19, 21, c, true), 0.5);
            }
            int groups = 1030 > rows ? 1025 : 1030;
            Aggregate.medianOfMeans(k.g(), 2, rows, 19, 21, groups, out, 0);
            AggregateChecks.within("median of " + groups + " means B=" + rows, out, 0,
                    ReferenceAggregate.medianOfMeans(k.g(), 2, rows, 19, 21, groups),
                    ReferenceAggregate.medianOfMeansBound(k.g(), 2, rows, 19, 21, groups), 1.0);
        }
    }

    /** The NaN / Inf policy on hand-made columns. */
    @Example
    void nanAndInfinityPolicy() {
        float inf = Float.POSITIVE_INFINITY, nan = Float.NaN;
        // columns: [1, NaN, 2, 3, 4], [1, 2, 3, 4, +Inf], [-Inf, 1, 2, 3, +Inf], [-Inf, -Inf, 1, 2, 3]
        float[] g = {
            1, 1, -inf, -inf,
            nan, 2, 1, -inf,
            2, 3, 2, 1,
            3, 4, 3, 2,
            4, inf, inf, 3};
        float[] out = new float[4];
        Aggregate.median(g, 0, 5, 4, 4, out, 0);
        assertEquals(java.util.List.of(nan, 3f, 2f, 1f), list(out));
        Aggregate.winsorizedMean(g, 0, 5, 4, 4, 1, out, 0);
        assertEquals(java.util.List.of(nan, (2 + 2 + 3 + 4 + 4) / 5f, (1 + 1 + 2 + 3 + 3) / 5f, -inf), list(out));
        Aggregate.trimmedMean(g, 0, 5, 4, 4, 1, out, 0);
        assertEquals(java.util.List.of(nan, 3f, 2f, -inf), list(out));
        Aggregate.mean(g, 0, 5, 4, 4, out, 0);
        assertEquals(java.util.List.of(nan, inf, nan, -inf), list(out));
        Aggregate.medianOfMeans(g, 0, 5, 4, 4, 5, out, 0);
        assertEquals(java.util.List.of(nan, 3f, 2f, 1f), list(out));
        Aggregate.trimmedMean(g, 0, 5, 4, 4, 0, out, 0);
        assertEquals(java.util.List.of(nan, inf, nan, -inf), list(out));
    }

    private static java.util.List<Float> list(float[] a) {
        java.util.List<Float> l = new java.util.ArrayList<>();
        for (float x : a) {
            l.add(x);
        }
        return l;
    }
}
