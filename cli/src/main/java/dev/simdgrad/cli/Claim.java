package dev.simdgrad.cli;

import java.util.Locale;

/**
 * One line of a {@code reproduce} verdict: what the paper claims, what this run measured, and whether the
 * measurement agrees.
 *
 * @param paper    the claim, in a sentence
 * @param measured our numbers behind the verdict
 * @param verdict  whether they support the claim, contradict it, or cannot tell it from seed-to-seed noise
 */
record Claim(String paper, String measured, Verdict verdict) {

    /** How a measurement stands to a claim. */
    enum Verdict {
        /** The measurement supports the claim. */
        YES("yes"),
        /** The measurement contradicts the claim. */
        NO("NO"),
        /** The measured effect is smaller than its spread over seeds: neither supported nor contradicted. */
        WITHIN_NOISE("within noise"),
        /** A run the claim needs diverged (a non-finite loss or parameter): there is nothing to judge. */
        NOT_JUDGED("not judged");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        /** What the verdict table prints. */
        String label() {
            return label;
        }
    }

    /** A claim judged by a plain comparison (deterministic measurements, or a single run). */
    Claim(String paper, String measured, boolean holds) {
        this(paper, measured, holds ? Verdict.YES : Verdict.NO);
    }

    /** Whether the measurement supports the claim. */
    boolean holds() {
        return verdict == Verdict.YES;
    }

    /**
     * A claim that some effect is positive, judged on paired differences measured over seeds (each difference: the
     * claimed-better arm minus the other, both run from the same seed). The verdict is {@link Verdict#YES} when the
     * mean difference exceeds two standard errors of the mean (the paired t statistic above 2), {@link Verdict#NO}
     * when it is below minus two standard errors, and {@link Verdict#WITHIN_NOISE} in between. With a single
     * difference there is no spread to judge by, and the sign decides. A NaN difference (an arm that diverged on
     * that seed) makes the claim {@link Verdict#NOT_JUDGED}.
     *
     * @param paper       the claim
     * @param detail      what the differences compare, printed before the mean difference
     * @param differences paired differences in the claimed direction, at least one
     */
    static Claim ofPairedDifferences(String paper, String detail, double[] differences) {
        int k = differences.length;
        if (k == 0) {
            throw new IllegalArgumentException("differences: none");
        }
        long diverged = java.util.Arrays.stream(differences).filter(Double::isNaN).count();
        if (diverged > 0) {
            return new Claim(paper, String.format(Locale.ROOT, "%s; an arm diverged on %d of %d seeds", detail,
                    diverged, k), Verdict.NOT_JUDGED);
        }
        double mean = 0;
        for (double d : differences) {
            mean += d;
        }
        mean /= k;
        if (k == 1) {
            return new Claim(paper, String.format(Locale.ROOT, "%s; difference %+.4f (1 seed: no spread)", detail,
                    mean), mean > 0);
        }
        double ss = 0;
        for (double d : differences) {
            ss += (d - mean) * (d - mean);
        }
        double se = Math.sqrt(ss / (k - 1) / k);
        Verdict v = mean > 2 * se ? Verdict.YES : mean < -2 * se ? Verdict.NO : Verdict.WITHIN_NOISE;
        return new Claim(paper, String.format(Locale.ROOT, "%s; mean paired difference %+.4f +- %.4f (s.e., %d"
                + " pairs)", detail, mean, se, k), v);
    }
}
