package dev.simdgrad.experiments.coherent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.experiments.Claim;
import dev.simdgrad.experiments.TrainingRun;
import dev.simdgrad.experiments.Verdict;
import dev.simdgrad.experiments.coherent.CoherentGradients.CoherenceTrace;
import dev.simdgrad.experiments.coherent.CoherentGradients.Run;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The claims of Coherent Gradients on constructed runs: each verdict can come out "yes", "NO" or "within noise"
 * depending on the numbers, and reads the end of training as the median of the last epochs.
 */
class CoherentGradientsClaimsTest {

    /** A run whose every epoch has these accuracies (pristine, corrupt, test); train = their mean. */
    private static Run run(long seed, int c, double pristine, double corrupt, double test) {
        List<TrainingRun.Epoch> epochs = new ArrayList<>();
        for (int e = 1; e <= 6; e++) {
            // Pristine accuracy rises to its final value at epoch 3, so the equal-accuracy control has a level.
            double p = e >= 3 ? pristine : pristine * e / 3;
            epochs.add(new TrainingRun.Epoch(e, 0.1, (p + corrupt) / 2, p, corrupt, 1.0, test, 1.0, 1.0, e));
        }
        return new Run(0.5, seed, "winsorize:" + c, c, 0.55, epochs, null);
    }

    private static Claim find(List<Claim> claims, String part) {
        return claims.stream().filter(c -> c.paper().contains(part)).findFirst().orElseThrow(
                () -> new AssertionError(part + " not in " + claims));
    }

    @Test
    void aConsistentEffectOverSeedsIsYesAndItsReverseIsNo() {
        List<Run> runs = new ArrayList<>();
        for (long s = 1; s <= 3; s++) {
            runs.add(run(s, 0, 1.0, 0.95 + 0.01 * s, 0.50));
            runs.add(run(s, 4, 0.98, 0.70 + 0.01 * s, 0.55 + 0.001 * s));
        }
        List<Claim> claims = CoherentGradientsClaims.of(runs, List.of());
        assertEquals(Verdict.YES, find(claims, "fits the corrupt labels less").verdict(), claims.toString());
        assertEquals(Verdict.YES, find(claims, "generalizes better").verdict());
        assertEquals(Verdict.YES, find(claims, "at equal pristine-set accuracy").verdict());
        // Train accuracy (0.98 + 0.71) / 2 = 0.845 > 0.55 correct labels: memorization, the claim fails.
        assertEquals(Verdict.NO, find(claims, "with c = 4 training accuracy stays below").verdict());
        List<Run> reversed = new ArrayList<>();
        for (long s = 1; s <= 3; s++) {
            reversed.add(run(s, 0, 1.0, 0.60 + 0.01 * s, 0.55));
            reversed.add(run(s, 4, 1.0, 0.90 + 0.02 * s, 0.50));
        }
        List<Claim> r = CoherentGradientsClaims.of(reversed, List.of());
        assertEquals(Verdict.NO, find(r, "fits the corrupt labels less").verdict());
        assertEquals(Verdict.NO, find(r, "generalizes better").verdict());
    }

    @Test
    void differencesOfEitherSignAcrossSeedsAreWithinNoise() {
        List<Run> runs = new ArrayList<>();
        double[] corrupt4 = {0.80, 0.99, 0.85};
        for (long s = 1; s <= 3; s++) {
            runs.add(run(s, 0, 1.0, 0.90, 0.5));
            runs.add(run(s, 4, 1.0, corrupt4[(int) s - 1], 0.5));
        }
        assertEquals(Verdict.WITHIN_NOISE, find(CoherentGradientsClaims.of(runs, List.of()),
                "fits the corrupt labels less").verdict());
    }

    @Test
    void theEndOfTrainingIsTheMedianOfTheLastEpochsNotTheLastOne() {
        List<TrainingRun.Epoch> epochs = new ArrayList<>();
        for (int e = 1; e <= 10; e++) {
            double corrupt = e == 10 ? 0.1 : 0.9;   // a loss spike in the last epoch
            epochs.add(new TrainingRun.Epoch(e, 0.1, 0.9, 0.9, corrupt, 1.0, 0.5, 1.0, 1.0, e));
        }
        Run r = new Run(0.5, 1, "winsorize:0", 0, 0.55, epochs, null);
        assertEquals(0.9, r.atEnd(TrainingRun.Epoch::corruptedAccuracy));
        assertEquals(0.1, r.last().corruptedAccuracy());
    }

    @Test
    void overfittingThatRisesWithCIsNotMonotone() {
        List<Run> runs = new ArrayList<>();
        for (long s = 1; s <= 3; s++) {
            runs.add(run(s, 0, 1.0, 0.9, 0.50));
            runs.add(run(s, 2, 0.9, 0.5, 0.60));
            runs.add(run(s, 4, 1.0, 1.0, 0.40 - 0.01 * s));   // overfits more than c = 2
        }
        assertEquals(Verdict.NO, find(CoherentGradientsClaims.of(runs, List.of()), "monotonically").verdict());
    }

    @Test
    void coherenceIsComparedPerSeedBetweenRealAndRandomLabels() {
        List<CoherenceTrace> traces = new ArrayList<>();
        for (long s = 1; s <= 3; s++) {
            traces.add(new CoherenceTrace(0, s, new double[] {2, 2.5 + 0.1 * s, 3}));
            traces.add(new CoherenceTrace(1, s, new double[] {1.5, 1.0, 1.1}));
        }
        Claim c = find(CoherentGradientsClaims.of(List.of(), traces), "more coherent");
        assertEquals(Verdict.YES, c.verdict());
        assertTrue(c.paper().contains("first 3 steps"), c.paper());
        List<CoherenceTrace> flipped = traces.stream().map(t -> new CoherenceTrace(1 - t.noise(), t.seed(),
                t.mCoherence())).toList();
        assertEquals(Verdict.NO, find(CoherentGradientsClaims.of(List.of(), flipped), "more coherent").verdict());
    }

    @Test
    void theDeviationsNameWhatDiffersAndWhatMatches() {
        var small = CoherentGradients.Config.small(null, List.of(1L, 2L, 3L));
        var d = CoherentGradientsClaims.deviations(small, 1000, 1000, true);
        assertTrue(d.stream().anyMatch(x -> x.aspect().equals("optimizer") && x.matches()), d.toString());
        assertTrue(d.stream().anyMatch(x -> x.aspect().equals("network") && !x.matches()
                && x.ours().startsWith("784-128-128-128-10")), d.toString());
        var full = CoherentGradients.Config.full(null, List.of(1L));
        assertTrue(CoherentGradientsClaims.deviations(full, 60000, 10000, false).stream()
                .anyMatch(x -> x.aspect().equals("network") && x.matches()));
    }
}
