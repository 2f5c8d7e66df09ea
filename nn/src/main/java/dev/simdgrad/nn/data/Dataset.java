package dev.simdgrad.nn.data;

import java.util.Arrays;

/**
 * n examples of d features, row-major ({@code x[i * d + j]}), with class labels in 0..classes-1 and/or real
 * targets of width k ({@code targets[i * k + c]}). Immutable: every transformation returns a new dataset, and the
 * arrays handed to the constructor are copied.
 *
 * <p>Classification losses read the labels; the squared loss reads the targets (or, absent targets, the one-hot
 * encoding of the labels).
 */
public final class Dataset {
    private final int n, d, classes, k;
    private final float[] x;
    private final int[] labels;
    private final float[] targets;

    private Dataset(int n, int d, float[] x, int[] labels, int classes, float[] targets, int k, boolean copy) {
        if (n < 0 || d < 1) {
            throw new IllegalArgumentException("need n >= 0 and d >= 1: n=" + n + ", d=" + d);
        }
        if (x == null || x.length != (long) n * d) {
            throw new IllegalArgumentException("x must hold n*d = " + (long) n * d + " floats, got "
                    + (x == null ? "null" : x.length));
        }
        if (labels == null && targets == null) {
            throw new IllegalArgumentException("a dataset needs labels or targets");
        }
        if (labels != null) {
            if (labels.length != n) {
                throw new IllegalArgumentException("labels.length=" + labels.length + " != n=" + n);
            }
            if (classes < 1) {
                throw new IllegalArgumentException("classes=" + classes + " must be >= 1");
            }
            for (int i = 0; i < n; i++) {
                if (labels[i] < 0 || labels[i] >= classes) {
                    throw new IllegalArgumentException("labels[" + i + "]=" + labels[i] + " not in 0.." + (classes - 1));
                }
            }
        }
        if (targets != null && (k < 1 || targets.length != (long) n * k)) {
            throw new IllegalArgumentException("targets must hold n*k floats with k >= 1: n=" + n + ", k=" + k
                    + ", length=" + targets.length);
        }
        this.n = n;
        this.d = d;
        this.x = copy ? x.clone() : x;
        this.labels = labels == null ? null : copy ? labels.clone() : labels;
        this.classes = labels == null ? 0 : classes;
        this.targets = targets == null ? null : copy ? targets.clone() : targets;
        this.k = targets == null ? 0 : k;
    }

    /** A classification dataset: n x d inputs and labels in 0..classes-1. */
    public static Dataset classification(int n, int d, float[] x, int[] labels, int classes) {
        return new Dataset(n, d, x, labels, classes, null, 0, true);
    }

    /** A regression dataset: n x d inputs and n x k real targets. */
    public static Dataset regression(int n, int d, float[] x, float[] targets, int k) {
        return new Dataset(n, d, x, null, 0, targets, k, true);
    }

    /** Internal constructor that takes ownership of freshly built arrays (no copy). */
    static Dataset owning(int n, int d, float[] x, int[] labels, int classes, float[] targets, int k) {
        return new Dataset(n, d, x, labels, classes, targets, k, false);
    }

    /** n, the number of examples. */
    public int size() {
        return n;
    }

    /** d, features per example. */
    public int features() {
        return d;
    }

    /** Number of classes, 0 without labels. */
    public int classes() {
        return classes;
    }

    /** Width k of the real targets, 0 without targets. */
    public int targetWidth() {
        return k;
    }

    /** Whether there are class labels. */
    public boolean hasLabels() {
        return labels != null;
    }

    /** Whether there are real targets. */
    public boolean hasTargets() {
        return targets != null;
    }

    /** Feature j of example i. */
    public float x(int i, int j) {
        return x[i * d + j];
    }

    /** Label of example i. */
    public int label(int i) {
        if (labels == null) {
            throw new IllegalStateException("this dataset has no labels");
        }
        return labels[i];
    }

    /** Target c of example i. */
    public float target(int i, int c) {
        if (targets == null) {
            throw new IllegalStateException("this dataset has no targets");
        }
        return targets[i * k + c];
    }

    /** A copy of the inputs, n x d row-major. */
    public float[] inputs() {
        return x.clone();
    }

    /** A copy of the labels, or null. */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** A copy of the targets, n x k row-major, or null. */
    public float[] targets() {
        return targets == null ? null : targets.clone();
    }

    /** The same examples with these labels (same count, classes unchanged). */
    public Dataset withLabels(int[] newLabels) {
        return new Dataset(n, d, x, newLabels.clone(), classes, targets, k, false);
    }

    /** The same examples with these n x k targets. */
    public Dataset withTargets(float[] newTargets, int width) {
        return new Dataset(n, d, x, labels, classes, newTargets.clone(), width, false);
    }

    /**
     * The same examples (labels, targets) with other inputs of the same shape, for preprocessing.
     *
     * @throws IllegalArgumentException if {@code newInputs} does not hold n x d floats
     */
    public Dataset withInputs(float[] newInputs) {
        return new Dataset(n, d, newInputs.clone(), labels, classes, targets, k, false);
    }

    /** The examples at these indices, in this order. */
    public Dataset select(int[] indices) {
        int m = indices.length;
        float[] nx = new float[m * d];
        int[] nl = labels == null ? null : new int[m];
        float[] nt = targets == null ? null : new float[m * k];
        for (int r = 0; r < m; r++) {
            int i = indices[r];
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("index " + i + " not in 0.." + (n - 1));
            }
            System.arraycopy(x, i * d, nx, r * d, d);
            if (nl != null) {
                nl[r] = labels[i];
            }
            if (nt != null) {
                System.arraycopy(targets, i * k, nt, r * k, k);
            }
        }
        return new Dataset(m, d, nx, nl, classes, nt, k, false);
    }

    /**
     * The first {@code count} examples (all of them when {@code count >= n}).
     *
     * @throws IllegalArgumentException if {@code count < 0}
     */
    public Dataset head(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count=" + count + " must be >= 0");
        }
        int[] idx = new int[Math.min(count, n)];
        Arrays.setAll(idx, i -> i);
        return select(idx);
    }

    /**
     * Every input scaled to unit Euclidean norm, x_i / ‖x_i‖ (norm accumulated in double), as the NTK theory assumes;
     * an all-zero input stays zero.
     */
    public Dataset unitNormalized() {
        float[] nx = new float[x.length];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                s += v * v;
            }
            double inv = s > 0 ? 1 / Math.sqrt(s) : 0;
            for (int j = 0; j < d; j++) {
                nx[i * d + j] = (float) (x[i * d + j] * inv);
            }
        }
        return new Dataset(n, d, nx, labels, classes, targets, k, false);
    }

    // Package-private raw access for Batch (no copies on the training path).
    float[] rawX() {
        return x;
    }

    int[] rawLabels() {
        return labels;
    }

    float[] rawTargets() {
        return targets;
    }

    @Override
    public String toString() {
        return "Dataset[n=" + n + ", d=" + d + (labels != null ? ", classes=" + classes : "")
                + (targets != null ? ", k=" + k : "") + "]";
    }
}
