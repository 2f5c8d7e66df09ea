package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.kernels.BlockwiseAggregate;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link BlockwiseAggregate}: the whole-row rules with the columns cut into 1 to 6 blocks (cut points at random,
 * empty blocks included), each block adding its distances and writing its columns from the outcome. Every property
 * of {@link RobustAggregatePropertiesTest} runs again on this path against the same double reference, with the
 * distance bounds for {@code cols + blocks} columns: a distance summed over B blocks is within
 * {@code gamma(130) + gamma_d(max cols_b + 16) + gamma_d(B - 1)} relative, at most
 * {@code ReferenceRobust.directRelative(cols + B)}, and the Gram fallback's absolute terms summed over the blocks
 * stay within the whole-row one (Cauchy-Schwarz). Plus: with one block it is {@link Aggregate}, bit for bit.
 */
class BlockwiseAggregatePropertiesTest extends RobustAggregatePropertiesTest {

    /** The block cut points of a case: 0 = c_0 <= c_1 <= ... <= c_B = cols, B in 1..6, from the case's seed. */
    static int[] cuts(RobustCase k) {
        Random r = new Random(k.seed() * 31 + 7);
        int blocks = 1 + r.nextInt(6);
        int[] c = new int[blocks + 1];
        for (int b = 1; b < blocks; b++) {
            c[b] = r.nextInt(k.cols() + 1);
        }
        c[blocks] = k.cols();
        Arrays.sort(c, 1, blocks);
        return c;
    }

    @Override
    int boundCols(RobustCase k) {
        return k.cols() + cuts(k).length - 1;
    }

    @Override
    Rules rules(RobustCase k) {
        return new Blocked(cuts(k));
    }

    /** The rules computed block by block over the given cuts (the cuts' last point is the cols argument). */
    record Blocked(int[] cuts) implements Rules {
        double[] distances(float[] g, int go, int rows, int ldg, float[] center, int co) {
            int n = rows + (center != null ? 1 : 0);
            double[] d = new double[BlockwiseAggregate.distancesLength(n)];
            for (int b = 0; b + 1 < cuts.length; b++) {
                int c0 = cuts[b], cb = cuts[b + 1] - c0;
                if (center == null) {
                    BlockwiseAggregate.addDistances(g, go + c0, rows, cb, ldg, d);
                } else {
                    BlockwiseAggregate.addDistances(g, go + c0, rows, cb, ldg, center, co + c0, d);
                }
            }
            return d;
        }

        void apply(BlockwiseAggregate.Outcome o, float[] g, int go, int ldg, float[] center, int co, float[] out,
                   int oo) {
            for (int b = 0; b + 1 < cuts.length; b++) {
                int c0 = cuts[b];
                o.apply(g, go + c0, cuts[b + 1] - c0, ldg, center, co + c0, out, oo + c0);
            }
        }

        private void check(int cols) {
            assertEquals(cuts[cuts.length - 1], cols, "the cuts are for another column count");
        }

        @Override
        public int krum(float[] g, int go, int rows, int cols, int ldg, int f, float[] out, int oo) {
            check(cols);
            BlockwiseAggregate.Outcome o = BlockwiseAggregate.krum(distances(g, go, rows, ldg, null, 0), rows, f);
            apply(o, g, go, ldg, null, 0, out, oo);
            return o.selectedRow();
        }

        @Override
        public void multiKrum(float[] g, int go, int rows, int cols, int ldg, int f, int m, float[] out, int oo) {
            check(cols);
            apply(BlockwiseAggregate.multiKrum(distances(g, go, rows, ldg, null, 0), rows, f, m), g, go, ldg, null,
                    0, out, oo);
        }

        @Override
        public int geometricMedian(float[] g, int go, int rows, int cols, int ldg, double nu, int maxIterations,
                                   double tolerance, float[] out, int oo) {
            check(cols);
            BlockwiseAggregate.Outcome o = BlockwiseAggregate.geometricMedian(distances(g, go, rows, ldg, null, 0),
                    rows, nu, maxIterations, tolerance);
            apply(o, g, go, ldg, null, 0, out, oo);
            return o.iterations();
        }

