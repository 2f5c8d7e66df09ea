/**
 * simdgrad verify: the scalar reference of every kernel (plain loops, double accumulation) and the error bounds
 * the kernels are held to. The property tests that compare the two live in this module's test sources.
 */
module dev.simdgrad.verify {
    requires transitive dev.simdgrad.kernels;
    requires transitive dev.simdgrad.nn;

    exports dev.simdgrad.verify;
    exports dev.simdgrad.verify.check;
}
