package dev.simdgrad.experiments.minnorm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.experiments.Claim;
import dev.simdgrad.experiments.DataSource;
import dev.simdgrad.experiments.ProgressSink;
import dev.simdgrad.experiments.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The min-norm claims on constructed runs: a bound at or above 1 is vacuous, a run at the step cap is not judged as
 * converged, and the verdicts that can fail do fail on numbers that contradict them.
 */
class MinNormClaimsTest {
    private static final MinNorm.Config CONFIG = new MinNorm.Config(null, DataSource.Embedded.FASHION_MNIST, 100, 2,
            4, List.of(128, 2048), 128, List.of(0.0, 1.0), 1e-4, 1000, 3, 1);

    /** A converged run with the given distances; the rest fixed. */
    private static MinNorm.Run run(long seed, int m, double p, double rel, double linRel, double dist,
                                   double bound, int steps, boolean converged) {
        return new MinNorm.Run(seed, m, p, steps, converged, converged ? 5e-5 : 1e-3, 0, 0.1, 0.1, rel, linRel, dist,
                10, 10, bound, new double[] {0.5, 1e-4}, 1, 0.1);
    }

    /** Width runs (clean labels) for three seeds: relative distance rel0 at m = 128 and rel1 at m = 2048. */
    private static List<MinNorm.Run> widths(double rel0, double rel1, double dist1) {
        List<MinNorm.Run> w = new ArrayList<>();
        for (long s = 1; s <= 3; s++) {
            double jitter = 0.001 * s;   // a small seed-to-seed spread, so that two standard errors are finite
            w.add(run(s, 128, 0, rel0 + jitter, 0.01, 12, 0.5, 900, true));
            w.add(run(s, 2048, 0, rel1 + jitter, 0.01, dist1 + jitter, 0.5, 900, true));
        }
        return w;
    }

    private static List<MinNorm.Run> noise(double bound0, double bound1, int steps1, boolean converged1) {
        List<MinNorm.Run> n = new ArrayList<>();
        for (long s = 1; s <= 3; s++) {
            n.add(run(s, 128, 0, 0.5, 0.01, 12 + 0.01 * s, bound0, 900 + (int) s, true));
            n.add(run(s, 128, 1, 0.5, 0.01, 20 + 0.01 * s, bound1 + 0.001 * s, steps1 + (int) s, converged1));
        }
        return n;
    }

