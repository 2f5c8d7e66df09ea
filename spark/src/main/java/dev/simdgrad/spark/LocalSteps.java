package dev.simdgrad.spark;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Sgd;
import org.apache.spark.TaskContext;

import java.io.Serializable;

/**
 * What one worker does in a round: from the broadcast parameters θ (and its own velocity), K SGD steps on its shard
 * (softmax cross-entropy, the per-example strategy aggregating each batch's per-example gradients), exactly as nn's
 * {@code Trainer} steps: the same objective, the same optimizer code ({@link WorkerOptimizer}) at the same global
 * step numbers, the batches of {@link BatchSchedule}. Returns its trainable parameters and velocity. Cost: K
 * forward/backward passes and strategy aggregations of B examples, as on one machine.
 */
final class LocalSteps {

    /**
     * A worker's result for one round.
     *
     * @param worker    the worker (partition) index
     * @param trainable its trainable parameters after its steps (the gradient layout of nn)
     * @param velocity  its SGD velocity after its steps (gradient layout), null without momentum
     * @param loss      the mean of its steps' batch losses (each before its step)
     * @param nanos     the wall-clock time of its steps (for the round-overhead measurement; not part of the result's
     *                  meaning)
     */
    record Result(int worker, float[] trainable, float[] velocity, double loss, long nanos) implements Serializable {
    }

    private final Shard shard;
    private final TrainingConfig config;
    private final DenseNetwork net;
    private final LossGradient objective;
    private final Sgd sgd;
    private final float[] gradient;

    /**
     * A worker's stepper, kept for a run of rounds (a barrier task keeps it, so the network's workspaces and the
     * optimizer live across rounds instead of being rebuilt each round).
     *
     * @param theta      the parameters to start from (copied)
     * @param velocity   the worker's velocity (copied; null: none yet)
     * @param totalSteps the steps each worker takes in the whole fit (for the cosine schedule)
     */
    LocalSteps(Shard shard, TrainingConfig config, float[] theta, float[] velocity, long totalSteps) {
        this.shard = shard;
        this.config = config;
        this.net = DenseNetwork.fromParameters(config.architecture().architecture(), theta);
        this.objective = new LossGradient(new SoftmaxCrossEntropy(), config.strategy().create());
        this.sgd = config.optimizer().create(config.learningRate(), totalSteps);
        sgd.restore(0, velocity);
        this.gradient = new float[net.trainableCount()];
    }

    /** The network the steps move; between calls of {@link #run} its trainable parameters may be replaced. */
    DenseNetwork network() {
        return net;
    }

    /**
     * Runs steps {@code [firstStep, firstStep + steps)} of the worker's schedule from {@code theta} and, with
     * momentum, from {@code velocity} (null: none yet): a one-round stepper.
     *
     * @param totalSteps the steps each worker takes in the whole fit (for the cosine schedule)
     * @throws IllegalStateException if a batch loss is not finite (training diverged)
     */
    static Result run(Shard shard, TrainingConfig config, float[] theta, float[] velocity, long firstStep, int steps,
                      long totalSteps, int round) {
        return new LocalSteps(shard, config, theta, velocity, totalSteps).run(firstStep, steps, round);
    }

    /**
     * Runs steps {@code [firstStep, firstStep + steps)} of the worker's schedule from the network's parameters and
     * the velocity it has (the schedule at the global step {@code firstStep}).
     *
     * @throws IllegalStateException if a batch loss is not finite (training diverged)
     */
    Result run(long firstStep, int steps, int round) {
        if (sgd.steps() != firstStep) {
            sgd.restore(firstStep, sgd.velocity());
        }
        double total = 0;
        long t0 = System.nanoTime();
        // The kernels of a task use the cores Spark gave it (spark.task.cpus, default 1), not every core of the
        // executor: W concurrent tasks each asking the shared worker pool for all the cores only wait for each other.
        TaskContext task = TaskContext.get();
        int previousCap = task == null ? 0 : Parallelism.capThisThread(Math.max(1, task.cpus()));
        // One task at a time per shard: the schedule and its batch buffer are shared by attempts of the same worker.
        try {
            synchronized (shard) {
                BatchSchedule schedule = shard.schedule(Seeds.worker(config.seed(), shard.worker), config.batchSize(),
                        config.dropLast());
                for (int k = 0; k < steps; k++) {
                    Batch batch = schedule.batch(firstStep + k, shard.dataset());
                    double l = objective.gradient(net, batch, gradient);
                    if (!Double.isFinite(l)) {
                        throw new IllegalStateException("training diverged: worker " + shard.worker + ", round "
                                + round + ", local step " + k + ": the batch loss is " + l);
                    }
                    sgd.step(net, gradient);
                    total += l;
                }
            }
        } finally {
            if (task != null) {
                Parallelism.capThisThread(previousCap);
            }
        }
        return new Result(shard.worker, Trainable.gather(net), sgd.velocity(), total / steps,
                System.nanoTime() - t0);
    }
}
