package dev.simdgrad.nn.data;

import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.Workspace;

import java.util.SplittableRandom;

/**
 * Synthetic data labelled by a teacher network: inputs x_i drawn i.i.d. from N(0, I_d) (or uniformly on the unit
 * sphere, x/‖x‖, as the NTK theory assumes), targets y_i = f_teacher(x_i) (k real outputs). With k &gt; 1 the labels
 * are argmax_c y_ic (ties to the lowest class) so the same data serves the cross-entropy; with k = 1 the label is
 * 1 when y &gt; 0 and 0 otherwise. The teacher should not use the symmetric initialization (its outputs would be 0).
 */
public final class TeacherDataset {
    private TeacherDataset() {
    }

    /**
     * @param teacher  the labelling network (not modified)
     * @param n        number of examples
     * @param unitNorm whether to put every input on the unit sphere
     * @param seed     seed of the inputs
     */
    public static Dataset generate(TwoLayerNet teacher, int n, boolean unitNorm, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n=" + n + " must be >= 1");
        }
        int d = teacher.spec().inputs(), k = teacher.spec().outputs();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            double s = 0;
            double[] row = new double[d];
            for (int j = 0; j < d; j++) {
                row[j] = rnd.nextGaussian();
                s += row[j] * row[j];
            }
            double scale = unitNorm && s > 0 ? 1 / Math.sqrt(s) : 1;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (row[j] * scale);
            }
        }
        int classes = Math.max(k, 2);
        Dataset inputsOnly = Dataset.owning(n, d, x, new int[n], classes, null, 0);
        Workspace ws = teacher.workspace(n);
        teacher.forward(Batch.of(inputsOnly), ws);
        float[] y = java.util.Arrays.copyOf(ws.outputs(), n * k);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            if (k == 1) {
                labels[i] = y[i] > 0 ? 1 : 0;
            } else {
                int best = 0;
                for (int c = 1; c < k; c++) {
                    if (y[i * k + c] > y[i * k + best]) {
                        best = c;
                    }
                }
                labels[i] = best;
            }
        }
        return Dataset.owning(n, d, x, labels, classes, y, k);
    }
}