    private static Claim find(List<Claim> claims, String start) {
        return claims.stream().filter(c -> c.paper().startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no claim starting '" + start + "' in " + claims));
    }

    @Test
    void aBoundAtOrAboveOneIsVacuousNeverYes() {
        List<Claim> claims = MinNorm.claims(CONFIG, widths(0.5, 0.05, 9), noise(0.4, 1.0, 1200, true));
        Claim p1 = find(claims, "p=1.00: test error");
        assertEquals(Verdict.VACUOUS, p1.verdict());
        assertTrue(p1.measured().contains(">= 1"), p1.measured());
        // Below 1 the same claim is judged: test error 0.1 against a bound of 0.4 holds.
        assertEquals(Verdict.YES, find(claims, "p=0.00: test error").verdict());
    }

    @Test
    void aBoundBelowTheTestErrorFails() {
        // Test error 0.1 against a bound of 0.05: the claim that can fail does.
        List<Claim> claims = MinNorm.claims(CONFIG, widths(0.5, 0.05, 9), noise(0.05, 1.5, 1200, true));
        assertEquals(Verdict.NO, find(claims, "p=0.00: test error").verdict());
    }

    @Test
    void aRunAtTheStepCapIsNotJudgedAsConverged() {
        List<MinNorm.Run> w = new ArrayList<>(widths(0.5, 0.05, 9));
        w.set(1, run(1, 2048, 0, 0.05, 0.01, 9, 0.5, 1000, false));
        List<Claim> claims = MinNorm.claims(CONFIG, w, noise(0.4, 1.5, 1000, false));
        for (String c : List.of("GD run to convergence ends close", "the distance to W* shrinks",
                "GD's excess distance", "||W_T - W0|| <= sqrt", "||W_T - W0|| at convergence grows",
                "noisier labels take more")) {
            Claim claim = find(claims, c);
            assertEquals(Verdict.NOT_JUDGED, claim.verdict(), c);
            assertTrue(claim.measured().contains("not converged"), claim.measured());
        }
        assertFalse(claims.stream().anyMatch(c -> c.paper().startsWith("GD run") && c.holds()));
    }

    @Test
    void closeToWStarHoldsOrFailsOnTheLevel() {
        assertEquals(Verdict.YES, find(MinNorm.claims(CONFIG, widths(0.5, 0.05, 9), noise(0.4, 1.5, 1200, true)),
                "GD run to convergence ends close").verdict());
        // 0.3 of the way at the largest width is not close, however clearly it shrank with m.
        List<Claim> far = MinNorm.claims(CONFIG, widths(0.5, 0.3, 9), noise(0.4, 1.5, 1200, true));
        assertEquals(Verdict.NO, find(far, "GD run to convergence ends close").verdict());
        assertEquals(Verdict.YES, find(far, "the distance to W* shrinks").verdict());
        // Growing with m contradicts the shrinking claim.
        assertEquals(Verdict.NO, find(MinNorm.claims(CONFIG, widths(0.2, 0.4, 9), noise(0.4, 1.5, 1200, true)),
                "the distance to W* shrinks").verdict());
    }

    @Test
    void travellingFurtherThanTheComplexityFailsThm51() {
        // sqrt(y'Hinf^-1 y) = 10 in the constructed runs: 9 is within it, 12 is not.
        assertEquals(Verdict.YES, find(MinNorm.claims(CONFIG, widths(0.5, 0.05, 9), noise(0.4, 1.5, 1200, true)),
                "||W_T - W0|| <= sqrt").verdict());
        assertEquals(Verdict.NO, find(MinNorm.claims(CONFIG, widths(0.5, 0.05, 12), noise(0.4, 1.5, 1200, true)),
                "||W_T - W0|| <= sqrt").verdict());
    }

    @Test
    void noisierLabelsThatTrainFasterContradictTheClaim() {
        // p = 1 converges in ~600 steps against ~900 at p = 0.
        assertEquals(Verdict.NO, find(MinNorm.claims(CONFIG, widths(0.5, 0.05, 9), noise(0.4, 1.5, 600, true)),
                "noisier labels take more").verdict());
        assertEquals(Verdict.YES, find(MinNorm.claims(CONFIG, widths(0.5, 0.05, 9), noise(0.4, 1.5, 1200, true)),
                "noisier labels take more").verdict());
    }

    @Test
    void oneSeedIsWithinNoiseNotAVerdictBySign() {
        assertEquals(Verdict.WITHIN_NOISE, MinNorm.below("c", "v", new double[] {0.01}, 0.1).verdict());
        assertEquals(Verdict.NOT_JUDGED, MinNorm.below("c", "v", new double[] {Double.NaN, 0.01}, 0.1).verdict());
    }

    @Test
    void linearizedGdConvergesToTheMinNormSolution() {
        // H = diag(1, 4), y = (1, 2): alpha = (1, 0.5), ||alpha||_H = sqrt(1 + 1) = sqrt 2.
        double[] h = {1, 0, 0, 4};
        var chol = dev.simdgrad.nn.metrics.Cholesky.factor(h, 2);
        double[] early = MinNorm.linearizedGd(h, chol, new double[] {1, 2}, 0.1, 5);
        double[] late = MinNorm.linearizedGd(h, chol, new double[] {1, 2}, 0.1, 2000);
        assertTrue(early[0] > 0.1, "after 5 steps still far: " + early[0]);
        assertTrue(late[0] < 1e-9, "converged: " + late[0]);
        assertEquals(Math.sqrt(2), late[1], 1e-9);
        assertTrue(early[1] < late[1]);
    }

    @Test
    void theConfigRefusesWhatCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> new MinNorm.Config(null,
                DataSource.Embedded.FASHION_MNIST, 100, 2, 4, List.of(128), 128, List.of(0.0), 0, 10, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new MinNorm.Config(null,
                DataSource.Embedded.FASHION_MNIST, 100, 2, 4, List.of(128), 128, List.of(0.0), 1e-4, 10, 0, 1));
    }

    @Test
    void aTinyRunThatHitsTheCapSaysSo() throws Exception {
        // Two steps cannot reach a loss of 1e-9: every run is reported as not converged, and no claim holds by it.
        var c = new MinNorm.Config(null, DataSource.Embedded.FASHION_MNIST, 40, 2, 4, List.of(32, 64), 32,
                List.of(0.0, 1.0), 1e-9, 2, 2, 1);
        MinNorm.Result r = MinNorm.run(c, ProgressSink.NONE, row -> { });
        assertTrue(r.widths().stream().noneMatch(MinNorm.Run::converged));
        assertTrue(r.widths().stream().allMatch(x -> x.steps() == 2));
        assertEquals(Verdict.NOT_JUDGED, find(r.claims(), "GD run to convergence ends close").verdict());
        assertFalse(r.deviations().isEmpty());
        assertEquals(2, r.curves().size());
    }
}
