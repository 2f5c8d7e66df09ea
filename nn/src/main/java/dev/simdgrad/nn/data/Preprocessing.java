package dev.simdgrad.nn.data;

import java.util.Locale;

/**
 * Input preprocessing fitted on the training set and applied to both splits, so that no statistic of the test set
 * leaks into training. Statistics are accumulated in double.
 * <ul>
 *   <li>{@link #NONE}: inputs as loaded (IDX and uint8 NPY images are already bytes / 255, in [0, 1]);</li>
 *   <li>{@link #SCALE}: per feature, (x - min) / (max - min) with the training set's min and max, so the training
 *   inputs lie in [0, 1] (a constant feature becomes 0);</li>
 *   <li>{@link #STANDARDIZE}: per feature, (x - mean) / std with the training mean and standard deviation (a
 *   constant feature is only centred);</li>
 *   <li>{@link #CENTER}: per feature, x - mean;</li>
 *   <li>{@link #UNIT_NORM}: every input row scaled to unit Euclidean norm (a per-example operation, the input
 *   sphere of the NTK analyses; an all-zero row stays zero).</li>
 * </ul>
 * Cost: one pass over the training set for the statistics, one pass over each split to apply them.
 */
public enum Preprocessing {
    /** Inputs as loaded. */
    NONE,
    /** Min-max scaling to [0, 1] per feature, from the training set. */
    SCALE,
    /** Zero mean and unit variance per feature, from the training set. */
    STANDARDIZE,
    /** Zero mean per feature, from the training set. */
    CENTER,
    /** Unit Euclidean norm per example. */
    UNIT_NORM;

    /** The command-line name: lower case with dashes ({@code unit-norm}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The preprocessing named {@code name} ({@code none, scale, standardize, center, unit-norm}, any case).
     *
     * @throws IllegalArgumentException for another name, listing the accepted ones
     */
    public static Preprocessing parse(String name) {
        for (Preprocessing p : values()) {
            if (p.cliName().equalsIgnoreCase(name.strip()) || p.name().equalsIgnoreCase(name.strip())) {
                return p;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not one of none, scale, standardize, center,"
                + " unit-norm");
    }

    /** Fits on {@code split.train()} and applies to both splits; the source notes the preprocessing. */
    public FashionMnist.Split apply(FashionMnist.Split split) {
        if (this == NONE) {
            return split;
        }
        if (this == UNIT_NORM) {
            return new FashionMnist.Split(split.train().unitNormalized(), split.test().unitNormalized(),
                    split.source() + ", " + cliName());
        }
        Dataset train = split.train();
        int n = train.size(), d = train.features();
        float[] x = train.inputs();
        double[] shift = new double[d], scale = new double[d];
        if (this == SCALE) {
            double[] min = new double[d], max = new double[d];
            java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    min[j] = Math.min(min[j], x[i * d + j]);
                    max[j] = Math.max(max[j], x[i * d + j]);
                }
            }
            for (int j = 0; j < d; j++) {
                shift[j] = n == 0 ? 0 : min[j];
                scale[j] = n > 0 && max[j] > min[j] ? 1 / (max[j] - min[j]) : 0;
            }
        } else {
            double[] sum = new double[d], sq = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    sum[j] += x[i * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                shift[j] = n == 0 ? 0 : sum[j] / n;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    double c = x[i * d + j] - shift[j];
                    sq[j] += c * c;
                }
            }
            for (int j = 0; j < d; j++) {
                double sd = n == 0 ? 0 : Math.sqrt(sq[j] / n);
                scale[j] = this == STANDARDIZE && sd > 0 ? 1 / sd : 1;
            }
        }
        return new FashionMnist.Split(transform(train, shift, scale), transform(split.test(), shift, scale),
                split.source() + ", " + cliName() + " (training-set statistics)");
    }

    private static Dataset transform(Dataset data, double[] shift, double[] scale) {
        int n = data.size(), d = data.features();
        float[] x = data.inputs(), y = new float[x.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                y[i * d + j] = (float) ((x[i * d + j] - shift[j]) * scale[j]);
            }
        }
        return Dataset.owning(n, d, y, data.rawLabels(), data.classes(), data.rawTargets(), data.targetWidth());
    }
}
