package dev.simdgrad.experiments.gradreg;

import dev.simdgrad.experiments.Claim;
import dev.simdgrad.experiments.Deviation;
import dev.simdgrad.experiments.Spread;
import dev.simdgrad.experiments.Verdict;
import dev.simdgrad.experiments.gradreg.GradientRegularization.Accuracy;
import dev.simdgrad.experiments.gradreg.GradientRegularization.Arm;
import dev.simdgrad.experiments.gradreg.GradientRegularization.Config;
import dev.simdgrad.experiments.gradreg.GradientRegularization.Cost;
import dev.simdgrad.experiments.gradreg.GradientRegularization.Sparsity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The claims of Karakida et al. (2023) judged on the rows of {@link GradientRegularization}, and the deviations of
 * a run from the paper. Every verdict comes from repetitions: the cost claims from interleaved timing rounds (paired
 * by round), the accuracy and diagonal-network claims from seeds (paired by seed); an effect inside two standard
 * errors is "within noise". Pure functions of the rows, so they can be tested on constructed numbers.
 */
public final class GradientRegularizationClaims {
    private GradientRegularizationClaims() {
    }

    /** Every claim, in the order the report prints them. */
    public static List<Claim> of(Config c, List<Cost> costs, List<Accuracy> acc, List<Sparsity> sparsity) {
        List<Claim> out = new ArrayList<>();
        List<List<Integer>> nets = costs.stream().map(Cost::widths).distinct().toList();
        for (List<Integer> w : nets) {
            out.add(cheaper(String.format(Locale.ROOT, "F-GR costs less per step than double backprop (paper: about"
                    + " 6L vs 9L products), L = %d", w.size() - 1), cost(costs, w, CostModel.Method.FGR),
                    cost(costs, w, CostModel.Method.DB)));
        }
        List<Integer> deep = nets.getLast();
        out.add(cheaper(String.format(Locale.ROOT, "F-GR costs less per step than DB by Hessian-vector product (ours:"
                + " an R-op, not the paper's DB), L = %d", deep.size() - 1), cost(costs, deep, CostModel.Method.FGR),
                cost(costs, deep, CostModel.Method.HVP)));
        out.addAll(accuracyClaims(c, acc));
        out.add(flooding(acc));
        out.addAll(diagonalClaims(c, sparsity));
        return List.copyOf(out);
    }

    /**
     * A cost claim: {@code cheap} costs less per step than {@code dear}. Judged on the per-round differences of
     * log milliseconds (paired by round: both methods ran in the same round, under the same load), so a verdict
     * needs the ratio to exceed two standard errors of its round-to-round spread; inside that it is "within noise".
     */
    public static Claim cheaper(String paper, Cost cheap, Cost dear) {
        int r = Math.min(cheap.msByRound().size(), dear.msByRound().size());
        double[] d = new double[r];
        for (int i = 0; i < r; i++) {
            d[i] = Math.log(dear.msByRound().get(i)) - Math.log(cheap.msByRound().get(i));
        }
        double predicted = (double) dear.multiplyAdds() / cheap.multiplyAdds();
        String detail = String.format(Locale.ROOT, "%s %.2f +- %.2f ms, %s %.2f +- %.2f ms per step; counted: %d vs"
                + " %d products, %.2fx the multiply-adds", cheap.method().label(), cheap.ms().mean(), cheap.ms().sd(),
                dear.method().label(), dear.ms().mean(), dear.ms().sd(), cheap.products(), dear.products(),
                predicted);
        if (r < 2) {
            return new Claim(paper, detail + "; one round: no spread to judge by", Verdict.WITHIN_NOISE);
        }
        Spread s = Spread.of(d);
        double se = s.standardError();
        Verdict v = s.mean() > 2 * se ? Verdict.YES : s.mean() < -2 * se ? Verdict.NO : Verdict.WITHIN_NOISE;
        return new Claim(paper, String.format(Locale.ROOT, "%s; measured ratio %.2fx (x/÷ %.2f s.e., %d interleaved"
                + " rounds)", detail, Math.exp(s.mean()), Math.exp(se), r), v);
    }

