package dev.simdgrad.experiments.gradreg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.experiments.Claim;
import dev.simdgrad.experiments.Verdict;
import dev.simdgrad.experiments.gradreg.GradientRegularization.Accuracy;
import dev.simdgrad.experiments.gradreg.GradientRegularization.Arm;
import dev.simdgrad.experiments.gradreg.GradientRegularization.Config;
import dev.simdgrad.experiments.gradreg.GradientRegularization.Cost;
import dev.simdgrad.experiments.gradreg.GradientRegularization.DlnConfig;
import dev.simdgrad.experiments.gradreg.GradientRegularization.Sparsity;
import dev.simdgrad.experiments.gradreg.DiagonalLinearNetwork.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The claim logic of the gradient-regularization experiment, on constructed numbers. */
class GradientRegularizationClaimsTest {
    private static final List<Integer> NET = List.of(784, 512, 512, 512, 10);

    private static Cost cost(CostModel.Method m, double... ms) {
        return new Cost(NET, m, CostModel.products(m, 4), CostModel.multiplyAdds(m, NET),
                java.util.Arrays.stream(ms).boxed().toList());
    }

    @Test
    void aCostDifferenceInsideTheRoundToRoundNoiseIsWithinNoise() {
        // DB 2 % slower on average, but the rounds disagree in sign: no verdict.
        Claim c = GradientRegularizationClaims.cheaper("F-GR cheaper", cost(CostModel.Method.FGR, 10, 12, 9, 11),
                cost(CostModel.Method.DB, 11, 11, 10, 10.4));
        assertEquals(Verdict.WITHIN_NOISE, c.verdict(), c.measured());
        assertTrue(c.measured().contains("4 interleaved rounds"), c.measured());
    }

    @Test
    void aCostDifferenceBeyondTheNoiseIsJudgedEitherWay() {
        Cost fgr = cost(CostModel.Method.FGR, 10, 12, 9, 11), db = cost(CostModel.Method.DB, 13, 15.5, 11.6, 14.1);
        assertEquals(Verdict.YES, GradientRegularizationClaims.cheaper("F-GR cheaper", fgr, db).verdict());
        assertEquals(Verdict.NO, GradientRegularizationClaims.cheaper("DB cheaper", db, fgr).verdict());
        // One round has no spread: never a verdict by sign.
        assertEquals(Verdict.WITHIN_NOISE, GradientRegularizationClaims.cheaper("F-GR cheaper",
                cost(CostModel.Method.FGR, 10), cost(CostModel.Method.DB, 20)).verdict());
    }

    @Test
    void theCountedProductsFollowTheCode() {
        // L = 4: plain 3L - 1 = 11, F-GR 22, DB 9L - 5 = 31; the paper's ~6L vs ~9L.
        assertEquals(11, CostModel.products(CostModel.Method.PLAIN, 4));
        assertEquals(22, CostModel.products(CostModel.Method.FGR, 4));
        assertEquals(31, CostModel.products(CostModel.Method.DB, 4));
        assertEquals(31, CostModel.products(CostModel.Method.HVP, 4));
        // 784-512-10: plain 2 (401408 + 5120) + 5120 multiply-adds per example; DB adds 6 s - 4 s_0.
        List<Integer> w = List.of(784, 512, 10);
        assertEquals(818_176, CostModel.multiplyAdds(CostModel.Method.PLAIN, w));
        assertEquals(818_176 + 6 * 406_528 - 4 * 401_408, CostModel.multiplyAdds(CostModel.Method.DB, w));
    }

    private static Accuracy acc(Arm arm, List<Double> test, List<Double> below) {
        List<List<Double>> loss = test.stream().map(t -> List.of(1.0, 0.5)).toList();
        return new Accuracy(arm, Double.NaN, Double.NaN, test, test, loss, below, 1);
    }

    @Test
    void aFloodingLevelNeverReachedIsNoResult() {
        var plain = acc(Arm.PLAIN, List.of(0.80, 0.81, 0.79), List.of());
        // Never below the level on seed 2: there flooding is plain SGD, step for step.
        var flood = acc(Arm.FLOODING, List.of(0.82, 0.81, 0.81), List.of(0.3, 0.0, 0.2));
        assertFalse(flood.levelReachedOnEverySeed());
        Claim c = GradientRegularizationClaims.flooding(List.of(plain, flood));
        assertEquals(Verdict.VACUOUS, c.verdict(), c.measured());
        assertTrue(c.measured().contains("reached on 2 of 3 seeds"), c.measured());
        assertFalse(c.holds());
        // Reached on every seed: judged on the paired differences.
        var reached = acc(Arm.FLOODING, List.of(0.82, 0.83, 0.81), List.of(0.3, 0.1, 0.2));
        assertTrue(reached.levelReachedOnEverySeed());
        assertEquals(Verdict.YES, GradientRegularizationClaims.flooding(List.of(plain, reached)).verdict());
    }

