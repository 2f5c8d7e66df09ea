package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdicts of claims judged on paired differences over seeds, and the table's count line. */
class ClaimTest {
    @Test
    void aDifferenceBeyondTwoStandardErrorsHoldsOrFails() {
        // differences 0.003, 0.004, 0.005: mean 0.004, sd 0.001, s.e. 0.00058, t = 6.9
        assertEquals(Claim.Verdict.YES, Claim.ofPairedDifferences("c", "d", new double[] {0.003, 0.004, 0.005})
                .verdict());
        assertEquals(Claim.Verdict.NO, Claim.ofPairedDifferences("c", "d", new double[] {-0.003, -0.004, -0.005})
                .verdict());
    }

    @Test
    void aDifferenceWithinTwoStandardErrorsIsWithinNoise() {
        // mean 0.001, sd 0.004, se 0.0023: t = 0.43
        Claim c = Claim.ofPairedDifferences("c", "d", new double[] {0.005, -0.003, 0.001});
        assertEquals(Claim.Verdict.WITHIN_NOISE, c.verdict());
        assertTrue(!c.holds());
        assertTrue(c.measured().contains("+0.0010 +- 0.0023") && c.measured().contains("3 pairs"), c.measured());
        // No difference at all, and no spread, is no evidence either way.
        assertEquals(Claim.Verdict.WITHIN_NOISE, Claim.ofPairedDifferences("c", "d", new double[] {0, 0, 0})
                .verdict());
    }

    @Test
    void oneSeedFallsBackToTheSign() {
        assertEquals(Claim.Verdict.YES, Claim.ofPairedDifferences("c", "d", new double[] {0.001}).verdict());
        assertEquals(Claim.Verdict.NO, Claim.ofPairedDifferences("c", "d", new double[] {-0.001}).verdict());
        assertTrue(Claim.ofPairedDifferences("c", "d", new double[] {0.001}).measured().contains("no spread"));
        assertThrows(IllegalArgumentException.class, () -> Claim.ofPairedDifferences("c", "d", new double[0]));
    }

    @Test
    void theTableCountsHoldingClaimsAndNamesTheUndecided() {
        String t = ClaimTable.format(List.of(new Claim("a", "1", true), new Claim("b", "2", false),
                new Claim("c", "3", Claim.Verdict.WITHIN_NOISE)));
        assertTrue(t.contains("within noise") && t.contains(" NO") && t.contains("yes"), t);
        assertTrue(t.contains("1 of 3 claims hold in this run (1 within seed-to-seed noise"), t);
        assertTrue(ClaimTable.format(List.of(new Claim("a", "1", true))).endsWith("1 of 1 claims hold in this run.\n"));
    }
}
