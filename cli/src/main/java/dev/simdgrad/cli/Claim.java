package dev.simdgrad.cli;

/**
 * One line of a {@code reproduce} verdict: what the paper claims, what this run measured, and whether the
 * measurement agrees.
 *
 * @param paper    the claim, in a sentence
 * @param measured our numbers behind the verdict
 * @param holds    whether they support the claim
 */
record Claim(String paper, String measured, boolean holds) {
}