        @Override
        public void centeredClipping(float[] g, int go, int rows, int cols, int ldg, float[] center, int co,
                                     float tau, int iterations, float[] out, int oo) {
            check(cols);
            // the distances read the center before any block's result can overwrite it (out may be the center)
            BlockwiseAggregate.Outcome o = BlockwiseAggregate.centeredClipping(
                    distances(g, go, rows, ldg, center, co), rows, tau, iterations);
            apply(o, g, go, ldg, center, co, out, oo);
        }

        @Override
        public void bulyan(float[] g, int go, int rows, int cols, int ldg, int f, float[] out, int oo) {
            check(cols);
            apply(BlockwiseAggregate.bulyan(distances(g, go, rows, ldg, null, 0), rows, f), g, go, ldg, null, 0,
                    out, oo);
        }
    }

    /** One block is the explicit rule: the same distance pass, rule and output pass, so the same bits. */
    @Property(tries = 100)
    void oneBlockIsTheExplicitRuleBitForBit(@ForAll("cases") RobustCase k,
                                            @ForAll @IntRange(min = 0, max = 1000) int pick) {
        int n = k.rows(), cols = k.cols();
        Blocked one = new Blocked(new int[] {0, cols});
        float[] center = new float[cols];
        Random rnd = new Random(pick);
        for (int j = 0; j < cols; j++) {
            center[j] = (float) rnd.nextGaussian();
        }
        float[] a = new float[cols], b = new float[cols];
        int f2 = pickF(n, 2, pick), f4 = pickF(n, 4, pick), m = 1 + pick % n;
        assertEquals(Aggregate.krum(k.g(), k.offset(), n, cols, k.ldg(), f2, a, 0),
                one.krum(k.g(), k.offset(), n, cols, k.ldg(), f2, b, 0), "krum's row " + k);
        AggregateChecks.sameBits("krum " + k, a, b);
        Aggregate.multiKrum(k.g(), k.offset(), n, cols, k.ldg(), f2, m, a, 0);
        one.multiKrum(k.g(), k.offset(), n, cols, k.ldg(), f2, m, b, 0);
        AggregateChecks.sameBits("multi-krum " + k, a, b);
        assertEquals(Aggregate.geometricMedian(k.g(), k.offset(), n, cols, k.ldg(), 1e-6, 1 + pick % 20, 1e-6, a, 0),
                one.geometricMedian(k.g(), k.offset(), n, cols, k.ldg(), 1e-6, 1 + pick % 20, 1e-6, b, 0),
                "geometric median's iterations " + k);
        AggregateChecks.sameBits("geometric median " + k, a, b);
        Aggregate.centeredClipping(k.g(), k.offset(), n, cols, k.ldg(), center, 0, 0.5f, 1 + pick % 4, a, 0);
        one.centeredClipping(k.g(), k.offset(), n, cols, k.ldg(), center, 0, 0.5f, 1 + pick % 4, b, 0);
        AggregateChecks.sameBits("centered clipping " + k, a, b);
        Aggregate.bulyan(k.g(), k.offset(), n, cols, k.ldg(), f4, a, 0);
        one.bulyan(k.g(), k.offset(), n, cols, k.ldg(), f4, b, 0);
        AggregateChecks.sameBits("bulyan " + k, a, b);
    }

