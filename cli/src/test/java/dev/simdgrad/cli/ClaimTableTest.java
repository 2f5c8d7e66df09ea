package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.experiments.Claim;
import dev.simdgrad.experiments.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict table's count line names the claims that hold, the undecided and the vacuous. */
class ClaimTableTest {
    @Test
    void theTableCountsHoldingClaimsAndNamesTheUndecided() {
        String t = ClaimTable.format(List.of(Claim.judged("a", "1", true), Claim.judged("b", "2", false),
                new Claim("c", "3", Verdict.WITHIN_NOISE), Claim.vacuous("d", "4", "bound >= 1")));
        assertTrue(t.contains("within noise") && t.contains(" NO") && t.contains("yes") && t.contains("vacuous"), t);
        assertTrue(t.contains("1 of 4 claims hold in this run (1 within seed-to-seed noise"), t);
        assertTrue(t.contains("1 vacuous: could not have failed here"), t);
        assertTrue(ClaimTable.format(List.of(Claim.judged("a", "1", true))).endsWith("1 of 1 claims hold in this run.\n"));
    }
}
