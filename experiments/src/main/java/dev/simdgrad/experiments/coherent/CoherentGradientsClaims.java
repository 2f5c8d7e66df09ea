package dev.simdgrad.experiments.coherent;

import dev.simdgrad.experiments.Claim;
import dev.simdgrad.experiments.Deviation;
import dev.simdgrad.experiments.Spread;
import dev.simdgrad.experiments.TrainingRun;
import dev.simdgrad.experiments.Verdict;
import dev.simdgrad.experiments.coherent.CoherentGradients.CoherenceTrace;
import dev.simdgrad.experiments.coherent.CoherentGradients.Config;
import dev.simdgrad.experiments.coherent.CoherentGradients.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The claims of Coherent Gradients (Chatterjee 2020) and of its m-coherence follow-up (Chatterjee &amp; Zielinski
 * 2020), judged on the runs of {@link CoherentGradients} over seeds, and the table of how the run differs from the
 * paper. Every claim compares arms that share their seed (the same corrupted labels, initialization and batch
 * order) through {@link Claim#ofPairedDifferences}, at the end of training as {@link Run#atEnd} defines it (the
 * median of the last epochs): "yes" or "NO" only when the mean paired difference is beyond
 * two standard errors. A diverged run makes the claims that need it "not judged".
 */
public final class CoherentGradientsClaims {
    /** The winsorization level the paper singles out as stopping memorization. */
    static final int ROBUST_C = 4;

    private CoherentGradientsClaims() {
    }

    /** The claims, per noise level p &gt; 0, then the m-coherence claim. */
    public static List<Claim> of(List<Run> runs, List<CoherenceTrace> traces) {
        List<Claim> claims = new ArrayList<>();
        List<Double> noises = runs.stream().map(Run::noise).distinct().filter(p -> p > 0).toList();
        for (double p : noises) {
            String at = String.format(Locale.ROOT, "p = %.2f: ", p);
            List<Long> seeds = runs.stream().filter(r -> r.noise() == p).map(Run::seed).distinct().toList();
            List<Integer> cs = runs.stream().filter(r -> r.noise() == p && r.c() >= 0).map(Run::c).distinct()
                    .sorted().toList();
            if (cs.contains(0) && cs.contains(ROBUST_C)) {
                claims.add(paired(at + "winsorizing (c = " + ROBUST_C + ") fits the corrupt labels less than SGD"
                        + " (c = 0) at the end of training", "corrupt-example train acc, c=0 minus c=" + ROBUST_C, runs, p, seeds,
                        0, ROBUST_C, r -> r.atEnd(TrainingRun.Epoch::corruptedAccuracy)));
                claims.add(equalCleanAccuracy(at, runs, p, seeds));
                claims.add(paired(at + "winsorizing (c = " + ROBUST_C + ") generalizes better than SGD (test accuracy"
                        + " at the end of training)", "test acc, c=" + ROBUST_C + " minus c=0", runs, p, seeds, ROBUST_C, 0,
                        r -> r.atEnd(TrainingRun.Epoch::testAccuracy)));
            }
            for (int c : cs) {
                if (c >= 2) {
                    claims.add(belowCleanFraction(at, runs, p, seeds, c));
                }
            }
            if (cs.size() >= 2) {
                claims.add(monotoneOverfitting(at, runs, p, seeds, cs));
            }
        }
        if (!traces.isEmpty()) {
            claims.add(coherence(traces));
        }
        return claims;
    }

    /** The run of noise p, seed s, level c, or null. */
    private static Run find(List<Run> runs, double p, long seed, int c) {
        return runs.stream().filter(r -> r.noise() == p && r.seed() == seed && r.c() == c).findFirst()
                .orElse(null);
    }

    /** Per seed: metric(run a) - metric(run b); NaN where either diverged or is missing. */
    private static double[] differences(List<Run> runs, double p, List<Long> seeds, int a, int b,
                                        ToDoubleFunction<Run> metric) {
        double[] d = new double[seeds.size()];
        for (int i = 0; i < d.length; i++) {
            Run x = find(runs, p, seeds.get(i), a), y = find(runs, p, seeds.get(i), b);
            d[i] = x == null || y == null || x.hasDiverged() || y.hasDiverged() ? Double.NaN
                    : metric.applyAsDouble(x) - metric.applyAsDouble(y);
        }
        return d;
    }

    private static Claim paired(String paper, String detail, List<Run> runs, double p, List<Long> seeds, int a,
                                int b, ToDoubleFunction<Run> metric) {
        return Claim.ofPairedDifferences(paper, detail, differences(runs, p, seeds, a, b, metric));
    }

