package dev.simdgrad.nn;

import java.util.Objects;

/**
 * One dense layer of an {@link Architecture}: z = W a + b with W of shape {@code outputs x inputs}, followed (in a
 * hidden layer) by h = s·σ(z), where s is the parametrization's activation scale (see {@link Parametrization}).
 *
 * @param inputs     fan-in, the width of the layer's input a; at least 1
 * @param outputs    fan-out, the width of z; at least 1
 * @param activation σ of a hidden layer; the output layer's must be {@link Activation#IDENTITY} (its z are the
 *                   network's outputs, which the {@link Loss} reads)
 * @param bias       whether the layer has a bias b (initialized to 0)
 * @param frozen     whether W and b are held fixed during training (not part of the gradient)
 * @param init       Gaussian scale of W in the {@link Parametrization#STANDARD} parametrization (He: std
 *                   √(2/inputs), Xavier: std √(2/(inputs + outputs))); ignored by {@link Parametrization#NTK}
 */
public record LayerSpec(int inputs, int outputs, Activation activation, boolean bias, boolean frozen, Init init) {

    /** @throws IllegalArgumentException for a width below 1 or a null enum */
    public LayerSpec {
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("layer widths must be >= 1: inputs=" + inputs + ", outputs="
                    + outputs);
        }
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(init, "init");
    }

    /** Number of parameters: outputs·inputs, plus outputs with a bias. */
    public long parameterCount() {
        return (long) outputs * inputs + (bias ? outputs : 0);
    }

    /** The standard-parametrization standard deviation of W's entries under {@link #init()}. */
    public double standardDeviation() {
        return init == Init.HE ? Math.sqrt(2.0 / inputs) : Math.sqrt(2.0 / (inputs + outputs));
    }
}
