package dev.simdgrad.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The workers' momentum velocities kept on the executors between rounds, for a fit whose aggregation runs there
 * ({@link ExecutorAggregation}): an RDD of W partitions, partition w holding worker w's velocity, zipped with the
 * shards in the next round, so neither the driver nor any task holds more than one worker's velocity.
 *
 * <p>Each round's velocities come out of the same task as the worker's parameters (one persisted RDD, see
 * {@link ExecutorAggregation#round}); that RDD is locally checkpointed ({@code localCheckpoint}), which cuts its
 * lineage so a long fit's task descriptions do not grow round after round. The price, as Spark documents for local
 * checkpoints: a lost executor loses the velocities it held and the fit stops with Spark's error; a failed task is
 * still retried from the previous round's velocities. The driver collects the velocities only when it writes a
 * checkpoint (every {@code checkpointInterval} rounds), so a fit stopped that way resumes from the last checkpoint
 * with the same bits.
 */
final class ExecutorVelocities {
    /** One worker's velocity (null: none yet). */
    record Velocity(int worker, float[] values) implements Serializable {
    }

    private JavaRDD<Velocity> current;
    private JavaRDD<?> holder;

    /** Starts from these velocities (one per worker, in worker order; null entries: none yet). */
    ExecutorVelocities(JavaSparkContext sc, float[][] initial) {
        List<Velocity> list = new ArrayList<>(initial.length);
        for (int w = 0; w < initial.length; w++) {
            list.add(new Velocity(w, initial[w]));
        }
        current = sc.parallelize(list, initial.length);
    }

    /** The velocities the next round starts from (W partitions, in worker order). */
    JavaRDD<Velocity> rdd() {
        return current;
    }

    /**
     * After a round: its velocities, read from {@code holder} (the round's persisted, locally checkpointed RDD,
     * already materialized), become the current ones; the previous round's holder is released.
     */
    void advance(JavaRDD<Velocity> next, JavaRDD<?> holder) {
        JavaRDD<?> old = this.holder;
        this.current = next;
        this.holder = holder;
        if (old != null) {
            old.unpersist(false);
        }
    }

    /** The velocities on the driver, in worker order (for a checkpoint). */
    float[][] collect() {
        List<Velocity> all = current.collect();
        float[][] out = new float[all.size()][];
        for (Velocity v : all) {
            out[v.worker()] = v.values();
        }
        return out;
    }

    /** Releases what the executors hold. */
    void release() {
        if (holder != null) {
            holder.unpersist(false);
            holder = null;
        }
    }
}
