package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The coherence reference on cases with known answers, and the size of its bound. */
class ReferenceCoherenceTest {

    private static double[] gaussian(SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void knownValues() {
        SplittableRandom r = new SplittableRandom(1);
        double[] g = gaussian(r, 37);
        assertEquals(1.0, ReferenceCoherence.of(new double[][] {g}).mCoherence(), 0.0, "B = 1");
        ReferenceCoherence same = ReferenceCoherence.of(new double[][] {g, g, g, g, g, g, g});
        assertEquals(7.0, same.mCoherence(), 1e-14, "identical");
        assertEquals(1.0, same.alpha(), 1e-15, "identical: alpha = 1");
        double[][] orthogonal = new double[5][9];
        for (int i = 0; i < 5; i++) {
            orthogonal[i][2 * i] = 1 + i;
        }
        assertEquals(1.0, ReferenceCoherence.of(orthogonal).mCoherence(), 0.0, "orthogonal");
        assertTrue(Double.isNaN(ReferenceCoherence.of(new double[3][4]).mCoherence()), "zero: 0/0");
        assertEquals(0.0, ReferenceCoherence.of(new double[][] {{1, 2}, {-1, -2}}).mCoherence(), 0.0, "opposite");
        assertEquals(ReferencePerExample.mCoherence(orthogonal), ReferenceCoherence.of(orthogonal).mCoherence());
    }

    @Test
    void theBoundIsAFewRoundingsNotAFudge() {
        // 20 random gradients of length 50, a float sum within gamma(B + 3) M_q and norms within gamma(2): the
        // m-coherence bound is some 1e-5 relative, nowhere near the size of the quantity.
        SplittableRandom r = new SplittableRandom(2);
        double[][] g = new double[20][];
        for (int i = 0; i < g.length; i++) {
            g[i] = gaussian(r, 50);
        }
        ReferenceCoherence ref = ReferenceCoherence.of(g);
        double[] e = new double[50], f = new double[20];
        for (int q = 0; q < e.length; q++) {
            e[q] = ErrorBounds.gamma(23) * ref.magnitude()[q];
        }
        for (int i = 0; i < f.length; i++) {
            f[i] = ErrorBounds.gamma(2) * ref.squaredNorms()[i];
        }
        double bound = ref.mCoherenceBound(e, f);
        assertTrue(bound > 0 && bound < 1e-4 * ref.mCoherence(), () -> bound + " vs " + ref.mCoherence());
        assertEquals(bound / 20, ref.alphaBound(bound), 1e-3 * bound / 20);
    }

    @Test
    void theQuotientBoundIsExactAlgebra() {
        // N' = N + numErr and D' = D - denErr are the worst case: the bound must cover it.
        double n = 3, d = 2, ne = 1e-3, de = 1e-3;
        double worst = Math.abs((n + ne) / (d - de) - n / d);
        assertTrue(worst <= ReferenceCoherence.quotientBound(n, ne, d, de));
        assertEquals(Double.POSITIVE_INFINITY, ReferenceCoherence.quotientBound(1, 0, 1, 1), "D may vanish");
    }
}