    /**
     * The control the issue asks for: winsorized SGD takes smaller effective steps, so it may fit fewer corrupt
     * labels merely by being slower. Compared at equal pristine-set accuracy instead: for each seed, the level L is
     * the highest pristine accuracy both runs reach, and each run is read at its first epoch at or above L.
     */
    private static Claim equalCleanAccuracy(String at, List<Run> runs, double p, List<Long> seeds) {
        double[] d = new double[seeds.size()];
        StringBuilder levels = new StringBuilder();
        for (int i = 0; i < d.length; i++) {
            Run x = find(runs, p, seeds.get(i), 0), y = find(runs, p, seeds.get(i), ROBUST_C);
            if (x == null || y == null || x.hasDiverged() || y.hasDiverged()) {
                d[i] = Double.NaN;
                continue;
            }
            double level = Math.min(maxClean(x), maxClean(y));
            TrainingRun.Epoch ex = firstAtLeast(x, level), ey = firstAtLeast(y, level);
            d[i] = ex.corruptedAccuracy() - ey.corruptedAccuracy();
            levels.append(String.format(Locale.ROOT, "%s%.3f (epochs %d, %d)", i == 0 ? "" : "; ", level,
                    ex.epoch(), ey.epoch()));
        }
        return Claim.ofPairedDifferences(at + "at equal pristine-set accuracy (a control for winsorizing's"
                + " smaller steps) c = " + ROBUST_C + " still fits fewer corrupt labels than SGD",
                "pristine level per seed " + levels + "; corrupt acc there, c=0 minus c=" + ROBUST_C, d);
    }

    private static double maxClean(Run r) {
        return r.epochs().stream().mapToDouble(TrainingRun.Epoch::cleanAccuracy).max().orElse(Double.NaN);
    }

    private static TrainingRun.Epoch firstAtLeast(Run r, double level) {
        return r.epochs().stream().filter(e -> e.cleanAccuracy() >= level).findFirst().orElse(r.last());
    }

    /** No memorization: the training accuracy at the end stays below the fraction of correct labels. */
    private static Claim belowCleanFraction(String at, List<Run> runs, double p, List<Long> seeds, int c) {
        double[] d = new double[seeds.size()];
        for (int i = 0; i < d.length; i++) {
            Run r = find(runs, p, seeds.get(i), c);
            d[i] = r == null || r.hasDiverged() ? Double.NaN
                    : r.correctFraction() - r.atEnd(TrainingRun.Epoch::trainAccuracy);
        }
        return Claim.ofPairedDifferences(at + "with c = " + c + " training accuracy stays below the fraction of"
                + " correct labels (no memorization)", "correct fraction minus train acc at the end", d);
    }

    /**
     * Overfitting (train minus test accuracy) falls as c grows: every step from one level to the next judged on
     * its paired differences; "yes" when every step falls beyond the noise, "NO" when any step rises beyond it.
     */
    private static Claim monotoneOverfitting(String at, List<Run> runs, double p, List<Long> seeds,
                                             List<Integer> cs) {
        StringBuilder m = new StringBuilder("train - test acc by c (mean over seeds): ");
        for (int i = 0; i < cs.size(); i++) {
            int c = cs.get(i);
            double[] v = seeds.stream().mapToDouble(s -> {
                Run r = find(runs, p, s, c);
                return r == null || r.hasDiverged() ? Double.NaN : r.overfitting();
            }).toArray();
            m.append(String.format(Locale.ROOT, "%s%d: %.3f", i == 0 ? "" : ", ", c, Spread.of(v).mean()));
        }
        boolean all = true, any = false, unjudged = false;
        for (int i = 1; i < cs.size(); i++) {
            Claim step = paired("", "", runs, p, seeds, cs.get(i - 1), cs.get(i), Run::overfitting);
            all &= step.verdict() == Verdict.YES;
            any |= step.verdict() == Verdict.NO;
            unjudged |= step.verdict() == Verdict.NOT_JUDGED;
            m.append(String.format(Locale.ROOT, "; %d->%d %s", cs.get(i - 1), cs.get(i), step.verdict().label()));
        }
        Verdict v = unjudged ? Verdict.NOT_JUDGED : any ? Verdict.NO : all ? Verdict.YES : Verdict.WITHIN_NOISE;
        return new Claim(at + "overfitting (train - test accuracy) falls monotonically with c", m
                + " (each step: paired over seeds)", v);
    }