    @Test
    void theFloodingLevelIsPlainSgdsLossThreeQuartersIn() {
        var plain = new Accuracy(Arm.PLAIN, Double.NaN, Double.NaN, List.of(0.8, 0.8), List.of(0.8, 0.8),
                List.of(List.of(2.0, 1.0, 0.6, 0.4), List.of(2.0, 1.2, 0.8, 0.4)), List.of(), 1);
        assertEquals(3, GradientRegularization.floodEpoch(4));
        assertEquals(0.7, GradientRegularization.floodLevel(plain, 4), 1e-12);
    }

    private static Config dlnConfig(int seeds) {
        return new Config(null, 100, 100, List.of(8), 1, 10, 0.1, 0.9f, 1e-4f, List.of(0.1f), List.of(0.01f, 0.5f),
                2, 1, 0, new DlnConfig(10, 20, 2, List.of(1.0), List.of(0.1), List.of(0.01, 0.5), 0.01, 10), 1,
                seeds);
    }

    private static Sparsity row(Method m, double gamma, double epsilon, Double... error) {
        List<Double> e = List.of(error);
        return new Sparsity(1.0, m, gamma, epsilon, e, e, e, e);
    }

    @Test
    void theSparsityVerdictFailsWhereGrDoesNotHelp() {
        Config c = dlnConfig(3);
        List<Sparsity> sp = new ArrayList<>();
        sp.add(row(Method.GD, Double.NaN, Double.NaN, 1.0, 1.2, 0.9));
        // GR lands farther from the truth on every problem: NO, not "yes" and not silence.
        sp.add(row(Method.DB, 0.1, Double.NaN, 1.1, 1.31, 1.02));
        sp.add(row(Method.FGR, 0.1, 0.01, 1.1, 1.3, 1.0));
        sp.add(row(Method.FGR, 0.1, 0.5, 1.1, 1.3, 1.0));
        sp.add(row(Method.BGR, 0.1, 0.01, 1.1, 1.3, 1.0));
        sp.add(row(Method.BGR, 0.1, 0.5, 1.1, 1.3, 1.0));
        List<Claim> claims = GradientRegularizationClaims.diagonalClaims(c, sp);
        Claim closer = claims.stream().filter(x -> x.paper().contains("GR (DB) lands closer")).findFirst()
                .orElseThrow();
        assertEquals(Verdict.NO, closer.verdict(), closer.measured());
        // Equal distances are no evidence: within noise, not yes.
        Claim eps = claims.stream().filter(x -> x.paper().contains("larger ε")).findFirst().orElseThrow();
        assertEquals(Verdict.WITHIN_NOISE, eps.verdict(), eps.measured());
    }

    @Test
    void aDivergedDiagonalRunIsNotJudged() {
        Config c = dlnConfig(2);
        List<Sparsity> sp = List.of(row(Method.GD, Double.NaN, Double.NaN, 1.0, 1.2),
                row(Method.DB, 0.1, Double.NaN, 0.5, 0.6), row(Method.FGR, 0.1, 0.01, 0.5, 0.6),
                row(Method.FGR, 0.1, 0.5, 0.4, 0.5), row(Method.BGR, 0.1, 0.01, Double.NaN, 0.6),
                row(Method.BGR, 0.1, 0.5, 0.6, 0.7));
        List<Claim> claims = GradientRegularizationClaims.diagonalClaims(c, sp);
        Claim vsB = claims.stream().filter(x -> x.paper().contains("than B-GR")).findFirst().orElseThrow();
        assertEquals(Verdict.NOT_JUDGED, vsB.verdict(), vsB.measured());
    }

    @Test
    void theDiagonalNetworkFindsTheSparseTruthFromASmallStart() {
        // 40 noiseless measurements of a 3-sparse vector in 60 coordinates: GD from α = 0.01 interpolates close to it.
        double[] truth = new double[60];
        DiagonalLinearNetwork p = DiagonalLinearNetwork.sparseRegression(40, 60, 3, 7, truth);
        double[] beta = p.train(0.01, Method.GD, 0.02, 0, 1, 50_000);
        assertTrue(p.loss(beta) < 1e-5, "loss " + p.loss(beta));
        assertTrue(GradientRegularization.distance(beta, truth) < 0.2, "distance "
                + GradientRegularization.distance(beta, truth));
        assertEquals(0, GradientRegularization.falseSupport(beta, truth));
        // B-GR is F-GR with a descent step: different directions, both interpolate.
        double[] f = p.train(0.3, Method.FGR, 0.01, 0.1, 0.5, 50_000), b = p.train(0.3, Method.BGR, 0.01, 0.1, 0.5,
                50_000);
        assertTrue(p.loss(f) < 1e-8 && p.loss(b) < 1e-8);
        assertTrue(GradientRegularization.distance(f, b) > 1e-3);
    }
}
