/**
 * simdgrad nn: a minimal two-layer network on the kernels, with the per-example gradient methods, optimizers,
 * regularizers, metrics and data loading of the source papers (see MISSION.md).
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