    private static List<Claim> accuracyClaims(Config c, List<Accuracy> acc) {
        List<Claim> out = new ArrayList<>();
        int k = c.seeds();
        List<Float> gs = c.gammas(), es = c.epsilons();
        float small = es.getFirst(), large = es.getLast();
        double[] vsB = perSeed(k, s -> mean(gs, g -> mean(es, e -> test(acc, Arm.FGR, g, e, s)
                - test(acc, Arm.BGR, g, e, s))));
        out.add(Claim.ofPairedDifferences("F-GR reaches a higher test accuracy than B-GR (same γ, ε)", String.format(
                Locale.ROOT, "test acc over the grid: F-GR %.4f, B-GR %.4f", meanOf(acc, Arm.FGR, Float.NaN),
                meanOf(acc, Arm.BGR, Float.NaN)), vsB));
        double[] vsDb = perSeed(k, s -> mean(gs, g -> test(acc, Arm.FGR, g, large, s)
                - test(acc, Arm.DB, g, Float.NaN, s)));
        out.add(Claim.ofPairedDifferences("F-GR at a large ε reaches a higher test accuracy than DB (same γ)",
                String.format(Locale.ROOT, "F-GR at ε %s %.4f, DB %.4f", large, meanOf(acc, Arm.FGR, large),
                        meanOf(acc, Arm.DB, Float.NaN)), vsDb));
        if (es.size() >= 2) {
            double[] helps = perSeed(k, s -> mean(gs, g -> test(acc, Arm.FGR, g, large, s)
                    - test(acc, Arm.FGR, g, small, s)));
            out.add(Claim.ofPairedDifferences("a larger ε helps F-GR", String.format(Locale.ROOT, "F-GR test acc at"
                    + " ε %s vs %s: %.4f vs %.4f", large, small, meanOf(acc, Arm.FGR, large),
                    meanOf(acc, Arm.FGR, small)), helps));
            double[] hurts = perSeed(k, s -> mean(gs, g -> test(acc, Arm.BGR, g, small, s)
                    - test(acc, Arm.BGR, g, large, s)));
            out.add(Claim.ofPairedDifferences("a larger ε hurts B-GR", String.format(Locale.ROOT, "B-GR test acc at"
                    + " ε %s vs %s: %.4f vs %.4f", large, small, meanOf(acc, Arm.BGR, large),
                    meanOf(acc, Arm.BGR, small)), hurts));
        }
        double[] vsPlain = perSeed(k, s -> mean(gs, g -> test(acc, Arm.FGR, g, large, s))
                - test(acc, Arm.PLAIN, Float.NaN, Float.NaN, s));
        out.add(Claim.ofPairedDifferences("F-GR (large ε) improves the test accuracy of plain SGD", String.format(
                Locale.ROOT, "F-GR at ε %s %.4f, plain %.4f", large, meanOf(acc, Arm.FGR, large),
                meanOf(acc, Arm.PLAIN, Float.NaN)), vsPlain));
        return out;
    }

    /**
     * Flooding "performs F-GR implicitly": judged as "flooding, like F-GR, improves on plain SGD", but only where the
     * level was reached on every seed. Below a level that is never reached flooding is plain SGD, step for step: the
     * comparison could not have failed or held, so it is vacuous, and the flooding row is no result.
     */
    public static Claim flooding(List<Accuracy> acc) {
        String paper = "flooding (performing F-GR implicitly) improves the test accuracy of plain SGD, as F-GR does";
        Accuracy f = acc.stream().filter(a -> a.arm() == Arm.FLOODING).findFirst().orElse(null);
        Accuracy plain = acc.stream().filter(a -> a.arm() == Arm.PLAIN).findFirst().orElse(null);
        if (f == null || plain == null) {
            return Claim.notJudged(paper, "no flooding or no plain run");
        }
        if (!f.levelReachedOnEverySeed()) {
            long reached = f.belowLevelBySeed().stream().filter(x -> x > 0).count();
            return Claim.vacuous(paper, String.format(Locale.ROOT, "flooding %.4f, plain %.4f",
                    f.test().mean(), plain.test().mean()), String.format(Locale.ROOT, "the level was reached on %d of"
                    + " %d seeds; where it is not, flooding is plain SGD", reached, f.belowLevelBySeed().size()));
        }
        int k = Math.min(f.testBySeed().size(), plain.testBySeed().size());
        double[] d = perSeed(k, s -> f.testBySeed().get(s) - plain.testBySeed().get(s));
        double fgr = acc.stream().filter(a -> a.arm() == Arm.FGR).mapToDouble(a -> a.test().mean()).max()
                .orElse(Double.NaN);
        return Claim.ofPairedDifferences(paper, String.format(Locale.ROOT, "flooding %.4f (ascending on %s of the"
                + " steps), plain %.4f, best F-GR %.4f", f.test().mean(), f.belowLevelBySeed().stream()
                .map(x -> String.format(Locale.ROOT, "%.0f%%", 100 * x)).collect(Collectors.joining("/")),
                plain.test().mean(), fgr), d);
    }

