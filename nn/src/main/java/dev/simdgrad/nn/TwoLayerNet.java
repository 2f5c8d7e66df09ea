package dev.simdgrad.nn;

import java.util.Objects;

/**
 * The two-layer network f(x) = W₂ s·σ(W₁x + b₁) + b₂ : ℝᵈ → ℝᵏ with m hidden units, where s = 1 in the standard
 * parametrization and s = 1/√m in the NTK one (see {@link Parametrization}); biases are optional. This is the
 * L = 2 {@link DenseNetwork} of {@link NetSpec#architecture()}, with the names of the two-layer theory: forward,
 * backward, Hessian-vector products and every training method are the dense network's, not a copy.
 *
 * <p>Parameters, in the flat vector θ of {@link #parameters()}: W₁ (m x d row-major; row r is w_r), b₁ (m), W₂ (k x m
 * row-major; column r holds the output weights a_r of unit r), b₂ (k). The trainable parameters are a prefix: all of
 * θ, or W₁, b₁ only when the output layer is frozen. Gradients use the same layout over {@link #trainableCount()}
 * entries. The NTK Gram matrix and the min-norm solution of the metrics package are defined for this network with
 * one output.
 */
public final class TwoLayerNet extends DenseNetwork {
    private final NetSpec spec;

    private TwoLayerNet(NetSpec spec, float[] theta) {
        super(spec.architecture(), theta);
        this.spec = spec;
    }

    /** Number of parameters of a network with this spec. */
    public static int parameterCount(NetSpec spec) {
        return new TwoLayerNet(spec, null).parameterCount();
    }

    /**
     * A network with initial parameters θ₀ drawn from a {@link java.util.SplittableRandom} seeded with {@code seed}
     * (same seed, same bits), as {@link DenseNetwork#initialize} draws them for L = 2: W₁ row by row, then W₂ row by
     * row; biases start at 0.
     * <ul>
     *   <li>Standard: W₁ ~ N(0, σ₁²), W₂ ~ N(0, σ₂²) with σ from {@link Init} (He: √(2/fan_in), Xavier:
     *       √(2/(fan_in + fan_out))).</li>
     *   <li>NTK: W₁ ~ N(0, 1) entrywise, W₂ uniform in {+1, -1}.</li>
     *   <li>Symmetric: units in adjacent pairs (2j, 2j+1) with w_{2j+1} = w_{2j} and a_{2j+1} = -a_{2j}, so
     *       f(x; θ₀) = 0 for every x (exactly 0.0f with NTK's ±1 output weights for m &lt;= 256; see
     *       {@link DenseNetwork#initialize}).</li>
     * </ul>
     */
    public static TwoLayerNet initialize(NetSpec spec, long seed) {
        Objects.requireNonNull(spec, "spec");
        TwoLayerNet net = new TwoLayerNet(spec, null);
        net.draw(seed);
        return net;
    }

    /**
     * A network with the given parameters (copied), in the layout of {@link #parameters()}.
     *
     * @throws IllegalArgumentException if the length does not match the spec
     */
    public static TwoLayerNet fromParameters(NetSpec spec, float[] parameters) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(parameters, "parameters");
        return new TwoLayerNet(spec, parameters.clone());
    }

    /** An independent copy (same spec, copied parameters). */
    @Override
    public TwoLayerNet copy() {
        return new TwoLayerNet(spec, parameters().clone());
    }

    /** The two-layer spec. */
    public NetSpec spec() {
        return spec;
    }

    /** Offset of W₁ in θ (0). */
    public int w1Offset() {
        return weightOffset(0);
    }

    /** Offset of b₁, -1 without hidden bias. */
    public int b1Offset() {
        return biasOffset(0);
    }

    /** Offset of W₂ in θ. */
    public int w2Offset() {
        return weightOffset(1);
    }

    /** Offset of b₂, -1 without output bias. */
    public int b2Offset() {
        return biasOffset(1);
    }

    @Override
    public String toString() {
        return "TwoLayerNet[" + spec.inputs() + "-" + spec.hidden() + "-" + spec.outputs() + ", "
                + spec.activation() + ", " + spec.parametrization() + ", P=" + parameterCount() + "]";
    }
}