    /**
     * Chatterjee &amp; Zielinski: early in training, per-example gradients are more coherent with real labels than
     * with random ones. Per seed: the mean over the traced steps of m-coherence(p = 0) minus m-coherence(p = 1).
     */
    private static Claim coherence(List<CoherenceTrace> traces) {
        List<Long> seeds = traces.stream().map(CoherenceTrace::seed).distinct().toList();
        double[] d = new double[seeds.size()];
        double[] real = new double[seeds.size()], random = new double[seeds.size()];
        int steps = 0;
        for (int i = 0; i < d.length; i++) {
            long s = seeds.get(i);
            CoherenceTrace a = traces.stream().filter(t -> t.seed() == s && t.noise() == 0).findFirst().orElse(null);
            CoherenceTrace b = traces.stream().filter(t -> t.seed() == s && t.noise() == 1).findFirst().orElse(null);
            if (a == null || b == null) {
                d[i] = Double.NaN;
                continue;
            }
            steps = a.mCoherence().length;
            real[i] = mean(a.mCoherence());
            random[i] = mean(b.mCoherence());
            d[i] = real[i] - random[i];
        }
        return Claim.ofPairedDifferences(String.format(Locale.ROOT, "real labels give more coherent per-example"
                        + " gradients than random ones early in training (SGD, m-coherence per step, first %d steps)",
                steps), String.format(Locale.ROOT, "mean m-coherence real %.2f vs random %.2f; real minus random",
                Spread.of(real).mean(), Spread.of(random).mean()), d);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;   // NaN when a step diverged: the claim is then not judged
    }

    /**
     * How this run differs from the paper, as we read it (Chatterjee 2020, Sec. 5 and its figures; the follow-up's
     * coherence measurement).
     *
     * @param n        training examples used
     * @param test     test examples used
     * @param embedded whether the embedded subset was used
     */
    public static List<Deviation> deviations(Config c, int n, int test, boolean embedded) {
        List<Deviation> d = new ArrayList<>();
        String data = (embedded ? "embedded " + c.dataset().name().toLowerCase(Locale.ROOT).replace('_', '-')
                + " subset" : "--data") + ", " + n + " train / " + test + " test";
        d.add(n >= 60000 && test >= 10000 ? Deviation.same("data", "MNIST, 60,000 train / 10,000 test")
                : new Deviation("data", "MNIST, 60,000 train / 10,000 test", data, "CPU time: memorizing 60,000"
                + " noisy labels takes hours per run on 2 cores; 1,000 examples are memorized in 80 epochs"));
        String net = "784-" + String.join("-", c.hidden().stream().map(String::valueOf).toList()) + "-10 ReLU";
        d.add(c.hidden().equals(List.of(2048, 2048, 2048))
                ? Deviation.same("network", "784-2048-2048-2048-10 ReLU, softmax cross-entropy")
                : new Deviation("network", "784-2048-2048-2048-10 ReLU, softmax cross-entropy", net
                + ", softmax cross-entropy", "the paper's depth at the width the time allows (a winsorized step"
                + " materializes B x P per-example gradients)"));
        d.add(c.lr() == 0.1 && c.batch() == 100 ? Deviation.same("optimizer", "vanilla SGD, lr 0.1, batch 100")
                : new Deviation("optimizer", "vanilla SGD, lr 0.1, batch 100", "SGD, lr " + c.lr() + ", batch "
                + c.batch(), "overridden"));
        d.add(new Deviation("length", "trained until SGD fits the noisy labels (its figures)", c.epochs()
                + " epochs", c.epochs() * (n / c.batch()) + " steps; long enough for SGD to memorize at this size"));
        List<Double> paperNoises = List.of(0.0, 0.25, 0.5, 0.75, 1.0);
        d.add(c.noises().equals(paperNoises) ? Deviation.same("label noise", "0, 25, 50, 75, 100 %")
                : new Deviation("label noise", "0, 25, 50, 75, 100 %", c.noises().stream()
                .map(p -> String.format(Locale.ROOT, "%.0f", p * 100)).reduce((a, b) -> a + ", " + b).orElse("")
                + " %", "time: the default runs the paper's key level (50 %) and the clean control; --full runs all"));
        d.add(c.cs().equals(List.of(0, 1, 2, 4, 8)) ? Deviation.same("winsorization", "c in {0, 1, 2, 4, 8}")
                : new Deviation("winsorization", "c in {0, 1, 2, 4, 8}", "c in " + c.cs(), "overridden"));
        d.add(new Deviation("seeds", "one run per setting, as we read the figures", c.seedRange(), "verdicts need a"
                + " spread: every claim is judged on paired differences over these seeds"));
        d.add(new Deviation("m-coherence", "Chatterjee & Zielinski: per step, real vs random labels, early in"
                + " training", c.coherenceSteps() + " steps of plain SGD, p = 0 vs p = 1, m = "
                + TrainingRun.COHERENCE_SAMPLE + " fixed examples", c.coherenceSteps() > 0 ? "the same"
                + " measurement at our network's size" : "not run"));
        return d;
    }
}
