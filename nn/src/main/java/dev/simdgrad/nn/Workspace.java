package dev.simdgrad.nn;

import java.util.Arrays;

/**
 * Reusable buffers of one {@link TwoLayerNet} shape for batches of up to {@link #capacity()} examples: the forward
 * activations, the per-example deltas of both layers, and (allocated on first use) the tangents of the
 * Hessian-vector product. Nothing is allocated per step once a workspace exists. Not thread-safe: one per thread.
 *
 * <p>After {@link TwoLayerNet#forward}: Z₁ = X W₁ᵀ + b₁, H = s·σ(Z₁) and P = s·σ'(Z₁) (B x m), outputs
 * Z₂ = H W₂ᵀ + b₂ (B x k). After {@link TwoLayerNet#backward}: Δ₂ (B x k) and Δ₁ = (Δ₂ W₂) ⊙ P (B x m).
 */
public final class Workspace implements PerExampleDeltas {
    final NetSpec spec;
    final int capacity;
    final float[] z1, h, p, z2, d2, g, d1, ones;
    // Tangents of the Hessian-vector product, allocated lazily: most training never needs them.
    float[] z1Dot, hDot, z2Dot, d2Dot, d1Dot;
    final DenseLayerBatch layer1, layer2;
    private final DenseLayerBatch[] trainable;
    private final int gradientLength;
    int batch;

    Workspace(TwoLayerNet net, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be >= 1");
        }
        this.spec = net.spec();
        this.capacity = capacity;
        int m = spec.hidden(), k = spec.outputs();
        z1 = new float[capacity * m];
        h = new float[capacity * m];
        p = new float[capacity * m];
        g = new float[capacity * m];
        d1 = new float[capacity * m];
        z2 = new float[capacity * k];
        d2 = new float[capacity * k];
        ones = new float[capacity];
        Arrays.fill(ones, 1f);
        layer1 = new DenseLayerBatch(spec.inputs(), m, net.w1Offset(), net.b1Offset(), d1);
        layer2 = new DenseLayerBatch(m, k, net.w2Offset(), net.b2Offset(), d2);
        trainable = spec.freezeOutput() ? new DenseLayerBatch[] {layer1} : new DenseLayerBatch[] {layer1, layer2};
        gradientLength = net.trainableCount();
    }

    void ensureTangents() {
        if (z1Dot == null) {
            int m = spec.hidden(), k = spec.outputs();
            z1Dot = new float[capacity * m];
            hDot = new float[capacity * m];
            d1Dot = new float[capacity * m];
            z2Dot = new float[capacity * k];
            d2Dot = new float[capacity * k];
        }
    }

    /** Maximum batch size. */
    public int capacity() {
        return capacity;
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

    /** The network outputs Z₂ of the last forward pass, B x k row-major (do not modify). */
    public float[] outputs() {
        return z2;
    }

    /** The scaled hidden activations H = s·σ(Z₁) of the last forward pass, B x m row-major (do not modify). */
    public float[] hidden() {
        return h;
    }

    /** The hidden pre-activations Z₁ of the last forward pass, B x m row-major (do not modify). */
    public float[] preActivations() {
        return z1;
    }

    /** The output deltas Δ₂ = ∂ℓ_i/∂z₂, B x k row-major, written by the loss (do not modify). */
    public float[] outputDeltas() {
        return d2;
    }

    /** The hidden deltas Δ₁ = ∂ℓ_i/∂z₁, B x m row-major, written by backward (do not modify). */
    public float[] hiddenDeltas() {
        return d1;
    }

    /** Whether this workspace serves {@code net} for batches of {@code batchSize} examples. */
    public boolean accepts(TwoLayerNet net, int batchSize) {
        return batchSize <= capacity && fits(net.spec());
    }

    boolean fits(NetSpec s) {
        return s.inputs() == spec.inputs() && s.hidden() == spec.hidden() && s.outputs() == spec.outputs()
                && s.hiddenBias() == spec.hiddenBias() && s.outputBias() == spec.outputBias()
                && s.freezeOutput() == spec.freezeOutput();
    }
}
