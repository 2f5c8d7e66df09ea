package dev.simdgrad.verify.check;

import java.util.Objects;

/**
 * The outcome of one {@link KernelCheck} at one vector width.
 *
 * @param kernel     {@link KernelCheck#name()}
 * @param cases      cases run
 * @param failures   cases whose worst element exceeded its bound (ratio above 1, or not a number)
 * @param worstRatio the largest error/bound ratio over every checked element of every case: at most 1 passes;
 *                   {@link Double#POSITIVE_INFINITY} for an error where the bound is 0 (e.g. a finite result where
 *                   NaN was due, or a write outside C)
 * @param worstCase  the case that gave {@code worstRatio}, described well enough to reproduce it; empty if none ran
 */
public record CheckResult(String kernel, int cases, int failures, double worstRatio, String worstCase) {
    /** @throws IllegalArgumentException for negative counts or more failures than cases */
    public CheckResult {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(worstCase, "worstCase");
        if (cases < 0 || failures < 0 || failures > cases) {
            throw new IllegalArgumentException("cases=" + cases + ", failures=" + failures);
        }
    }

    /** True when at least one case ran and none exceeded its bound: a check that ran nothing does not pass. */
    public boolean passed() {
        return cases > 0 && failures == 0;
    }
}
