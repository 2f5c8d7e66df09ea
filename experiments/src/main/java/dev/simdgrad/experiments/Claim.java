package dev.simdgrad.experiments;

import java.util.Arrays;
import java.util.Locale;

/**
 * One line of an experiment's verdict table: what the paper claims, what this run measured, and the {@link Verdict}.
 *
 * @param paper    the claim, in a sentence
 * @param measured our numbers behind the verdict
 * @param verdict  how the numbers stand to the claim
 */
public record Claim(String paper, String measured, Verdict verdict) {

    /** A claim judged by a plain comparison of deterministic measurements (no seed-to-seed spread to weigh). */
    public static Claim judged(String paper, String measured, boolean holds) {
        return new Claim(paper, measured, holds ? Verdict.YES : Verdict.NO);
    }

    /** A claim that cannot fail in this setting; {@code why} says why (e.g. "the bound is >= 1 at p = 0.5"). */
    public static Claim vacuous(String paper, String measured, String why) {
        return new Claim(paper, measured + "; vacuous: " + why, Verdict.VACUOUS);
    }

    /** A claim that needs a run that diverged. */
    public static Claim notJudged(String paper, String why) {
        return new Claim(paper, why, Verdict.NOT_JUDGED);
    }

    /** Whether the measurement supports the claim. */
    public boolean holds() {
        return verdict == Verdict.YES;
    }

    /**
     * A claim that some effect is positive, judged on paired differences measured over seeds (each difference: the
     * claimed-better arm minus the other, both run from the same seed). The verdict is {@link Verdict#YES} when the
     * mean difference exceeds two standard errors of the mean (the paired t statistic above 2), {@link Verdict#NO}
     * when it is below minus two standard errors, and {@link Verdict#WITHIN_NOISE} in between. A single
     * difference says nothing about the noise, so one seed is always {@link Verdict#WITHIN_NOISE}, whatever its
     * sign. A NaN difference (an arm that diverged on that seed) makes
     * the claim {@link Verdict#NOT_JUDGED}.
     *
     * @param paper       the claim
     * @param detail      what the differences compare, printed before the mean difference
     * @param differences paired differences in the claimed direction, at least one
     * @throws IllegalArgumentException if there are no differences
     */
    public static Claim ofPairedDifferences(String paper, String detail, double[] differences) {
        int k = differences.length;
        if (k == 0) {
            throw new IllegalArgumentException("differences: none");
        }
        long diverged = Arrays.stream(differences).filter(Double::isNaN).count();
        if (diverged > 0) {
            return new Claim(paper, String.format(Locale.ROOT, "%s; an arm diverged on %d of %d seeds", detail,
                    diverged, k), Verdict.NOT_JUDGED);
        }
        Spread s = Spread.of(differences);
        if (k == 1) {
            return new Claim(paper, String.format(Locale.ROOT, "%s; difference %+.4f (1 seed: no spread to judge"
                    + " by)", detail, s.mean()), Verdict.WITHIN_NOISE);
        }
        double se = s.standardError();
        Verdict v = s.mean() > 2 * se ? Verdict.YES : s.mean() < -2 * se ? Verdict.NO : Verdict.WITHIN_NOISE;
        return new Claim(paper, String.format(Locale.ROOT, "%s; mean paired difference %+.4f +- %.4f (s.e., %d"
                + " seeds)", detail, s.mean(), se, k), v);
    }
}
