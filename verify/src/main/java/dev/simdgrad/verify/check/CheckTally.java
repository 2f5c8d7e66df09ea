package dev.simdgrad.verify.check;

import java.util.function.Supplier;

/**
 * Accumulates the cases of one check: how many ran, how many failed, and the worst error/bound ratio with the case
 * that produced it. A NaN ratio counts as a failure and as the worst ratio (infinite): a comparison that produced no
 * number must not hide behind one that did.
 */
public final class CheckTally {
    private int cases;
    private int failures;
    private double worst = 0.0;
    private String worstCase = "";

    /**
     * Records one case.
     *
     * @param ratio       the case's worst element ratio ({@link ErrorRatio})
     * @param description describes the case; asked only when it becomes the worst one
     */
    public void add(double ratio, Supplier<String> description) {
        double r = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
        cases++;
        if (r > 1.0) {
            failures++;
        }
        if (r > worst || worstCase.isEmpty()) {
            worst = r;
            worstCase = description.get();
        }
    }

    /** The result so far, under {@code kernel}'s name. */
    public CheckResult result(String kernel) {
        return new CheckResult(kernel, cases, failures, worst, worstCase);
    }
}
