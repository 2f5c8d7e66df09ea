/**
 * simdgrad experiments: each paper reproduced as a typed, seeded computation whose claims get verdicts computed
 * from its runs. One package per paper: {@code coherent} (Coherent Gradients, Chatterjee, ICLR 2020),
 * {@code minnorm} (min-norm convergence of wide two-layer networks, Satpathi &amp; Srikant 2021, with Arora et al.
 * 2019), {@code gradreg} (gradient regularization by finite differences, Karakida et al., ICML 2023); the shared
 * vocabulary ({@code Claim}, {@code Verdict}, {@code Deviation}, {@code Spread}, {@code TrainingRun}) in the root
 * package. Computes results; prints and draws nothing (the command line renders them).
 */
module dev.simdgrad.experiments {
    requires transitive dev.simdgrad.nn;

    exports dev.simdgrad.experiments;
    exports dev.simdgrad.experiments.coherent;
    exports dev.simdgrad.experiments.minnorm;
    exports dev.simdgrad.experiments.gradreg;
}
