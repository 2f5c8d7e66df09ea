package dev.simdgrad.kernels;

import dev.simdgrad.kernels.internal.elementwise.ElementwiseKernel;

/**
 * The parameter update of stochastic gradient descent, with (coupled, L2) weight decay λ and optional heavy-ball or
 * Nesterov momentum μ, over a span of parameters θ and its gradient g (the convention of PyTorch's
 * {@code torch.optim.SGD}). Per element, in float, each operation rounded once (a multiply then an add or subtract,
 * never a fused multiply-add):
 * <pre>
 *   sgd:       θ ← θ - η (g + λ θ)
 *   momentum:  g' = g + λ θ,   v ← μ v + g',   θ ← θ - η (Nesterov ? g' + μ v : v)
 *   shifted:   out = θ + t v      (the perturbed parameters of F-GR, B-GR and SAM)
 * </pre>
 * so the result is the same bits at every vector width and on the scalar path. NaN and ±Inf propagate as IEEE
 * arithmetic does (λ = 0 still forms {@code 0 * θ}, so an infinite θ becomes NaN): nothing is skipped or clamped.
 *
 * <p>Why a kernel: the loop is one line, but C2 does not vectorize a loop over two arrays at two offsets (it cannot
 * prove they do not overlap); the update of a 784-256-10 network's 203,530 parameters took 90 us as that loop and
 * 18-20 us here (1 thread, Zen 4). Cost: one pass over θ and g (and v), memory-bound; single-threaded.
 *
 * <p>Errors, before anything is written: {@code length < 0}, a null array or a span past its array's end, and spans
 * of θ, g and v that overlap in the same array ({@link IllegalArgumentException} / {@link IndexOutOfBoundsException},
 * naming the argument).
 */
public final class ParameterUpdate {
    private ParameterUpdate() {
    }

    /**
     * {@code θ[i] ← θ[i] - η (g[i] + λ θ[i])} for the {@code length} elements from {@code thetaOffset} and
     * {@code gradientOffset}.
     *
     * @param learningRate η
     * @param weightDecay  λ (0 for none)
     */
    public static void sgd(float[] theta, int thetaOffset, float[] gradient, int gradientOffset, int length,
                           float learningRate, float weightDecay) {
        Checks.size("length", length, 0, "the parameter span");
        Checks.vector("theta", theta, thetaOffset, length, "the parameter span");
        Checks.vector("gradient", gradient, gradientOffset, length, "the parameter span");
        Checks.disjointVector("theta", theta, thetaOffset, length, "gradient", gradient, gradientOffset, length);
        ElementwiseKernel.CHOSEN.sgd(theta, thetaOffset, gradient, gradientOffset, length, learningRate,
                weightDecay);
    }

    /**
     * The momentum update (see the class comment) of {@code length} elements; {@code velocity} holds v from the
     * previous step (zeros before the first) and receives the new v.
     *
     * @param learningRate η
     * @param weightDecay  λ (0 for none)
     * @param momentum     μ
     * @param nesterov     Nesterov's form θ ← θ - η (g' + μ v) instead of θ ← θ - η v
     */
    public static void momentum(float[] theta, int thetaOffset, float[] gradient, int gradientOffset,
                                float[] velocity, int velocityOffset, int length, float learningRate,
                                float weightDecay, float momentum, boolean nesterov) {
        Checks.size("length", length, 0, "the parameter span");
        Checks.vector("theta", theta, thetaOffset, length, "the parameter span");
        Checks.vector("gradient", gradient, gradientOffset, length, "the parameter span");
        Checks.vector("velocity", velocity, velocityOffset, length, "the parameter span");
        Checks.disjointVector("theta", theta, thetaOffset, length, "gradient", gradient, gradientOffset, length);
        Checks.disjointVector("velocity", velocity, velocityOffset, length, "gradient", gradient, gradientOffset,
                length);
        Checks.disjointOutputs("theta", theta, thetaOffset, length, "velocity", velocity, velocityOffset, length);
        ElementwiseKernel.CHOSEN.momentum(theta, thetaOffset, gradient, gradientOffset, velocity, velocityOffset,
                length, learningRate, weightDecay, momentum, nesterov);
    }

    /**
     * {@code out[i] = θ[i] + t v[i]} for the {@code length} elements from the offsets: the parameters moved a step t
     * along v, written beside θ (the second point of F-GR, B-GR and SAM). One multiply and one add per element, each
     * rounded once. {@code out} must not overlap θ or v.
     */
    public static void shifted(float[] theta, int thetaOffset, float[] direction, int directionOffset, int length,
                               float t, float[] out, int outOffset) {
        Checks.size("length", length, 0, "the parameter span");
        Checks.vector("theta", theta, thetaOffset, length, "the parameter span");
        Checks.vector("direction", direction, directionOffset, length, "the parameter span");
        Checks.vector("out", out, outOffset, length, "the parameter span");
        Checks.disjointVector("out", out, outOffset, length, "theta", theta, thetaOffset, length);
        Checks.disjointVector("out", out, outOffset, length, "direction", direction, directionOffset, length);
        ElementwiseKernel.CHOSEN.shifted(theta, thetaOffset, direction, directionOffset, length, t, out, outOffset);
    }
}