    /**
     * The diagonal network: GR moves the interpolating solution toward the sparse truth (a smaller ‖β - β*‖ than
     * GD, per seed's problem), F-GR more than DB and more with a larger ε, B-GR less than F-GR. A verdict is NO when
     * GR lands farther from the truth than GD beyond the seeds' noise.
     */
    public static List<Claim> diagonalClaims(Config c, List<Sparsity> sp) {
        List<Claim> out = new ArrayList<>();
        int k = c.seeds();
        var d = c.dln();
        List<Double> gs = d.gammas();
        double small = d.epsilons().getFirst(), large = d.epsilons().getLast();
        for (double a : d.scales()) {
            double[] closer = perSeed(k, s -> err(sp, a, DiagonalLinearNetwork.Method.GD, Double.NaN, Double.NaN, s)
                    - mean(gs, g -> err(sp, a, DiagonalLinearNetwork.Method.DB, g, Double.NaN, s)));
            out.add(Claim.ofPairedDifferences(String.format(Locale.ROOT, "diagonal net, α = %s: GR (DB) lands closer"
                    + " to the sparse truth than GD", a), String.format(Locale.ROOT, "||b - b*|| GD %.3f, DB %.3f;"
                    + " l1 GD %.2f, DB %.2f (truth %d)", meanErr(sp, a, DiagonalLinearNetwork.Method.GD, Double.NaN),
                    meanErr(sp, a, DiagonalLinearNetwork.Method.DB, Double.NaN),
                    meanL1(sp, a, DiagonalLinearNetwork.Method.GD, Double.NaN),
                    meanL1(sp, a, DiagonalLinearNetwork.Method.DB, Double.NaN), d.k()), closer));
        }
        double a = d.scales().getLast();
        double[] fVsDb = perSeed(k, s -> mean(gs, g -> err(sp, a, DiagonalLinearNetwork.Method.DB, g, Double.NaN, s)
                - err(sp, a, DiagonalLinearNetwork.Method.FGR, g, large, s)));
        out.add(Claim.ofPairedDifferences(String.format(Locale.ROOT, "diagonal net, α = %s: F-GR (ε %s) lands closer"
                + " to the truth than DB", a, large), String.format(Locale.ROOT, "||b - b*|| DB %.3f, F-GR %.3f",
                meanErr(sp, a, DiagonalLinearNetwork.Method.DB, Double.NaN),
                meanErr(sp, a, DiagonalLinearNetwork.Method.FGR, large)), fVsDb));
        if (d.epsilons().size() >= 2) {
            double[] eps = perSeed(k, s -> mean(gs, g -> err(sp, a, DiagonalLinearNetwork.Method.FGR, g, small, s)
                    - err(sp, a, DiagonalLinearNetwork.Method.FGR, g, large, s)));
            out.add(Claim.ofPairedDifferences(String.format(Locale.ROOT, "diagonal net, α = %s: a larger ε brings"
                    + " F-GR closer to the truth", a), String.format(Locale.ROOT, "||b - b*|| F-GR at ε %s %.3f, at"
                    + " ε %s %.3f", small, meanErr(sp, a, DiagonalLinearNetwork.Method.FGR, small), large,
                    meanErr(sp, a, DiagonalLinearNetwork.Method.FGR, large)), eps));
        }
        double[] bVsF = perSeed(k, s -> mean(gs, g -> mean(d.epsilons(), e -> err(sp, a,
                DiagonalLinearNetwork.Method.BGR, g, e, s) - err(sp, a, DiagonalLinearNetwork.Method.FGR, g, e, s))));
        out.add(Claim.ofPairedDifferences(String.format(Locale.ROOT, "diagonal net, α = %s: F-GR lands closer to the"
                + " truth than B-GR (same γ, ε)", a), String.format(Locale.ROOT, "||b - b*|| over the grid: F-GR"
                + " %.3f, B-GR %.3f", meanErr(sp, a, DiagonalLinearNetwork.Method.FGR, Double.NaN),
                meanErr(sp, a, DiagonalLinearNetwork.Method.BGR, Double.NaN)), bVsF));
        return out;
    }