    /** What an outcome reports: Krum's row and weights, the center's weight, and NaN for a non-finite row. */
    @Example
    void outcomesReportWhatTheRuleDecided() {
        float[] g = {0, 1, 2, 3, 100};
        double[] d = new double[BlockwiseAggregate.distancesLength(5)];
        BlockwiseAggregate.addDistances(g, 0, 5, 1, 1, d);
        BlockwiseAggregate.Outcome krum = BlockwiseAggregate.krum(d, 5, 1);
        assertEquals(1, krum.selectedRow());
        assertTrue(krum.finite());
        assertEquals(1.0, krum.weights()[1]);
        assertEquals(5, krum.rows());
        assertArrayEquals(new int[]{1}, krum.selectedRows());
        assertArrayEquals(new int[]{1, 2}, BlockwiseAggregate.multiKrum(d, 5, 1, 2).selectedRows(),
                "Multi-Krum's two best scores: rows 1 and 2 (2 each)");
        assertArrayEquals(new int[]{0, 1, 2, 3, 4}, BlockwiseAggregate.bulyan(d, 5, 0).selectedRows());
        float[] center = {2};
        double[] dc = new double[BlockwiseAggregate.distancesLength(6)];
        BlockwiseAggregate.addDistances(g, 0, 5, 1, 1, center, 0, dc);
        BlockwiseAggregate.Outcome cc = BlockwiseAggregate.centeredClipping(dc, 5, 1f, 1);
        assertTrue(cc.needsCenter());
        double sum = cc.centerWeight();
        for (double w : cc.weights()) {
            sum += w;
        }
        assertEquals(1.0, sum, 1e-12, "centered clipping's iterate is an affine combination: " + cc);
        g[2] = Float.NaN;
        Arrays.fill(d, 0);
        BlockwiseAggregate.addDistances(g, 0, 5, 1, 1, d);
        BlockwiseAggregate.Outcome gm = BlockwiseAggregate.geometricMedian(d, 5, 1e-6, 5, 0);
        float[] out = {7};
        gm.apply(g, 0, 1, 1, null, 0, out, 0);
        assertTrue(!gm.finite() && Float.isNaN(out[0]), "a NaN row makes the geometric median NaN: " + gm);
    }

    /** Bad arguments are refused before anything is written, naming the argument. */
    @Example
    void badArgumentsAreRefused() {
        float[] g = new float[12];
        double[] d = new double[BlockwiseAggregate.distancesLength(3)];
        assertThrows(IndexOutOfBoundsException.class, () -> BlockwiseAggregate.addDistances(g, 0, 4, 3, 3, d));
        assertThrows(IllegalArgumentException.class, () -> BlockwiseAggregate.addDistances(g, 0, 3, 4, 3, d));
        assertThrows(IllegalArgumentException.class, () -> BlockwiseAggregate.addDistances(g, 0, 3, 4, 4, null));
        assertThrows(IllegalArgumentException.class, () -> BlockwiseAggregate.addDistances(g, 0, 3, 4, 4, null, 0,
                new double[20]));
        assertThrows(IllegalArgumentException.class, () -> BlockwiseAggregate.krum(d, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> BlockwiseAggregate.multiKrum(d, 3, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> BlockwiseAggregate.geometricMedian(d, 3, 0, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> BlockwiseAggregate.centeredClipping(new double[20], 3,
                Float.NaN, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> BlockwiseAggregate.centeredClipping(d, 3, 1f, 1));
        assertThrows(IllegalArgumentException.class, () -> BlockwiseAggregate.bulyan(d, 3, 1));
        BlockwiseAggregate.Outcome o = BlockwiseAggregate.geometricMedian(d, 3, 1e-6, 1, 0);
        float[] out = {9, 9, 9, 9};
        assertThrows(IllegalArgumentException.class, () -> o.apply(g, 0, 4, 4, null, 0, g, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> o.apply(g, 0, 4, 4, null, 0, out, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> o.apply(g, 1, 4, 4, null, 0, out, 0));
        BlockwiseAggregate.Outcome cc = BlockwiseAggregate.centeredClipping(new double[20], 3, 1f, 1);
        assertThrows(IllegalArgumentException.class, () -> cc.apply(g, 0, 4, 4, null, 0, out, 0));
        for (float v : out) {
            assertEquals(9f, v, "nothing written on a refused call");
        }
    }
}
