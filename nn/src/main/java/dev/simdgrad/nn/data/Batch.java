package dev.simdgrad.nn.data;

/**
 * A minibatch as the network consumes it: B inputs (B x d row-major from index 0), and their labels and/or targets
 * (B x k). Either a buffer of fixed capacity filled by {@link #gather}, reused every step without allocation, or a
 * zero-copy view of a whole dataset ({@link #of}) for full-batch gradient descent. The arrays are read-only for
 * everyone but this class.
 */
public final class Batch {
    private final int capacity, d, k, classes;
    private final float[] x;
    private final int[] labels;
    private final float[] targets;
    private int size;

    private Batch(int capacity, int d, float[] x, int[] labels, int classes, float[] targets, int k, int size) {
        this.capacity = capacity;
        this.d = d;
        this.x = x;
        this.labels = labels;
        this.classes = classes;
        this.targets = targets;
        this.k = k;
        this.size = size;
    }

    /** A reusable buffer for up to {@code capacity} examples shaped like {@code like}. */
    public static Batch buffer(Dataset like, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity=" + capacity + " must be >= 1");
        }
        int d = like.features(), k = like.targetWidth();
        return new Batch(capacity, d, new float[capacity * d], like.hasLabels() ? new int[capacity] : null,
                like.classes(), like.hasTargets() ? new float[capacity * k] : null, k, 0);
    }

    /** The whole dataset as one batch, without copying. */
    public static Batch of(Dataset data) {
        return new Batch(data.size(), data.features(), data.rawX(), data.rawLabels(), data.classes(),
                data.rawTargets(), data.targetWidth(), data.size());
    }

    /**
     * Fills this buffer with examples {@code order[from .. from+count)} of {@code data} (examples
     * {@code from .. from+count} in dataset order when {@code order} is null).
     *
     * @throws IllegalArgumentException if count exceeds the capacity or the dataset's shape differs (features, target
     *                                  width, class count, or which of labels and targets it has)
     */
    public Batch gather(Dataset data, int[] order, int from, int count) {
        if (count < 0 || count > capacity) {
            throw new IllegalArgumentException("count=" + count + " not in 0.." + capacity);
        }
        if (data.features() != d || data.targetWidth() != k || data.hasLabels() != (labels != null)
                || data.hasTargets() != (targets != null) || data.classes() != classes) {
            throw new IllegalArgumentException(data + " does not match this batch's shape (d=" + d
                    + (labels != null ? ", classes=" + classes : ", no labels")
                    + (targets != null ? ", k=" + k : ", no targets") + ")");
        }
        float[] dx = data.rawX();
        int[] dl = data.rawLabels();
        float[] dt = data.rawTargets();
        for (int r = 0; r < count; r++) {
            int i = order == null ? from + r : order[from + r];
            System.arraycopy(dx, i * d, x, r * d, d);
            if (labels != null) {
                labels[r] = dl[i];
            }
            if (targets != null) {
                System.arraycopy(dt, i * k, targets, r * k, k);
            }
        }
        size = count;
        return this;
    }

    /** Number of examples B currently in the batch. */
    public int size() {
        return size;
    }

    /** Maximum number of examples. */
    public int capacity() {
        return capacity;
    }

    /** d, features per example. */
    public int features() {
        return d;
    }

    /** Width of the targets, 0 without targets. */
    public int targetWidth() {
        return k;
    }

    /** Number of classes, 0 without labels. */
    public int classes() {
        return classes;
    }

    /** The inputs, B x d row-major from index 0 (the array may be longer). Do not modify. */
    public float[] inputs() {
        return x;
    }

    /** The labels (first B entries), or null. Do not modify. */
    public int[] labels() {
        return labels;
    }

    /** The targets, B x k row-major, or null. Do not modify. */
    public float[] targets() {
        return targets;
    }
}
