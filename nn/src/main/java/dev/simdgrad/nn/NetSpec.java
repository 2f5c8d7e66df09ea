package dev.simdgrad.nn;

import java.util.List;
import java.util.Objects;

/**
 * Shape and options of a {@link TwoLayerNet}: d inputs → m hidden units → k outputs. The two-layer case of an
 * {@link Architecture} (see {@link #architecture()}), with the names of the two-layer theory.
 *
 * @param inputs       d, at least 1
 * @param hidden       m, at least 1 (even when {@code symmetric})
 * @param outputs      k, at least 1
 * @param activation   σ of the hidden layer
 * @param parametrization standard or NTK (the 1/√m output scale)
 * @param init         Gaussian scale of the standard parametrization (ignored by NTK: N(0, 1) and ±1)
 * @param hiddenBias   whether the hidden layer has a bias b₁ (initialized to 0)
 * @param outputBias   whether the output layer has a bias b₂ (initialized to 0)
 * @param freezeOutput whether the output layer (W₂, b₂) is held fixed: only W₁, b₁ are trained, as in Arora et al.
 *                     2019 and Satpathi &amp; Srikant 2021
 * @param symmetric    the symmetric initialization: hidden units in pairs with equal incoming weights and opposite
 *                     outgoing weights, so f(x; θ₀) = 0 for every x
 */
public record NetSpec(int inputs, int hidden, int outputs, Activation activation, Parametrization parametrization,
                      Init init, boolean hiddenBias, boolean outputBias, boolean freezeOutput, boolean symmetric) {

    /** @throws IllegalArgumentException for a size below 1, a null enum, or an odd m with {@code symmetric} */
    public NetSpec {
        if (inputs < 1 || hidden < 1 || outputs < 1) {
            throw new IllegalArgumentException("sizes must be >= 1: d=" + inputs + ", m=" + hidden + ", k=" + outputs);
        }
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(parametrization, "parametrization");
        Objects.requireNonNull(init, "init");
        if (symmetric && hidden % 2 != 0) {
            throw new IllegalArgumentException("the symmetric initialization pairs hidden units: m=" + hidden
                    + " must be even");
        }
        long p = (long) hidden * inputs + hidden + (long) outputs * hidden + outputs;
        if (p > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many parameters: " + p);
        }
    }

    /** Standard parametrization, He init for ReLU and Xavier otherwise, both biases, nothing frozen. */
    public static NetSpec standard(int d, int m, int k, Activation activation) {
        return new NetSpec(d, m, k, activation, Parametrization.STANDARD,
                activation == Activation.RELU ? Init.HE : Init.XAVIER, true, true, false, false);
    }

    /**
     * The NTK setting of Satpathi &amp; Srikant: f(x) = (1/√m) Σ a_r σ(w_rᵀx), no biases, output layer frozen,
     * symmetric initialization.
     */
    public static NetSpec ntk(int d, int m, int k, Activation activation) {
        return new NetSpec(d, m, k, activation, Parametrization.NTK, Init.HE, false, false, true, true);
    }

    /** This spec with the given hidden and output biases. */
    public NetSpec withBiases(boolean hidden, boolean output) {
        return new NetSpec(inputs, this.hidden, outputs, activation, parametrization, init, hidden, output,
                freezeOutput, symmetric);
    }

    /** This spec with the output layer frozen or not. */
    public NetSpec withFrozenOutput(boolean frozen) {
        return new NetSpec(inputs, hidden, outputs, activation, parametrization, init, hiddenBias, outputBias, frozen,
                symmetric);
    }

    /** This spec with or without the symmetric initialization. */
    public NetSpec withSymmetricInit(boolean symmetric) {
        return new NetSpec(inputs, hidden, outputs, activation, parametrization, init, hiddenBias, outputBias,
                freezeOutput, symmetric);
    }

    /** This spec with another standard-parametrization initialization scale. */
    public NetSpec withInit(Init init) {
        return new NetSpec(inputs, hidden, outputs, activation, parametrization, init, hiddenBias, outputBias,
                freezeOutput, symmetric);
    }

    /** This spec with another hidden activation. */
    public NetSpec withActivation(Activation activation) {
        return new NetSpec(inputs, hidden, outputs, activation, parametrization, init, hiddenBias, outputBias,
                freezeOutput, symmetric);
    }

    /**
     * The same network as an {@link Architecture} of two layers: layer 0 (d → m, the activation, the hidden bias,
     * trainable) and layer 1 (m → k, identity, the output bias, frozen with {@code freezeOutput}); both layers get
     * {@link #init()}.
     */
    public Architecture architecture() {
        return new Architecture(List.of(
                new LayerSpec(inputs, hidden, activation, hiddenBias, false, init),
                new LayerSpec(hidden, outputs, Activation.IDENTITY, outputBias, freezeOutput, init)),
                parametrization, symmetric);
    }

    /** Scale s applied to the hidden activations: 1/√m for NTK, 1 for standard. */
    public float hiddenScale() {
        return parametrization == Parametrization.NTK ? (float) (1 / Math.sqrt(hidden)) : 1f;
    }
}
