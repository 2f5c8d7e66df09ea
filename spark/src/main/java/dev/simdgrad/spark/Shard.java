package dev.simdgrad.spark;

import dev.simdgrad.nn.data.Dataset;
import scala.Tuple2;

import java.io.Serializable;
import java.util.Iterator;

/**
 * The training examples of one worker (one partition), in global row order, checked as they are gathered: the first
 * bad example (lowest row index) is recorded instead of thrown, so the driver can report it plainly before training
 * ({@link Summary}). Cached by Spark for the whole fit; a cached shard also keeps its {@link BatchSchedule}, so a
 * round continues the previous round's shuffles instead of replaying them (a recomputed shard replays them: same
 * batches either way).
 */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One example as it travels from the input rows to its worker: features (null if missing) and label. */
    record Example(float[] x, double label) implements Serializable {
    }

    /**
     * What the driver needs to know about a shard before training.
     *
     * @param worker     the worker (partition) index
     * @param size       the number of examples
     * @param problemRow the global row index of the first bad example, -1 if none
     * @param problem    what is wrong with it, null if none
     */
    record Summary(int worker, int size, long problemRow, String problem) implements Serializable {
    }

    final int worker, n, d, classes;
    private final float[] x;
    private final int[] labels;
    private final long problemRow;
    private final String problem;
    private transient Dataset dataset;
    private transient BatchSchedule schedule;

    private Shard(int worker, int n, int d, int classes, float[] x, int[] labels, long problemRow, String problem) {
        this.worker = worker;
        this.n = n;
        this.d = d;
        this.classes = classes;
        this.x = x;
        this.labels = labels;
        this.problemRow = problemRow;
        this.problem = problem;
    }

    /**
     * Gathers a worker's examples, given as (global row index, example) in increasing index order, checking each:
     * features present, of length d, finite as floats; label an integer in [0, classes).
     */
    static Shard build(int worker, Iterator<Tuple2<Long, Example>> rows, int d, int classes) {
        java.util.ArrayList<Example> kept = new java.util.ArrayList<>();
        long badRow = -1;
        String bad = null;
        while (rows.hasNext()) {
            Tuple2<Long, Example> t = rows.next();
            Example e = t._2();
            if (bad == null) {
                bad = check(e, d, classes);
                if (bad != null) {
                    badRow = t._1();
                }
            }
            kept.add(e);
        }
        int n = kept.size();
        if (bad != null) {
            return new Shard(worker, n, d, classes, null, null, badRow, bad);
        }
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(kept.get(i).x(), 0, x, i * d, d);
            y[i] = (int) kept.get(i).label();
        }
        return new Shard(worker, n, d, classes, x, y, -1, null);
    }

    private static String check(Example e, int d, int classes) {
        if (e.x() == null) {
            return "the features are missing (null)";
        }
        if (e.x().length != d) {
            return "the features have " + e.x().length + " entries but the network's input width (layers[0]) is " + d;
        }
        for (int j = 0; j < d; j++) {
            if (!Float.isFinite(e.x()[j])) {
                return "feature " + j + " is " + e.x()[j] + " (as a float); features must be finite";
            }
        }
        double label = e.label();
        if (!(label >= 0 && label < classes && label == Math.rint(label))) {
            return "the label " + label + " is not a class in 0.." + (classes - 1) + " (the output width, the last"
                    + " of layers)";
        }
        return null;
    }

    Summary summary() {
        return new Summary(worker, n, problemRow, problem);
    }

    /** The examples as an nn dataset (built once per cached shard). */
    synchronized Dataset dataset() {
        if (dataset == null) {
            dataset = Dataset.classification(n, d, x, labels, classes);
        }
        return dataset;
    }

    /** The batch schedule for these settings, kept across rounds while the shard stays cached. */
    synchronized BatchSchedule schedule(long seed, int batchSize, boolean dropLast) {
        if (schedule == null || !schedule.matches(seed, n, batchSize, dropLast)) {
            schedule = new BatchSchedule(seed, n, batchSize, dropLast);
        }
        return schedule;
    }
}
