package dev.simdgrad.nn.optim;

import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The training loop: per epoch, a seeded shuffle of the training set, then for each minibatch of B examples
 * (the last one smaller when B does not divide n, or dropped with {@code dropLast}) the objective's gradient and an
 * optimizer step. With B &gt;= n every epoch is one full-batch gradient step on the dataset itself, without copying or
 * shuffling. Same seed, same bits.
 *
 * <p>Drop the last partial batch for the order-statistic strategies: {@code Winsorize(c)} and {@code Trim(c)} need
 * 2c &lt; B and {@code MedianOfMeans(groups)} groups &lt;= B of every batch (for example 5,000 examples in batches of
 * 128 leave a last batch of 8, too small for c = 4), and a smaller last batch would change their statistics anyway.
 */
public final class Trainer {
    private final TwoLayerNet net;
    private final Objective objective;
    private final Sgd optimizer;
    private final int batchSize;
    private final boolean dropLast;
    private final SplittableRandom random;
    private float[] gradient;
    private Batch buffer;
    private Dataset bufferFor;
    private int[] order;

    /** A trainer that keeps the last partial batch of each epoch. */
    public Trainer(TwoLayerNet net, Objective objective, Sgd optimizer, int batchSize, long seed) {
        this(net, objective, optimizer, batchSize, seed, false);
    }

    /**
     * @param dropLast skip the last batch of an epoch when it has fewer than {@code batchSize} examples (ignored
     *                 when {@code batchSize >= n}: the full-batch step uses every example)
     */
    public Trainer(TwoLayerNet net, Objective objective, Sgd optimizer, int batchSize, long seed, boolean dropLast) {
        this.net = Objects.requireNonNull(net, "net");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize=" + batchSize + " must be >= 1");
        }
        this.batchSize = batchSize;
        this.dropLast = dropLast;
        this.random = new SplittableRandom(seed);
        this.gradient = new float[net.trainableCount()];
    }

    /**
     * One pass over {@code data}.
     *
     * @return the mean over the epoch's steps of the batch losses (before each step)
     */
    public double epoch(Dataset data) {
        int n = data.size();
        if (n == 0) {
            return 0;
        }
        if (batchSize >= n) {
            double l = objective.gradient(net, Batch.of(data), gradient);
            optimizer.step(net, gradient);
            return l;
        }
        if (order == null || order.length != n) {
            order = new int[n];
        }
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {   // Fisher-Yates, seeded
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        if (bufferFor != data) {   // a new dataset may carry other targets: a buffer of its own shape
            buffer = Batch.buffer(data, batchSize);
            bufferFor = data;
        }
        double total = 0;
        int steps = 0;
        int end = dropLast ? n - n % batchSize : n;
        for (int from = 0; from < end; from += batchSize) {
            int count = Math.min(batchSize, n - from);
            total += objective.gradient(net, buffer.gather(data, order, from, count), gradient);
            optimizer.step(net, gradient);
            steps++;
        }
        return total / steps;
    }

    /** The gradient of the last step (trainable parameters). */
    public float[] lastGradient() {
        return gradient;
    }

    public TwoLayerNet net() {
        return net;
    }
}
