package dev.simdgrad.kernels;

/**
 * One dense layer of a batch for the fused robust aggregators of {@link RobustAggregate}: its inputs X and output
 * deltas D (the per-example gradient of example i is {@code g_i = d_i x_i^T}, and {@code d_i} for the bias), and
 * where its aggregated gradient goes. The batch size B is given to the aggregator, not here.
 *
 * <p>X is {@code B x dIn}, element (i, c) at {@code x[xOffset + i*ldx + c]}; D is {@code B x dOut}, element (i, r)
 * at {@code d[dOffset + i*ldd + r]}; the aggregated weight gradient is {@code dOut x dIn} at
 * {@code gradW[gradWOffset + r*ldgw + c]}; the bias gradient, when {@code gradB} is not null, is
 * {@code gradB[gradBOffset + r]}. The record holds references, it does not copy; arguments are checked by the
 * aggregator that uses it, against its B, before anything is written.
 *
 * @param dOut        outputs of the layer (rows of W, columns of D), {@code >= 0}
 * @param dIn         inputs of the layer (columns of W and X), {@code >= 0}
 * @param d           storage of D
 * @param dOffset     index of D's element (0, 0)
 * @param ldd         row stride of D, {@code >= max(1, dOut)}
 * @param x           storage of X
 * @param xOffset     index of X's element (0, 0)
 * @param ldx         row stride of X, {@code >= max(1, dIn)}
 * @param gradW       storage of the weight gradient
 * @param gradWOffset index of its element (0, 0)
 * @param ldgw        its row stride, {@code >= max(1, dIn)}
 * @param gradB       storage of the bias gradient, or null for a layer without bias
 * @param gradBOffset index of its element 0
 */
public record DenseLayer(int dOut, int dIn, float[] d, int dOffset, int ldd, float[] x, int xOffset, int ldx,
                         float[] gradW, int gradWOffset, int ldgw, float[] gradB, int gradBOffset) {

    /** Whether the layer has a bias (its gradient is written). */
    public boolean hasBias() {
        return gradB != null;
    }

    /** The parameters of the layer: {@code dOut dIn}, plus dOut with a bias. */
    public long parameters() {
        return (long) dOut * dIn + (gradB != null ? dOut : 0);
    }
}
