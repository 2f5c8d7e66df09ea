package dev.simdgrad.nn;

/**
 * The trainable layers of a network after a backward pass, as (X, Δ) pairs: the per-example gradients in factored
 * form. A frozen output layer is not listed. The layer gradients tile the flat gradient vector
 * {@code [0, gradientLength())} exactly.
 */
public interface PerExampleDeltas {
    /** B, the number of examples in the batch. */
    int batchSize();

    /** Number of trainable layers. */
    int layerCount();

    /** Trainable layer l, input layer first. */
    DenseLayerBatch layer(int l);

    /** Length of the flat gradient vector (the trainable parameters). */
    int gradientLength();
}
