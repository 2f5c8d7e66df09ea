package dev.simdgrad.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * Everything a data-parallel fit needs besides the data, resolved from the estimator's params once, at the edge;
 * shipped to the executors in the tasks' closures.
 *
 * @param architecture      the network (widths, activations, ...)
 * @param strategy          the per-example strategy inside each worker
 * @param aggregator        the cross-worker aggregator on the driver
 * @param attack            what the Byzantine workers send
 * @param byzantineWorkers  f, the number of Byzantine workers (0: none)
 * @param workers           W, the number of workers (partitions of the training data)
 * @param localSteps        K &gt;= 1, the SGD steps each worker takes per round (1: synchronous SGD)
 * @param learningRate      the SGD learning rate η, &gt; 0 (the schedule's base rate)
 * @param optimizer         the workers' SGD: schedule, momentum, Nesterov, weight decay ({@link WorkerOptimizer})
 * @param batchSize         B &gt;= 1, examples per local step (B &gt;= a shard's size: full batch)
 * @param dropLast          whether each worker skips the last partial batch of its epochs
 * @param epochs            &gt;= 1; training runs ceil(epochs S / K) rounds, S the steps per epoch of the largest
 *                          shard, the last round shortened so every worker takes exactly epochs S steps
 * @param seed              the seed of the initial parameters, the batch orders, the Byzantine workers and the
 *                          Gaussian attack
 * @param checkpointDir     a directory on the driver's file system for checkpoints, or null for none
 * @param checkpointInterval write a checkpoint every this many rounds (&gt;= 1)
 * @param roundMode         how the rounds reach the workers ({@link RoundMode}); the same bits whichever
 * @param aggregationBlocks where the aggregation runs ({@link ExecutorAggregation}): -1 auto, 0 on the driver, B &gt;= 1
 *                          on the executors in B coordinate blocks; the same bits wherever
 */
record TrainingConfig(PortableArchitecture architecture, WorkerStrategy strategy, WorkerAggregator aggregator,
                      Attack attack, int byzantineWorkers, int workers, int localSteps, double learningRate,
                      WorkerOptimizer optimizer, int batchSize, boolean dropLast, int epochs, long seed,
                      String checkpointDir, int checkpointInterval, RoundMode roundMode, int aggregationBlocks)
        implements Serializable {

    /**
     * @throws IllegalArgumentException naming the setting that is out of range, or an aggregator not defined for W
     *                                  workers, or f &gt; W
     */
    TrainingConfig {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(aggregator, "aggregator");
        Objects.requireNonNull(attack, "attack");
        Objects.requireNonNull(roundMode, "roundMode");
        Objects.requireNonNull(optimizer, "optimizer");
        positive("numWorkers", workers);
        positive("localSteps", localSteps);
        positive("batchSize", batchSize);
        positive("epochs", epochs);
        positive("checkpointInterval", checkpointInterval);
        if (aggregationBlocks < -1) {
            throw new IllegalArgumentException("aggregationBlocks=" + aggregationBlocks + " must be -1 (auto), 0"
                    + " (the driver) or a number of blocks >= 1");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate=" + learningRate + " must be finite and > 0");
        }
        aggregator.checkWorkers(workers);
        Attack.chooseWorkers(byzantineWorkers, workers, seed);
    }

    /**
     * 16 hex digits identifying every setting that shapes the trajectory (not the checkpoint settings, the round mode
     * or where the aggregation runs): checkpoints carry it, so a fit resumes only from its own kind. The training data is not part of it: resuming on other data
     * is the caller's mistake to avoid.
     */
    String fingerprint() {
        String s = architecture.architecture() + "|" + strategy + "|" + aggregator + "|" + attack + "|"
                + byzantineWorkers + "|" + workers + "|" + localSteps + "|" + Double.doubleToLongBits(learningRate)
                // plain SGD adds nothing, so checkpoints written before the optimizer settings existed still resume
                + (optimizer.equals(WorkerOptimizer.PLAIN) ? "" : "|" + optimizer) + "|" + batchSize + "|" + dropLast
                + "|" + epochs + "|" + seed;
        long h = 0xcbf29ce484222325L;   // FNV-1a, 64 bits: stable across JVMs, unlike String.hashCode's 32
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return String.format("%016x", h);
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + "=" + v + " must be >= 1");
        }
    }
}
