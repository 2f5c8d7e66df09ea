package dev.simdgrad.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The verdicts of claims: paired differences over seeds, a diverged seed, a vacuous bound; the spread of seeds. */
class ClaimTest {
    @Test
    void aDifferenceBeyondTwoStandardErrorsHoldsOrFails() {
        // differences 0.003, 0.004, 0.005: mean 0.004, sd 0.001, s.e. 0.00058, t = 6.9
        assertEquals(Verdict.YES, Claim.ofPairedDifferences("c", "d", new double[] {0.003, 0.004, 0.005})
                .verdict());
        assertEquals(Verdict.NO, Claim.ofPairedDifferences("c", "d", new double[] {-0.003, -0.004, -0.005})
                .verdict());
    }

    @Test
    void aDifferenceWithinTwoStandardErrorsIsWithinNoise() {
        // mean 0.001, sd 0.004, se 0.0023: t = 0.43
        Claim c = Claim.ofPairedDifferences("c", "d", new double[] {0.005, -0.003, 0.001});
        assertEquals(Verdict.WITHIN_NOISE, c.verdict());
        assertTrue(!c.holds());
        assertTrue(c.measured().contains("+0.0010 +- 0.0023") && c.measured().contains("3 seeds"), c.measured());
        // No difference at all, and no spread, is no evidence either way.
        assertEquals(Verdict.WITHIN_NOISE, Claim.ofPairedDifferences("c", "d", new double[] {0, 0, 0})
                .verdict());
    }

    @Test
    void oneSeedIsAlwaysWithinNoise() {
        assertEquals(Verdict.WITHIN_NOISE, Claim.ofPairedDifferences("c", "d", new double[] {0.001}).verdict());
        assertEquals(Verdict.WITHIN_NOISE, Claim.ofPairedDifferences("c", "d", new double[] {-0.5}).verdict());
        assertTrue(Claim.ofPairedDifferences("c", "d", new double[] {0.001}).measured().contains("no spread"));
        assertThrows(IllegalArgumentException.class, () -> Claim.ofPairedDifferences("c", "d", new double[0]));
    }

    @Test
    void aDivergedSeedLeavesTheClaimUnjudged() {
        Claim c = Claim.ofPairedDifferences("c", "d", new double[] {0.1, Double.NaN, 0.2});
        assertEquals(Verdict.NOT_JUDGED, c.verdict());
        assertTrue(c.measured().contains("1 of 3 seeds"), c.measured());
    }

    @Test
    void aVacuousClaimSaysWhy() {
        Claim c = Claim.vacuous("bound", "error 0.1 <= 1.3", "the bound is >= 1");
        assertEquals(Verdict.VACUOUS, c.verdict());
        assertFalse(c.holds());
        assertTrue(c.measured().endsWith("vacuous: the bound is >= 1"), c.measured());
    }

    @Test
    void theSpreadOfSeeds() {
        Spread s = Spread.of(1, 2, 3);
        assertEquals(2, s.mean());
        assertEquals(1, s.sd());
        assertEquals(1 / Math.sqrt(3), s.standardError(), 1e-15);
        assertEquals(0, Spread.of(5).sd());
        assertThrows(IllegalArgumentException.class, Spread::of);
    }
}
