package dev.simdgrad.nn.data;

/**
 * A two-class problem cut out of a multi-class dataset, as in the NTK experiments (Arora et al. 2019; Satpathi &amp;
 * Srikant 2021): the examples of classes {@code positive} and {@code negative}, in their original order, with scalar
 * targets y = +1 and y = -1 (width 1, for the squared loss on a single output) and labels 1 and 0 (2 classes).
 */
public final class BinarySubset {
    private BinarySubset() {
    }

    /**
     * The examples of two classes as a ±1 problem.
     *
     * @param data     a labelled dataset
     * @param positive the class that becomes y = +1 (label 1)
     * @param negative the class that becomes y = -1 (label 0)
     * @return the subset, in the original order
     * @throws IllegalArgumentException if the classes are equal or outside the dataset's classes
     */
    public static Dataset of(Dataset data, int positive, int negative) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException("a binary subset needs labels");
        }
        if (positive == negative || positive < 0 || negative < 0 || positive >= data.classes()
                || negative >= data.classes()) {
            throw new IllegalArgumentException("need two distinct classes in 0.." + (data.classes() - 1) + ": positive="
                    + positive + ", negative=" + negative);
        }
        int n = 0;
        for (int i = 0; i < data.size(); i++) {
            int y = data.label(i);
            n += y == positive || y == negative ? 1 : 0;
        }
        int[] idx = new int[n];
        for (int i = 0, r = 0; i < data.size(); i++) {
            int y = data.label(i);
            if (y == positive || y == negative) {
                idx[r++] = i;
            }
        }
        Dataset picked = data.select(idx);
        int d = data.features();
        float[] x = new float[n * d];
        int[] labels = new int[n];
        float[] targets = new float[n];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                x[r * d + j] = picked.x(r, j);
            }
            boolean pos = picked.label(r) == positive;
            labels[r] = pos ? 1 : 0;
            targets[r] = pos ? 1f : -1f;
        }
        return Dataset.owning(n, d, x, labels, 2, targets, 1);
    }
}
