package dev.simdgrad.nn;

import java.util.List;
import java.util.Objects;

/**
 * The shape and options of a {@link DenseNetwork} of L &gt;= 1 dense layers: widths n₀ (inputs), n₁, ..., n_L
 * (outputs), and
 * <pre>
 *   a₀ = x,   z_l = W_l a_{l-1} + b_l,   a_l = s_l σ_l(z_l)  (l &lt; L),   f(x) = z_L
 * </pre>
 * (written 1-based as in the papers; in the Java API layer {@code l} is {@code layers().get(l - 1)}). The activation
 * scale s_l is 1 in the {@link Parametrization#STANDARD standard} parametrization and 1/√n_l in the
 * {@link Parametrization#NTK NTK} one. With L = 1 the network is a linear (or, with softmax cross-entropy,
 * multinomial logistic) model.
 *
 * <p>Usually built with {@link DenseNetwork#builder()}.
 *
 * @param layers          the L layers, input layer first; consecutive widths must match
 * @param parametrization standard or NTK
 * @param symmetric       the symmetric initialization: units of the last hidden layer in adjacent pairs (2j, 2j+1)
 *                        with equal incoming weights and opposite outgoing weights, so f(x; θ₀) = 0 for every x
 *                        (needs L &gt;= 2, an even last hidden width and zero-initialized biases, which they are)
 */
public record Architecture(List<LayerSpec> layers, Parametrization parametrization, boolean symmetric) {

    /**
     * @throws IllegalArgumentException for no layer, mismatched consecutive widths, an output layer whose activation
     *                                  is not IDENTITY, no trainable layer, a symmetric initialization without an
     *                                  even last hidden width, or more than 2³¹ - 9 parameters
     */
    public Architecture {
        Objects.requireNonNull(parametrization, "parametrization");
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        long p = 0;
        boolean anyTrainable = false;
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec s = layers.get(l);
            if (l > 0 && s.inputs() != layers.get(l - 1).outputs()) {
                throw new IllegalArgumentException("layer " + l + " has " + s.inputs() + " inputs but layer "
                        + (l - 1) + " has " + layers.get(l - 1).outputs() + " outputs");
            }
            p += s.parameterCount();
            anyTrainable |= !s.frozen();
        }
        LayerSpec last = layers.get(layers.size() - 1);
        if (last.activation() != Activation.IDENTITY) {
            throw new IllegalArgumentException("the output layer's activation must be IDENTITY (the loss reads its"
                    + " pre-activations), got " + last.activation());
        }
        if (!anyTrainable) {
            throw new IllegalArgumentException("every layer is frozen: nothing to train");
        }
        if (symmetric) {
            if (layers.size() < 2) {
                throw new IllegalArgumentException("the symmetric initialization pairs hidden units: it needs at"
                        + " least 2 layers, got " + layers.size());
            }
            int m = last.inputs();
            if (m % 2 != 0) {
                throw new IllegalArgumentException("the symmetric initialization pairs hidden units: the last hidden"
                        + " width " + m + " must be even");
            }
        }
        if (p > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many parameters: " + p);
        }
    }

    /** L, the number of layers. */
    public int layerCount() {
        return layers.size();
    }

    /** Layer l, 0-based (W_{l+1} in the 1-based notation of the class comment). */
    public LayerSpec layer(int l) {
        return layers.get(l);
    }

    /** n₀, the input width. */
    public int inputs() {
        return layers.get(0).inputs();
    }

    /** n_L, the output width. */
    public int outputs() {
        return layers.get(layers.size() - 1).outputs();
    }

    /** The widths n₀, n₁, ..., n_L. */
    public int[] widths() {
        int[] w = new int[layers.size() + 1];
        w[0] = inputs();
        for (int l = 0; l < layers.size(); l++) {
            w[l + 1] = layers.get(l).outputs();
        }
        return w;
    }

    /**
     * The scale s applied to hidden layer l's activations: 1/√n (rounded once to float) in the NTK parametrization,
     * where n is the layer's width, and 1 otherwise; 1 for the output layer, which has no activation.
     */
    public float activationScale(int l) {
        if (parametrization != Parametrization.NTK || l == layers.size() - 1) {
            return 1f;
        }
        return (float) (1 / Math.sqrt(layers.get(l).outputs()));
    }

    /**
     * Whether a network of {@code other} has the same parameter layout and the same gradient layout: the same widths,
     * biases and frozen layers (activations, parametrization and initialization may differ).
     */
    public boolean sameLayout(Architecture other) {
        if (other.layers.size() != layers.size()) {
            return false;
        }
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec a = layers.get(l), b = other.layers.get(l);
            if (a.inputs() != b.inputs() || a.outputs() != b.outputs() || a.bias() != b.bias()
                    || a.frozen() != b.frozen()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int[] w = widths();
        for (int i = 0; i < w.length; i++) {
            sb.append(i == 0 ? "" : "-").append(w[i]);
        }
        sb.append(", ").append(parametrization);
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec s = layers.get(l);
            sb.append(", L").append(l).append('[');
            if (l < layers.size() - 1) {
                sb.append(s.activation()).append(' ');
            }
            sb.append(s.init()).append(s.bias() ? " bias" : " no-bias").append(s.frozen() ? " frozen" : "")
                    .append(']');
        }
        if (symmetric) {
            sb.append(", symmetric");
        }
        return "Architecture[" + sb + "]";
    }
}
