package dev.simdgrad.nn.strategy;

import dev.simdgrad.kernels.DenseLayer;
import dev.simdgrad.nn.DenseLayerBatch;
import dev.simdgrad.nn.PerExampleDeltas;

/**
 * The trainable layers of a batch as the kernels' {@code DenseLayer}s writing into the flat gradient vector, for the
 * whole-gradient robust rules of {@code RobustAggregate} (Krum, Multi-Krum, geometric median, centered clipping,
 * Bulyan), which need every layer at once. The records are kept and rebuilt only for a layer whose arrays or
 * offsets changed, so a training loop allocates nothing per step once its workspace is stable.
 */
final class GramLayers {
    private DenseLayer[] layers = new DenseLayer[0];

    /** The layers of {@code deltas}, their gradients at their offsets in {@code gradient}. */
    DenseLayer[] of(PerExampleDeltas deltas, float[] gradient) {
        int n = deltas.layerCount();
        if (layers.length != n) {
            layers = new DenseLayer[n];
        }
        for (int l = 0; l < n; l++) {
            DenseLayerBatch b = deltas.layer(l);
            DenseLayer old = layers[l];
            float[] gb = b.hasBias() ? gradient : null;
            int bo = b.hasBias() ? b.biasOffset() : 0;
            if (old == null || old.d() != b.delta() || old.x() != b.input() || old.xOffset() != b.inputOffset()
                    || old.ldx() != b.inputStride() || old.gradW() != gradient || old.gradB() != gb
                    || old.dOut() != b.out() || old.dIn() != b.in() || old.ldd() != b.deltaStride()
                    || old.gradWOffset() != b.weightOffset() || old.gradBOffset() != bo) {
                layers[l] = new DenseLayer(b.out(), b.in(), b.delta(), 0, b.deltaStride(), b.input(),
                        b.inputOffset(), b.inputStride(), gradient, b.weightOffset(), b.in(), gb, bo);
            }
        }
        return layers;
    }

    /** Checks {@code B >= factor f + 3} before anything is written, naming the strategy and B. */
    static void checkF(String name, int f, int batch, int factor) {
        if (f < 0 || batch < factor * (long) f + 3) {
            throw new IllegalArgumentException(name + ": f=" + f + " needs f >= 0 and B >= " + factor + "f + 3, but"
                    + " the batch has B=" + batch + " examples");
        }
    }
}
