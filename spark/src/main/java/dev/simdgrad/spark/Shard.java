package dev.simdgrad.spark;

import dev.simdgrad.nn.data.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
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

    /** One example as read from an input row: features (null if missing) and label (NaN if missing). */
    record Example(float[] x, double label) {
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
     * The rows of one input partition that go to one worker, packed: what the shuffle that builds the shards moves
     * (a few arrays per partition and worker instead of an object per row).
     *
     * @param partition  the input partition
     * @param rows       the number of rows
     * @param x          their features, rows x d row-major (null once a row was bad)
     * @param labels     their labels (null once a row was bad)
     * @param problemRow the global row index of the first bad row, -1 if none
     * @param problem    what is wrong with it, null if none
     */
    record Piece(int partition, int rows, float[] x, int[] labels, long problemRow, String problem)
            implements Serializable {
    }

    /**
     * Splits the rows of input partition {@code partition} ({@link InputRows}), whose first row has global index
     * {@code offset}, into W pieces:
     * piece w holds the rows whose global index is w mod W, in order, each checked as it is read (features present,
     * of length d, finite as floats; label an integer in [0, classes)).
     *
     * @return (worker, piece) for every worker, empty pieces included (they carry the partition's row count)
     */
    static Iterator<Tuple2<Integer, Piece>> split(int partition, long offset, Iterator<InternalRow> rows, int workers,
                                                  int d, int classes) {
        int[] n = new int[workers];
        float[][] x = new float[workers][];
        int[][] labels = new int[workers][];
        long[] badRow = new long[workers];
        String[] bad = new String[workers];
        java.util.Arrays.fill(badRow, -1);
        int w = (int) Math.floorMod(offset, (long) workers);
        for (long i = offset; rows.hasNext(); i++, w = w + 1 == workers ? 0 : w + 1) {
            Example e = InputRows.example(rows.next());
            int k = n[w]++;
            if (bad[w] != null) {
                continue;
            }
            String problem = check(e, d, classes);
            if (problem != null) {
                bad[w] = problem;
                badRow[w] = i;
                x[w] = null;
                labels[w] = null;
                continue;
            }
            if (x[w] == null) {
                x[w] = new float[16 * d];
                labels[w] = new int[16];
            } else if (k == labels[w].length) {
                int cap = (int) Math.min(2L * k, (Integer.MAX_VALUE - 8) / d);
                if (cap <= k) {
                    throw new IllegalArgumentException("input partition " + partition + " gives worker " + w
                            + " more than " + k + " rows of " + d + " features, more than a Java array holds;"
                            + " use more workers (numWorkers)");
                }
                x[w] = java.util.Arrays.copyOf(x[w], cap * d);
                labels[w] = java.util.Arrays.copyOf(labels[w], cap);
            }
            System.arraycopy(e.x(), 0, x[w], k * d, d);
            labels[w][k] = (int) e.label();
        }
        java.util.List<Tuple2<Integer, Piece>> out = new java.util.ArrayList<>(workers);
        for (int v = 0; v < workers; v++) {
            boolean ok = bad[v] == null;
            out.add(new Tuple2<>(v, new Piece(partition, n[v],
                    ok ? (n[v] == 0 ? new float[0] : java.util.Arrays.copyOf(x[v], n[v] * d)) : null,
                    ok ? (n[v] == 0 ? new int[0] : java.util.Arrays.copyOf(labels[v], n[v])) : null,
                    badRow[v], bad[v])));
        }
        return out.iterator();
    }

    /**
     * Gathers a worker's examples from its pieces (one per input partition, in any order): the pieces in partition
     * order, so the rows in global row order. A bad row in any piece makes a shard that records the first (lowest
     * row index) and holds no examples.
     */
    static Shard build(int worker, Iterator<Tuple2<Integer, Piece>> pieces, int d, int classes) {
        java.util.List<Piece> list = new java.util.ArrayList<>();
        pieces.forEachRemaining(t -> list.add(t._2()));
        list.sort(java.util.Comparator.comparingInt(Piece::partition));
        long n = 0;
        Piece firstBad = null;
        for (Piece p : list) {
            n += p.rows();
            if (p.problem() != null && (firstBad == null || p.problemRow() < firstBad.problemRow())) {
                firstBad = p;
            }
        }
        if (n * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("worker " + worker + " would hold " + n + " examples of " + d
                    + " features, more than a Java array holds; use more workers (numWorkers)");
        }
        if (firstBad != null) {
            return new Shard(worker, (int) n, d, classes, null, null, firstBad.problemRow(), firstBad.problem());
        }
        float[] x = new float[(int) n * d];
        int[] y = new int[(int) n];
        int at = 0;
        for (Piece p : list) {
            System.arraycopy(p.x(), 0, x, at * d, p.rows() * d);
            System.arraycopy(p.labels(), 0, y, at, p.rows());
            at += p.rows();
        }
        return new Shard(worker, (int) n, d, classes, x, y, -1, null);
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