    /**
     * How a run differs from the paper, as we read it (a secondary description: the sources we could read state
     * the settings below; where they are silent the table says so).
     *
     * @param trainSize training examples used
     * @param testSize  test examples used
     * @param embedded  whether the embedded subset was used
     */
    public static List<Deviation> deviations(Config c, int trainSize, int testSize, boolean embedded) {
        List<Deviation> d = new ArrayList<>();
        String data = (embedded ? "Fashion-MNIST, embedded subset: " : "the --data set: ") + trainSize + " train / "
                + testSize + " test, no augmentation";
        d.add(new Deviation("data", "CIFAR-10 (50,000 / 10,000), crop and flip augmentation", data, "CPU time; no"
                + " CIFAR-10 in the jar" + (testSize < 10000 ? "; the embedded subset has 1,000 test images" : "")));
        String net = "784-" + c.hidden().stream().map(String::valueOf).collect(Collectors.joining("-")) + "-10 ReLU";
        d.add(new Deviation("network", "MLP of width 512 (its depth is not in the sources we could read); ResNet-18,"
                + " WRN-28-10", net, "CPU time; the MLP only"));
        String opt = String.format(Locale.ROOT, "SGD, momentum %s, cosine from lr %s, batch %d, weight decay %s",
                c.momentum(), c.lr(), c.batch(), c.weightDecay());
        String paperOpt = "SGD, momentum 0.9, cosine from lr 0.1, batch 128, weight decay 0.0001";
        d.add(opt.equals("SGD, momentum 0.9, cosine from lr 0.1, batch 128, weight decay 1.0E-4")
                ? Deviation.same("optimizer", paperOpt) : new Deviation("optimizer", paperOpt, opt, "overridden"));
        d.add(new Deviation("length", "not stated in the sources we could read (GPU runs to convergence, as we read"
                + " it)", c.epochs() + " epochs, the cosine schedule over them", "CPU time: 2 cores, minutes"));
        d.add(c.gammas().equals(List.of(1e-4f, 1e-3f, 1e-2f, 1e-1f))
                ? Deviation.same("gamma", "{1e-4, 1e-3, 1e-2, 1e-1}")
                : new Deviation("gamma", "{1e-4, 1e-3, 1e-2, 1e-1} (its F/B-GR figure: 0.1)", c.gammas().toString(),
                "CPU time: the two largest of the paper's grid"));
        d.add(c.epsilons().equals(List.of(0.01f, 0.02f, 0.05f, 0.1f, 0.2f, 0.5f))
                ? Deviation.same("epsilon", "{0.01, 0.02, 0.05, 0.1, 0.2, 0.5}")
                : new Deviation("epsilon", "{0.01, 0.02, 0.05, 0.1, 0.2, 0.5}", c.epsilons().toString(),
                "CPU time: the ends and the middle of the paper's range"));
        d.add(c.seeds() == 5 ? Deviation.same("seeds", "5 trials (random initialization), mean and sd")
                : new Deviation("seeds", "5 trials (random initialization), mean and sd", c.seeds() + " seeds",
                "overridden"));
        d.add(Deviation.same("DB", "double backpropagation (autodiff through the backward pass)"));
        d.add(new Deviation("cost", "wall time per step on an A100 (ResNet, WRN); about 6L vs 9L matrix products",
                "matrix products counted from the code, and ms per step on this CPU in " + c.timingRounds()
                + " interleaved rounds of " + c.timingSteps() + " steps (mean +- sd), on the trained MLP"
                + (c.costDepth() > 0 ? " and on " + c.costDepth() + " hidden layers of " + c.hidden().getFirst() : "")
                + "; an analytic-HVP arm added", "no GPU; the HVP arm shows the cost of the R-op we also have"));
        d.add(new Deviation("flooding", "flooding level b a hyperparameter; flooding = F-GR implicitly (theory)",
                "b = plain SGD's mean training loss in epoch " + GradientRegularization.floodEpoch(c.epochs())
                + ", whether it is reached"
                + " measured per seed", "a level that is never reached makes flooding plain SGD"));
        var dl = c.dln();
        d.add(new Deviation("diagonal net", "beta = u*u - v*v on sparse regression; its n, d, k, alpha, gamma and"
                + " epsilon are not in the sources we could read", String.format(Locale.ROOT, "n %d, d %d, k %d"
                + " (entries +-1), X ~ N(0,1), noiseless; alpha %s, gamma %s, epsilon %s; GD lr %s, <= %d steps,"
                + " to loss < 1e-10; one problem per seed", dl.n(), dl.d(), dl.k(), dl.scales(), dl.gammas(),
                dl.epsilons(), dl.lr(), dl.steps()), "settings of our own"));
        return List.copyOf(d);
    }

