package dev.simdgrad.nn.optim;

import dev.simdgrad.nn.DenseNetwork;
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
 * <p>Built with named settings, before the first epoch:
 * <pre>{@code
 * Trainer trainer = Trainer.of(net, objective, optimizer).batch(100).seed(1).dropLast();
 * }</pre>
 * Defaults: full batch (every epoch one gradient step on the whole dataset), seed 0, the last partial batch kept.
 *
 * <p>Drop the last partial batch for the strategies whose {@code GradientStrategy.needsWholeBatches()} is true (the
 * order statistics): {@code Winsorize(c)} and {@code Trim(c)} need 2c &lt; B and {@code MedianOfMeans(groups)}
 * groups &lt;= B of every batch (for example 5,000 examples in batches of 128 leave a last batch of 8, too small for
 * c = 4), and a smaller last batch would change their statistics anyway.
 */
public final class Trainer {
    private final DenseNetwork net;
    private final Objective objective;
    private final Sgd optimizer;
    private int batchSize = Integer.MAX_VALUE;
    private boolean dropLast;
    private long seed;
    private SplittableRandom random;
    private float[] gradient;
    private Batch buffer;
    private Dataset bufferFor;
    private int[] order;
    private int epochs;
    private double lastFiniteLoss = Double.NaN;

    private Trainer(DenseNetwork net, Objective objective, Sgd optimizer) {
        this.net = Objects.requireNonNull(net, "net");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.gradient = new float[net.trainableCount()];
    }

    /**
     * A trainer of {@code net} that descends {@code objective} with {@code optimizer}; configure it with the named
     * settings below before the first {@link #epoch}.
     */
    public static Trainer of(DenseNetwork net, Objective objective, Sgd optimizer) {
        return new Trainer(net, objective, optimizer);
    }

    /**
     * A trainer that keeps the last partial batch of each epoch.
     *
     * @deprecated use {@code Trainer.of(net, objective, optimizer).batch(batchSize).seed(seed)}
     */
    @Deprecated
    public Trainer(DenseNetwork net, Objective objective, Sgd optimizer, int batchSize, long seed) {
        this(net, objective, optimizer, batchSize, seed, false);
    }

    /**
     * @param dropLast skip the last batch of an epoch when it has fewer than {@code batchSize} examples
     * @deprecated use {@code Trainer.of(net, objective, optimizer).batch(batchSize).seed(seed).dropLast(dropLast)}
     */
    @Deprecated
    public Trainer(DenseNetwork net, Objective objective, Sgd optimizer, int batchSize, long seed, boolean dropLast) {
        this(net, objective, optimizer);
        batch(batchSize).seed(seed).dropLast(dropLast);
    }

    /**
     * B, the examples per step; with B &gt;= n every epoch is one full-batch step.
     *
     * @throws IllegalArgumentException if {@code batchSize < 1}
     * @throws IllegalStateException    after the first epoch
     */
    public Trainer batch(int batchSize) {
        unstarted();
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize=" + batchSize + " must be >= 1");
        }
        this.batchSize = batchSize;
        return this;
    }

    /**
     * The seed of the shuffles (same seed, same bits).
     *
     * @throws IllegalStateException after the first epoch
     */
    public Trainer seed(long seed) {
        unstarted();
        this.seed = seed;
        return this;
    }

    /**
     * Skips the last batch of an epoch when it has fewer than B examples (ignored when B &gt;= n: the full-batch
     * step uses every example).
     *
     * @throws IllegalStateException after the first epoch
     */
    public Trainer dropLast() {
        return dropLast(true);
    }

    /**
     * Whether to skip the last partial batch of each epoch (see {@link #dropLast()}).
     *
     * @throws IllegalStateException after the first epoch
     */
    public Trainer dropLast(boolean dropLast) {
        unstarted();
        this.dropLast = dropLast;
        return this;
    }

    private void unstarted() {
        if (random != null) {
            throw new IllegalStateException("settings are fixed once training has started");
        }
    }

    /** B (Integer.MAX_VALUE for full batch unless set). */
    public int batchSize() {
        return batchSize;
    }

    /** Whether the last partial batch of an epoch is skipped. */
    public boolean dropsLast() {
        return dropLast;
    }

    /**
     * One pass over {@code data}.
     *
     * @return the mean over the epoch's steps of the batch losses (before each step)
     * @throws TrainingDivergedException when a step's loss or, after the epoch, a trainable parameter is not finite
     */
    public double epoch(Dataset data) {
        if (random == null) {
            random = new SplittableRandom(seed);
        }
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

    /** The network being trained. */
    public DenseNetwork net() {
        return net;
    }
}
