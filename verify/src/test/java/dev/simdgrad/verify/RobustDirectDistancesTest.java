package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Aggregate;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The explicit rules' squared distances summed directly in float lanes (not as {@code G_ii + G_jj - 2 G_ij}): rows
 * close to each other and far from the origin, where a float Gram matrix (an SGEMM) would lose the distances to
 * cancellation and even the double Gram's worst-case bound {@code gamma_d(cols) (|g_i| + |g_j|)^2} is often as large
 * as the distances, are told apart within the direct bound alone ({@link ReferenceRobust#directRelative}); and rows
 * whose squares overflow float take the double Gram fallback and still give the reference's selection. (The double
 * Gram's actual error is far below its worst case on these rows: this test holds for it too. What the direct path
 * buys is the float rate at an error relative to each distance.)
 */
class RobustDirectDistancesTest {

    /**
     * Rows {@code c + s_i z_i} with {@code |c_k| ~ 3000} and spreads {@code s_i ~ 1e-3} that differ from row to row,
     * so one row (the least spread) usually has a clearly smallest Krum score. Krum must pick the reference's row
     * whenever the best and any other score differ by more than the direct bound alone (2 rho d_ij + cols 2^-149
     * per distance): the rows are finite and far from overflow, so the direct path is the one taken.
     */
    @Property(tries = 80)
    void krumTellsCloseRowsFarFromTheOriginApart(@ForAll @IntRange(min = 5, max = 12) int n,
                                                 @ForAll @IntRange(min = 1, max = 3000) int cols,
                                                 @ForAll @LongRange(min = 0, max = 1L << 40) long seed) {
        Random rnd = new Random(seed);
        int f = (n - 3) / 2;
        double[] spread = new double[n];
        for (int i = 0; i < n; i++) {
            spread[i] = 1e-3 * (1 + 0.25 * i);
        }
        for (int i = n - 1; i > 0; i--) { // shuffle, so the least spread row is anywhere
            int j = rnd.nextInt(i + 1);
            double t = spread[i];
            spread[i] = spread[j];
            spread[j] = t;
        }
        float[] c = new float[cols];
        for (int k = 0; k < cols; k++) {
            c[k] = (float) (3000 * (1 + rnd.nextDouble()));
        }
        int ldg = cols + rnd.nextInt(3), offset = rnd.nextInt(4);
        float[] g = new float[offset + n * ldg];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < cols; k++) {
                g[offset + i * ldg + k] = (float) (c[k] + spread[i] * rnd.nextGaussian());
            }
        }
        float[] out = new float[cols];
        int idx = Aggregate.krum(g, offset, n, cols, ldg, f, out, 0);
        double[][] r = ReferenceRobust.rows(g, offset, n, cols, ldg);
        double[][] d = ReferenceRobust.distances(r);
        boolean[] active = RobustAggregatePropertiesTest.all(n);
        double[] sc = ReferenceRobust.krumScores(r, d, active, f);
        int best = ReferenceRobust.argMin(sc, active), k = n - f - 2;
        double gramError = 0;
        for (int i = 0; i < n; i++) {
            double t = 2 * ReferenceRobust.norm(r[i]);
            gramError = Math.max(gramError, ErrorBounds.gammaDouble(cols + 2) * t * t);
        }
        boolean nearTie = false;
        for (int j = 0; j < n; j++) {
            if (j != best && sc[j] - sc[best] <= directScoreBound(d, best, k, cols) + directScoreBound(d, j, k, cols)) {
                nearTie = true;
            }
        }
        double smallest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                smallest = Math.min(smallest, d[i][j]);
            }
        }
        Statistics.label("double Gram worst-case bound vs smallest distance").collect(gramError >= smallest
                ? "bound >= distance" : "bound < distance");
        Statistics.label("selection").collect(nearTie ? "near tie: either row accepted" : "clear: same row");
        if (!nearTie) {
            assertEquals(best, idx, "krum over rows ~3000 +- 1e-3, cols " + cols + ", seed " + seed + ": scores "
                    + Arrays.toString(sc));
        }
        assertTrue(idx >= 0);
        assertEquals(Arrays.toString(Arrays.copyOfRange(g, offset + idx * ldg, offset + idx * ldg + cols)),
                Arrays.toString(out), "krum output is its row");
    }

    /** The direct path's score bound: the sum of the k largest {@code 2 rho d_ij + cols 2^-149} over the other rows. */
    private static double directScoreBound(double[][] d, int i, int k, int cols) {
        double[] e = new double[d.length - 1];
        int c = 0;
        for (int j = 0; j < d.length; j++) {
            if (j != i) {
                e[c++] = 2 * ReferenceRobust.directRelative(cols) * d[i][j] + ReferenceRobust.directAbsolute(cols);
            }
        }
        return ReferenceRobust.largestSum(e, c, k);
    }

    /**
     * Rows around 1e20 (their differences' squares overflow float) with one row far off: the direct sums are not
     * finite, the rules take the double Gram fallback, and Krum, Multi-Krum and the geometric median still agree
     * with the reference: the far row is never selected, and the geometric median stays among the close rows.
     */
    @Property(tries = 30)
    void overflowingRowsFallBackToTheDoubleGram(@ForAll @IntRange(min = 5, max = 9) int n,
                                                @ForAll @IntRange(min = 1, max = 200) int cols,
                                                @ForAll @LongRange(min = 0, max = 1L << 40) long seed) {
        Random rnd = new Random(seed);
        float[] g = new float[n * cols];
        int far = rnd.nextInt(n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < cols; k++) {
                g[i * cols + k] = (float) (1e20 * (1 + 0.1 * rnd.nextGaussian()) * (i == far ? -5 : 1));
            }
        }
        float[] out = new float[cols];
        int idx = Aggregate.krum(g, 0, n, cols, cols, 1, out, 0);
        double[][] r = ReferenceRobust.rows(g, 0, n, cols, cols);
        double[][] d = ReferenceRobust.distances(r);
        boolean[] active = RobustAggregatePropertiesTest.all(n);
        double[] sc = ReferenceRobust.krumScores(r, d, active, 1);
        double[] norms = RobustAggregatePropertiesTest.norms(r);
        int best = ReferenceRobust.argMin(sc, active), k = n - 3;
        assertTrue(idx >= 0 && idx != far, "krum picked " + idx + ", the far row is " + far);
        assertTrue(sc[idx] <= sc[best] + ReferenceRobust.scoreBound(norms, d, active, best, k, cols)
                + ReferenceRobust.scoreBound(norms, d, active, idx, k, cols), "krum " + idx + " vs " + best);
        Aggregate.geometricMedian(g, 0, n, cols, cols, 1.0, 200, 0.0, out, 0);
        double[] z = new double[cols];
        for (int j = 0; j < cols; j++) {
            z[j] = out[j];
            assertTrue(Float.isFinite(out[j]), "geometric median finite");
        }
        double farDistance = ReferenceRobust.distance(z, r[far]);
        for (int i = 0; i < n; i++) {
            if (i != far) {
                assertTrue(ReferenceRobust.distance(z, r[i]) < farDistance, "geometric median nearer row " + i
                        + " than the far row");
            }
        }
    }
}
