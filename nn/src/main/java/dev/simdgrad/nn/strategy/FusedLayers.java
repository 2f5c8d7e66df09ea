package dev.simdgrad.nn.strategy;

import dev.simdgrad.nn.DenseLayerBatch;
import dev.simdgrad.nn.PerExampleDeltas;

import java.util.Arrays;

/**
 * Applies one fused coordinate-wise aggregator of the kernels' {@code FusedAggregate} to every trainable layer: the
 * weight block (out x in, row-major at {@code weightOffset}) and, with a bias, the bias block. Shared by the
 * order-statistic strategies, which differ only in the aggregator.
 */
final class FusedLayers {

    /** The signature shared by the {@code FusedAggregate} methods once their own parameter (c, groups) is bound. */
    @FunctionalInterface
    interface Rule {
        void apply(int batch, int dOut, int dIn, float[] d, int dOffset, int ldd, float[] x, int xOffset, int ldx,
                   float[] gradW, int gradWOffset, int ldgw, float[] gradB, int gradBOffset);
    }

    private FusedLayers() {
    }

    /** Checks the gradient's length; an empty batch gives the zero gradient (as {@link Mean} does). */
    static boolean prepare(PerExampleDeltas deltas, float[] gradient) {
        if (gradient.length < deltas.gradientLength()) {
            throw new IllegalArgumentException("gradient has " + gradient.length + " entries, needs "
                    + deltas.gradientLength());
        }
        if (deltas.batchSize() == 0) {
            Arrays.fill(gradient, 0, deltas.gradientLength(), 0f);
            return false;
        }
        return true;
    }

    /**
     * Checks {@code 0 <= c} and {@code 2c < B} before any layer is written, so a bad c leaves the gradient unchanged
     * (the kernel would reject it too, but only at the layer it reaches).
     */
    static void checkC(String name, int c, int batch) {
        if (c < 0 || 2L * c >= batch) {
            throw new IllegalArgumentException(name + ": c=" + c + " needs 0 <= c and 2c < B, but the batch has B="
                    + batch + " examples");
        }
    }

    static void apply(PerExampleDeltas deltas, float[] gradient, Rule rule) {
        int b = deltas.batchSize();
        for (int l = 0; l < deltas.layerCount(); l++) {
            DenseLayerBatch layer = deltas.layer(l);
            rule.apply(b, layer.out(), layer.in(), layer.delta(), 0, layer.deltaStride(),
                    layer.input(), layer.inputOffset(), layer.inputStride(),
                    gradient, layer.weightOffset(), layer.in(),
                    layer.hasBias() ? gradient : null, layer.hasBias() ? layer.biasOffset() : 0);
        }
    }
}
