package dev.simdgrad.nn;

/**
 * One dense layer seen through a batch: its inputs X (B x in) and its per-example output deltas Δ (B x out), with
 * δ_i = ∂ℓ_i/∂(pre-activation output of example i). Everything a per-example gradient method needs, without the
 * per-example gradients themselves:
 * <ul>
 *   <li>g_i = δ_i x_iᵀ (out x in) for the weights, δ_i for the bias;</li>
 *   <li>‖g_i‖² = ‖δ_i‖² (‖x_i‖² + 1 with a bias);</li>
 *   <li>Σ_i s_i g_i = (diag(s) Δ)ᵀ X.</li>
 * </ul>
 * Element (i, j) of X is {@code input()[inputOffset() + i * inputStride() + j]}, of Δ
 * {@code delta()[i * deltaStride() + j]}. The arrays belong to a {@link Workspace} and are valid until the next
 * forward pass; do not modify them.
 *
 * <p>The layer's gradient lives in the flat gradient vector of its network (the trainable layers' blocks in order,
 * see {@link DenseNetwork}): weights out x in row-major at {@link #weightOffset()}, bias at {@link #biasOffset()}.
 */
public final class DenseLayerBatch {
    private final int in, out, weightOffset, biasOffset;
    private float[] input;
    private int inputOffset, inputStride;
    private final float[] delta;
    private int batch;

    DenseLayerBatch(int in, int out, int weightOffset, int biasOffset, float[] delta) {
        this.in = in;
        this.out = out;
        this.weightOffset = weightOffset;
        this.biasOffset = biasOffset;
        this.delta = delta;
    }

    void bind(float[] input, int inputOffset, int inputStride, int batch) {
        this.input = input;
        this.inputOffset = inputOffset;
        this.inputStride = inputStride;
        this.batch = batch;
    }

    /** B, the number of examples. */
    public int batch() {
        return batch;
    }

    /** Inputs per example (columns of X, of the weight matrix). */
    public int in() {
        return in;
    }

    /** Outputs per example (columns of Δ, rows of the weight matrix). */
    public int out() {
        return out;
    }

    /** Storage of X (see the class comment for the element layout). */
    public float[] input() {
        return input;
    }

    /** Index of X's element (0, 0) in {@link #input()}. */
    public int inputOffset() {
        return inputOffset;
    }

    /** Row stride of X in {@link #input()}. */
    public int inputStride() {
        return inputStride;
    }

    /** Storage of Δ, B x out row-major from index 0. */
    public float[] delta() {
        return delta;
    }

    /** Row stride of Δ: {@link #out()}. */
    public int deltaStride() {
        return out;
    }

    /** Whether the layer has a bias. */
    public boolean hasBias() {
        return biasOffset >= 0;
    }

    /** Offset of the out x in weight gradient in the flat gradient vector. */
    public int weightOffset() {
        return weightOffset;
    }

    /** Offset of the bias gradient in the flat gradient vector, -1 without bias. */
    public int biasOffset() {
        return biasOffset;
    }

    /** Number of parameters of this layer: out·in, plus out with a bias. */
    public int parameterCount() {
        return out * in + (hasBias() ? out : 0);
    }
}
