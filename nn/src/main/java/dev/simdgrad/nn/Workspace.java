package dev.simdgrad.nn;

import java.util.Arrays;

/**
 * Reusable buffers of one {@link DenseNetwork} layout for batches of up to {@link #capacity()} examples: per layer
 * the forward values and the per-example deltas, and (allocated on first use) the tangents of the Hessian-vector
 * product and the adjoints of double backpropagation. Nothing is allocated per step once a workspace exists. Not
 * thread-safe: one per thread.
 *
 * <p>After {@link DenseNetwork#forward}, for every layer l (0-based): Z_l = A_{l-1} W_lᵀ + b_l (B x n_l) and, below
 * the output layer, A_l = s_l σ(Z_l) and P_l = s_l σ'(Z_l). After {@link DenseNetwork#backward}: Δ_l (B x n_l) of
 * every layer from the output down to the lowest trainable one, and G_l = Δ_{l+1} W_{l+1} below the output. All
 * row-major with leading dimension n_l. As a {@link PerExampleDeltas} it lists the trainable layers, input layer
 * first. A workspace serves every network of the same layout ({@link Architecture#sameLayout}).
 */
public final class Workspace implements PerExampleDeltas {
    final Architecture architecture;
    final int capacity;
    final int layerCount;
    /** Per layer: pre-activations Z, deltas Δ; below the output: activations A, s·σ'(Z) P, and G. */
    final float[][] z, d, a, p, g;
    final float[] ones;
    // Tangents of the Hessian-vector product (or adjoints of double backprop), allocated lazily: most training never
    // needs them.
    float[][] zDot, aDot, dDot;
    final DenseLayerBatch[] layers;
    private final DenseLayerBatch[] trainable;
    private final int gradientLength;
    int batch;

    Workspace(DenseNetwork net, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be >= 1");
        }
        this.architecture = net.architecture();
        this.capacity = capacity;
        layerCount = architecture.layerCount();
        z = new float[layerCount][];
        d = new float[layerCount][];
        a = new float[layerCount][];
        p = new float[layerCount][];
        g = new float[layerCount][];
        layers = new DenseLayerBatch[layerCount];
        int count = 0;
        for (int l = 0; l < layerCount; l++) {
            LayerSpec s = architecture.layer(l);
            int n = capacity * s.outputs();
            z[l] = new float[n];
            d[l] = new float[n];
            if (l < layerCount - 1) {
                a[l] = new float[n];
                p[l] = new float[n];
                g[l] = new float[n];
            }
            layers[l] = new DenseLayerBatch(s.inputs(), s.outputs(), net.gradientWeightOffset(l),
                    net.gradientBiasOffset(l), d[l]);
            count += s.frozen() ? 0 : 1;
        }
        trainable = new DenseLayerBatch[count];
        for (int l = 0, t = 0; l < layerCount; l++) {
            if (!architecture.layer(l).frozen()) {
                trainable[t++] = layers[l];
            }
        }
        ones = new float[capacity];
        Arrays.fill(ones, 1f);
        gradientLength = net.trainableCount();
    }

    void ensureTangents() {
        if (zDot == null) {
            zDot = new float[layerCount][];
            aDot = new float[layerCount][];
            dDot = new float[layerCount][];
            for (int l = 0; l < layerCount; l++) {
                int n = capacity * architecture.layer(l).outputs();
                zDot[l] = new float[n];
                aDot[l] = new float[n];
                dDot[l] = new float[n];
            }
        }
    }

    /** Maximum batch size. */
    public int capacity() {
        return capacity;
    }

    /** The layout this workspace serves. */
    public Architecture architecture() {
        return architecture;
    }

    @Override
    public int batchSize() {
        return batch;
    }

    @Override
    public int layerCount() {
        return trainable.length;
    }

    @Override
    public DenseLayerBatch layer(int l) {
        return trainable[l];
    }

    @Override
    public int gradientLength() {
        return gradientLength;
    }

    /** The network outputs Z_L of the last forward pass, B x n_L row-major (do not modify). */
    public float[] outputs() {
        return z[layerCount - 1];
    }

    /** The output deltas Δ_L = ∂ℓ_i/∂z_L, B x n_L row-major, written by the loss (do not modify). */
    public float[] outputDeltas() {
        return d[layerCount - 1];
    }

    /** Layer l's pre-activations Z_l of the last forward pass, B x n_l row-major (do not modify). */
    public float[] preActivations(int l) {
        return z[l];
    }

    /**
     * Hidden layer l's activations A_l = s_l σ(Z_l) of the last forward pass, B x n_l row-major (do not modify).
     *
     * @throws IllegalArgumentException for the output layer, whose values are {@link #outputs()}
     */
    public float[] activations(int l) {
        if (l == layerCount - 1) {
            throw new IllegalArgumentException("layer " + l + " is the output layer: its values are outputs()");
        }
        return a[l];
    }

    /**
     * Layer l's deltas Δ_l = ∂ℓ_i/∂z_l of the last backward pass, B x n_l row-major (do not modify); meaningful from
     * the output layer down to the lowest trainable layer.
     */
    public float[] deltas(int l) {
        return d[l];
    }

    /** The first layer's pre-activations Z₁ (the hidden ones of a two-layer network), B x n₁ (do not modify). */
    public float[] preActivations() {
        return z[0];
    }

    /**
     * The first hidden layer's activations (H = s·σ(Z₁) of a two-layer network), B x n₁ (do not modify).
     *
     * @throws IllegalArgumentException for a one-layer network, which has none
     */
    public float[] hidden() {
        return activations(0);
    }

    /** The first layer's deltas (Δ₁ = ∂ℓ_i/∂z₁ of a two-layer network), B x n₁ (do not modify). */
    public float[] hiddenDeltas() {
        return d[0];
    }

    /** Whether this workspace serves {@code net} for batches of {@code batchSize} examples. */
    public boolean accepts(DenseNetwork net, int batchSize) {
        return batchSize <= capacity && architecture.sameLayout(net.architecture());
    }
}