    private static Cost cost(List<Cost> costs, List<Integer> widths, CostModel.Method m) {
        return costs.stream().filter(c -> c.method() == m && c.widths().equals(widths)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("no cost row for " + m.label()));
    }

    private static double[] perSeed(int k, IntToDoubleFunction f) {
        double[] d = new double[k];
        for (int s = 0; s < k; s++) {
            d[s] = f.applyAsDouble(s);
        }
        return d;
    }

    private interface ToDouble<T> {
        double of(T t);
    }

    private static <T> double mean(List<T> xs, ToDouble<T> f) {
        double s = 0;
        for (T x : xs) {
            s += f.of(x);
        }
        return s / xs.size();
    }

    private static boolean same(double a, double b) {
        return Double.isNaN(b) ? Double.isNaN(a) : (float) a == (float) b;
    }

    /** Seed s's test accuracy of an arm at (γ, ε); NaN γ or ε: the arm has none. */
    static double test(List<Accuracy> acc, Arm arm, double gamma, double epsilon, int s) {
        return acc.stream().filter(a -> a.arm() == arm && same(a.gamma(), gamma) && same(a.epsilon(), epsilon))
                .findFirst().map(a -> a.testBySeed().get(s)).orElseThrow(() -> new IllegalArgumentException(
                        "no " + arm.label() + " row at gamma " + gamma + ", epsilon " + epsilon));
    }

    /** Mean test accuracy of an arm over its rows (at one ε, or all if ε is NaN) and seeds. */
    private static double meanOf(List<Accuracy> acc, Arm arm, double epsilon) {
        return acc.stream().filter(a -> a.arm() == arm && (Double.isNaN(epsilon) || same(a.epsilon(), epsilon)))
                .mapToDouble(a -> a.test().mean()).average().orElse(Double.NaN);
    }

    static double err(List<Sparsity> sp, double scale, DiagonalLinearNetwork.Method m, double gamma, double epsilon,
                      int s) {
        return sp.stream().filter(x -> x.scale() == scale && x.method() == m && same(x.gamma(), gamma)
                && same(x.epsilon(), epsilon)).findFirst().map(x -> x.errorBySeed().get(s))
                .orElseThrow(() -> new IllegalArgumentException("no " + m.label() + " row at alpha " + scale
                        + ", gamma " + gamma + ", epsilon " + epsilon));
    }

    /** Mean distance of a method at α (at one ε, or over all if ε is NaN), over γ and seeds. */
    private static double meanErr(List<Sparsity> sp, double scale, DiagonalLinearNetwork.Method m, double epsilon) {
        return sp.stream().filter(x -> x.scale() == scale && x.method() == m
                && (Double.isNaN(epsilon) || same(x.epsilon(), epsilon))).mapToDouble(x -> x.error().mean())
                .average().orElse(Double.NaN);
    }

    private static double meanL1(List<Sparsity> sp, double scale, DiagonalLinearNetwork.Method m, double epsilon) {
        return sp.stream().filter(x -> x.scale() == scale && x.method() == m
                && (Double.isNaN(epsilon) || same(x.epsilon(), epsilon))).mapToDouble(x -> x.l1().mean())
                .average().orElse(Double.NaN);
    }
}
