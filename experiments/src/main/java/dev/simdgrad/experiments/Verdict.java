package dev.simdgrad.experiments;

/**
 * How a measurement stands to a paper's claim. Every verdict an experiment prints is one of these, computed from
 * its runs (over seeds where there are seeds); none is a threshold that cannot fail.
 */
public enum Verdict {
    /** The measurement supports the claim (over seeds: the effect exceeds two standard errors). */
    YES("yes"),
    /** The measurement contradicts the claim. */
    NO("NO"),
    /** The measured effect is smaller than its spread over seeds: neither supported nor contradicted. */
    WITHIN_NOISE("within noise"),
    /**
     * The claim could not have failed in this setting (a bound at or above its trivial value, such as an error
     * bound &gt;= 1): it is listed, but it says nothing.
     */
    VACUOUS("vacuous"),
    /** A run the claim needs diverged (a non-finite loss or parameter): there is nothing to judge. */
    NOT_JUDGED("not judged");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    /** What the verdict tables print. */
    public String label() {
        return label;
    }
}
