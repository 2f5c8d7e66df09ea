package dev.simdgrad.spark.byzantine;

import dev.simdgrad.experiments.Claim;
import dev.simdgrad.experiments.Verdict;
import dev.simdgrad.spark.byzantine.ByzantineRobustness.Run;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdicts on canned runs (no Spark): each claim's direction, the margin, diverged runs at chance. */
class ByzantineClaimsTest {
    private static final double CHANCE = 0.1;

    private static Run run(String attack, int f, String agg, long seed, double acc) {
        return new Run(attack, f, agg, seed, acc, 0.5, new int[0], 1.0, null);
    }

    private static Run diverged(String attack, int f, String agg, long seed) {
        return new Run(attack, f, agg, seed, Double.NaN, Double.NaN, new int[0], 1.0, "training diverged: test");
    }

    /** Three seeds; attack-free mean 0.80 (+- 0.002), median 0.79; under attack the given accuracies. */
    private static List<Run> runs(double meanUnderAttack, double medianUnderAttack, boolean meanDiverges) {
        List<Run> runs = new ArrayList<>();
        double[] jitter = {-0.002, 0, 0.002};
        for (int s = 0; s < 3; s++) {
            runs.add(run("none", 0, "mean", s, 0.80 + jitter[s]));
            runs.add(run("none", 0, "median", s, 0.79 + jitter[s]));
            for (int f = 1; f <= 2; f++) {
                runs.add(meanDiverges ? diverged("signFlip", f, "mean", s)
                        : run("signFlip", f, "mean", s, meanUnderAttack + jitter[(s + 1) % 3]));
                runs.add(run("signFlip", f, "median", s, medianUnderAttack + jitter[(s + 2) % 3]));
            }
        }
        return runs;
    }

    private static Claim claim(List<Claim> claims, String start) {
        return claims.stream().filter(c -> c.paper().startsWith(start)).findFirst().orElseThrow();
    }

    @Test
    void theMeanFailsAndTheMedianHolds() {
        List<Claim> claims = ByzantineClaims.of(runs(0.30, 0.78, false), CHANCE);
        assertEquals(3, claims.size(), claims.toString());
        assertEquals(Verdict.YES, claim(claims, "signFlip: the mean fails").verdict());
        assertEquals(Verdict.YES, claim(claims, "signFlip: median stays near").verdict());
        assertEquals(Verdict.YES, claim(claims, "no attack: median").verdict());
    }

    @Test
    void aMeanThatHoldsUpAndAMedianThatFallsAreNo() {
        List<Claim> claims = ByzantineClaims.of(runs(0.79, 0.50, false), CHANCE);
        assertEquals(Verdict.NO, claim(claims, "signFlip: the mean fails").verdict());
        assertEquals(Verdict.NO, claim(claims, "signFlip: median stays near").verdict());
    }

    @Test
    void withinTheMarginIsNear() {
        // 0.77 is 3 points below 0.80: inside the 5-point margin, so near; the mean at 0.77 has not failed.
        List<Claim> claims = ByzantineClaims.of(runs(0.77, 0.77, false), CHANCE);
        assertEquals(Verdict.YES, claim(claims, "signFlip: median stays near").verdict());
        assertEquals(Verdict.NO, claim(claims, "signFlip: the mean fails").verdict());
    }

    @Test
    void aDivergedMeanCountsAtChance() {
        Claim c = claim(ByzantineClaims.of(runs(0, 0.78, true), CHANCE), "signFlip: the mean fails");
        assertEquals(Verdict.YES, c.verdict());
        assertTrue(c.measured().contains("diverged, counted at chance"), c.measured());
    }

    @Test
    void oneSeedIsWithinNoise() {
        List<Run> one = runs(0.30, 0.78, false).stream().filter(r -> r.seed() == 0).toList();
        for (Claim c : ByzantineClaims.of(one, CHANCE)) {
            assertEquals(Verdict.WITHIN_NOISE, c.verdict(), c.toString());
        }
    }

    @Test
    void configRefusesAGridWithoutItsReferences() {
        List<Long> seeds = List.of(1L);
        var d = ByzantineRobustness.Config.small(null, seeds);
        assertThrows(IllegalArgumentException.class, () -> new ByzantineRobustness.Config(null, 100, 10, List.of(), 8,
                List.of(1, 2), d.attacks(), d.aggregators(), 1, 100, 0.1, 1, seeds, "local[1]"));
        assertThrows(IllegalArgumentException.class, () -> new ByzantineRobustness.Config(null, 100, 10, List.of(), 8,
                d.fs(), d.attacks(), List.of("median"), 1, 100, 0.1, 1, seeds, "local[1]"));
        assertThrows(IllegalArgumentException.class, () -> new ByzantineRobustness.Config(null, 100, 10, List.of(), 8,
                List.of(0, 8), d.attacks(), d.aggregators(), 1, 100, 0.1, 1, seeds, "local[1]"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByzantineRobustness.check(
                new ByzantineRobustness.Config(Path.of("x"), 100, 10, List.of(), 8, d.fs(), d.attacks(),
                        List.of("mean", "krum:3"), 1, 100, 0.1, 1, seeds, "local[1]")));
        assertTrue(e.getMessage().contains("krum:3"), e.getMessage());
        assertEquals((1 + 3 * 5) * 6, d.runCount());
    }
}
