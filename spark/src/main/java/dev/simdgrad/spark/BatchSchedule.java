package dev.simdgrad.spark;

import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;

import java.util.SplittableRandom;

/**
 * A worker's sequence of minibatches, step after step across rounds: exactly the batches nn's {@code Trainer}
 * draws with the same seed, batch size and dropLast setting on the same examples. Per epoch a Fisher-Yates shuffle
 * of 0..n-1 from one {@link SplittableRandom} stream seeded once (the order reset to the identity before each
 * shuffle), then consecutive batches of B; with B &gt;= n every epoch is one step on the whole shard, in shard
 * order, with no draw. So a worker can run any K steps of any round, and W = 1 reproduces the single-machine
 * trainer whatever K is.
 *
 * <p>Step t lies in epoch t / S at batch t mod S, S = {@link #stepsPerEpoch}. The schedule remembers the last epoch's
 * order and generator and moves forward from it; a step of an earlier epoch (a retried or recomputed task) replays
 * the shuffles from the seed: O(n) per epoch replayed, never a different order. Not thread-safe.
 */
final class BatchSchedule {
    private final long seed;
    private final int n, batchSize;
    private final boolean dropLast;
    private SplittableRandom random;
    private int[] order;
    private long epoch = -1;
    private Batch buffer;

    BatchSchedule(long seed, int n, int batchSize, boolean dropLast) {
        if (n < 1 || batchSize < 1) {
            throw new IllegalArgumentException("n=" + n + " and batchSize=" + batchSize + " must be >= 1");
        }
        this.seed = seed;
        this.n = n;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    boolean matches(long seed, int n, int batchSize, boolean dropLast) {
        return this.seed == seed && this.n == n && this.batchSize == batchSize && this.dropLast == dropLast;
    }

    /** S, the steps of one epoch over n examples: 1 when B &gt;= n, else n / B (dropLast) or ceil(n / B). */
    static long stepsPerEpoch(int n, int batchSize, boolean dropLast) {
        if (batchSize >= n) {
            return 1;
        }
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The sizes of the batches this schedule produces: {full, last} (last = full when every batch is whole). */
    static int[] batchSizes(int n, int batchSize, boolean dropLast) {
        if (batchSize >= n) {
            return new int[]{n, n};
        }
        int rest = n % batchSize;
        return new int[]{batchSize, dropLast || rest == 0 ? batchSize : rest};
    }

    /** The batch of step {@code step} (0-based, counted from the start of training) over {@code data}. */
    Batch batch(long step, Dataset data) {
        if (data.size() != n) {
            throw new IllegalArgumentException("schedule for " + n + " examples, data has " + data.size());
        }
        if (batchSize >= n) {
            return Batch.of(data);
        }
        long s = stepsPerEpoch(n, batchSize, dropLast);
        long e = step / s;
        int from = (int) (step % s) * batchSize;
        if (e < epoch || random == null) {
            random = new SplittableRandom(seed);
            order = new int[n];
            epoch = -1;
        }
        while (epoch < e) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {   // Fisher-Yates, as the Trainer draws it
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            epoch++;
        }
        if (buffer == null) {
            buffer = Batch.buffer(data, batchSize);
        }
        return buffer.gather(data, order, from, Math.min(batchSize, n - from));
    }
}
