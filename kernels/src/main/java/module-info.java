/**
 * simdgrad kernels: SIMD (JDK Vector API) CPU kernels with a scalar fallback, for per-example gradient research.
 *
 * <p>The Vector API module is optional: without {@code --add-modules jdk.incubator.vector} every kernel runs its
 * plain-Java twin, and the provider logs how to enable SIMD.
 */
module dev.simdgrad.kernels {
    requires static jdk.incubator.vector;
    requires static java.management;
    requires static jdk.management;

    exports dev.simdgrad.kernels;
}
