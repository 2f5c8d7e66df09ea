package dev.simdgrad.nn.strategy;

import dev.simdgrad.kernels.RobustAggregate;
import dev.simdgrad.nn.PerExampleDeltas;

/**
 * Multi-Krum: the mean of the m per-example gradients with the smallest Krum scores (see {@link Krum}), by the
 * kernels' {@code RobustAggregate.multiKrum}: the selection from the Gram matrix, the mean by one SGEMM per layer
 * over the m selected examples (weights fl(1/m)). m = B is the mean of all examples ({@link Mean}, rounded
 * differently); m = 1 is Krum. Needs B &gt;= 2f + 3 and m &lt;= B.
 */
public final class MultiKrum implements GradientStrategy {
    private final int f, m;
    private final GramLayers layers = new GramLayers();

    /**
     * @param f Krum's f, {@code >= 0}
     * @param m the number of examples averaged, {@code >= 1}
     */
    public MultiKrum(int f, int m) {
        if (f < 0 || m < 1) {
            throw new IllegalArgumentException("f=" + f + ", m=" + m + ": needs f >= 0 and m >= 1");
        }
        this.f = f;
        this.m = m;
    }

    @Override
    public void aggregate(PerExampleDeltas deltas, float[] gradient) {
        if (!FusedLayers.prepare(deltas, gradient)) {
            return;
        }
        int b = deltas.batchSize();
        checkBatchSize(b);
        RobustAggregate.multiKrum(b, layers.of(deltas, gradient), f, m);
    }

    @Override
    public void checkBatchSize(int batchSize) {
        GramLayers.checkF("multikrum", f, batchSize, 2);
        if (m > batchSize) {
            throw new IllegalArgumentException("multikrum: m=" + m + " needs m <= B, but the batch has B=" + batchSize
                    + " examples");
        }
    }

    /** True: the scores need B &gt;= 2f + 3 and m &lt;= B of every batch. */
    @Override
    public boolean needsWholeBatches() {
        return true;
    }

    @Override
    public String toString() {
        return "multikrum(" + f + "," + m + ")";
    }
}
