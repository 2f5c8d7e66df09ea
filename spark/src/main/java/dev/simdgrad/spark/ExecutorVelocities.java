package dev.simdgrad.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The workers' momentum velocities kept on the executors between rounds run as Spark jobs (a barrier task keeps its
 * worker's velocity itself): an RDD of W partitions, partition w holding worker w's velocity, zipped with the shards
 * in the next round, so no task holds more than its own worker's velocity and the driver none (it used to collect
 * W x P velocities and broadcast them back to every task each round).
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

    /**
     * The velocity a task met for this worker (the zip pairs partition w of the shards with partition w here).
     *
     * @throws IllegalStateException if it belongs to another worker
     */
    static float[] of(Velocity v, int worker) {
        if (v.worker() != worker) {
            throw new IllegalStateException("worker " + worker + " met the velocity of worker " + v.worker());
        }
        return v.values();
    }

    /** The velocities the next round starts from (W partitions, in worker order). */
    JavaRDD<Velocity> rdd() {
        return current;
    }

    /**
     * After a round: its velocities, read from {@code holder} (the round's persisted, locally checkpointed RDD,
     * already materialized by the round's job), become the current ones; the previous round's holder is released.
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
