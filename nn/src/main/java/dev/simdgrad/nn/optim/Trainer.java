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
 * <p><b>Divergence.</b> Every step's loss is checked, and after every epoch the trainable parameters (a pass over P
 * floats per epoch, negligible beside the epoch's products): the first non-finite value stops training with a
 * {@link TrainingDivergedException} saying the epoch, the step and the last finite loss, so a diverged run never
 * returns a number that looks like a result.
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
    private int epochs;
    private double lastFiniteLoss = Double.NaN;

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
     * @throws TrainingDivergedException when a step's loss or, after the epoch, a trainable parameter is not finite
     */
    public double epoch(Dataset data) {
        int n = data.size();
        epochs++;
        if (n == 0) {
            return 0;
        }
        if (batchSize >= n) {
            double l = step(Batch.of(data), 1);
            checkParameters(1);
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
            total += step(buffer.gather(data, order, from, count), ++steps);
        }
        checkParameters(steps);
        return total / steps;
    }

    /** One step on {@code batch}; refuses to take it when the loss is not finite. */
    private double step(Batch batch, int stepInEpoch) {
        double l = objective.gradient(net, batch, gradient);
        if (!Double.isFinite(l)) {
            throw new TrainingDivergedException(epochs, stepInEpoch, l, lastFiniteLoss, "the loss");
        }
        lastFiniteLoss = l;
        optimizer.step(net, gradient);
        return l;
    }

    /** After an epoch: a step can leave non-finite parameters behind a finite loss (an infinite gradient). */
    private void checkParameters(int lastStep) {
        float[] theta = net.parameters();
        for (int i = 0, p = net.trainableCount(); i < p; i++) {
            if (!Float.isFinite(theta[i])) {
                throw new TrainingDivergedException(epochs, lastStep, lastFiniteLoss, lastFiniteLoss,
                        "parameter " + i + " after the step");
            }
        }
    }

    /** The gradient of the last step (trainable parameters). */
    public float[] lastGradient() {
        return gradient;
    }

    public TwoLayerNet net() {
        return net;
    }
}
