/**
 * {@code ./simdgrad reproduce byzantine}: Byzantine-robust distributed learning (Yin, Chen, Ramchandran and Bartlett,
 * ICML 2018) on Spark in local mode. {@link dev.simdgrad.spark.byzantine.ByzantineRobustness} runs the grid of
 * Byzantine workers f, attacks and aggregators over seeds (every arm of a seed in lockstep,
 * {@link dev.simdgrad.spark.LockstepFits}) and returns a typed result; {@link dev.simdgrad.spark.byzantine.ByzantineClaims}
 * judges the paper's claims on it in the shared vocabulary of {@code dev.simdgrad.experiments} (Claim, Verdict,
 * Deviation). Prints nothing: the command line renders the result.
 */
package dev.simdgrad.spark.byzantine;
