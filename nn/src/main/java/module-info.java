/**
 * simdgrad nn: a minimal two-layer network trained with per-example gradient methods, built on the kernels.
 * The network, its losses, aggregation strategies and optimizers arrive with the network issue; the module exists
 * now so that the build, its module graph and the launcher are final.
 */
module dev.simdgrad.nn {
    requires transitive dev.simdgrad.kernels;
}
