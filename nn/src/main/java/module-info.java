/**
 * simdgrad nn: dense networks of any depth on the kernels ({@code DenseNetwork}, with {@code TwoLayerNet} as its
 * two-layer case), with the per-example gradient methods, optimizers, regularizers, metrics and data loading of
 * Coherent Gradients (Chatterjee 2020), the min-norm convergence of wide networks (Satpathi &amp; Srikant 2021) and
 * gradient regularization by finite differences (Karakida et al. 2023).
 */
module dev.simdgrad.nn {
    requires transitive dev.simdgrad.kernels;

    exports dev.simdgrad.nn;
    exports dev.simdgrad.nn.data;
    exports dev.simdgrad.nn.strategy;
    exports dev.simdgrad.nn.optim;
    exports dev.simdgrad.nn.metrics;
    exports dev.simdgrad.nn.io;
}
