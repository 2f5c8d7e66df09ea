package dev.simdgrad.spark;

import org.apache.spark.HashPartitioner;
import dev.simdgrad.kernels.BlockwiseAggregate;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A round whose aggregation runs on the executors, for W x P too large for the driver: a reduce-scatter over B
 * coordinate blocks. Each worker's task runs its local steps and cuts its P trainable parameters into B blocks;
 * a shuffle by block ({@code partitionBy}) brings the W pieces of a block to one task, which applies the attack and
 * the aggregator to that W x P_b matrix; the driver collects the B aggregated blocks (P floats) instead of W x P.
 *
 * <p><b>Coordinate-wise rules: same bits as on the driver.</b> Mean, median, trimmed and winsorized means and median
 * of means ({@link WorkerAggregator#coordinateWise()}) compute each coordinate from its W values in worker order, so a
 * block's columns get the values the whole matrix would give them: one job per round.
 *
 * <p><b>Distance-based rules</b> (Krum, Multi-Krum, the geometric median, centered clipping, Bulyan) see the rows
 * through their W x W squared distances, which are sums over the columns ({@link BlockwiseAggregate}). The round is
 * two jobs over the same shuffled, persisted blocks: the first returns each block's distances (for centered clipping
 * with the center as vector W), which the driver sums in block order and hands to the rule
 * ({@link WorkerAggregator#decide}); the second applies the rule's outcome (a row to copy, W weights, or Bulyan's
 * selection) to every block. The driver holds W x W doubles, never a row. With one block this is the driver's rule
 * bit for bit; with more, each distance is summed in a different order (within the kernels' relative bound plus
 * {@code gamma_d(B)}), so a selection can differ only on a near tie of the scores and the weights move by the
 * distances' rounding. The result is the same for every number of executors and cores, given B.
 *
 * <p>The attacks are coordinate-wise, except the Gaussian one's single random stream over the row, which the Byzantine
 * worker's own task applies to its whole row before cutting it ({@link Attack#wholeRowOnly}). With worker momentum
 * the velocities stay on the executors too ({@link ExecutorVelocities}): the same bits as on the driver.
 *
 * <p><b>Where the switch is</b> ({@code aggregationBlocks}): -1 (auto, the default) aggregates on the executors when
 * the driver's two W x P float matrices (the collected results and the aggregation's input) would take more than a
 * quarter of the driver's heap and the fit allows it, in blocks of about 32 MiB (W x P_b floats); 0 always on the
 * driver; B &gt;= 1 on the executors in B blocks. Cost per round: one job of two stages (two jobs for the distance
 * rules, the second reading the persisted blocks), a shuffle of W x P floats between the executors, the collection
 * of P floats (and of B x W x W doubles).
 */
final class ExecutorAggregation {
    /** A block's input on its way to its aggregating task: the worker's slice, and (block 0) its loss and time. */
    record Piece(int worker, float[] slice, double loss, long nanos) implements Serializable {
    }

    /** An aggregated block, and (block 0) every worker's loss and compute time. */
    record Block(int block, float[] aggregate, double[] losses, long[] nanos) implements Serializable {
    }

    /** A block's W x P_b matrix after the attack (and its center slice), kept between a distance rule's two jobs. */
    record Rows(int block, float[] matrix, float[] center, double[] losses, long[] nanos) implements Serializable {
    }

    /** A block's part of the W x W squared distances (the losses and times come with the second job's blocks). */
    record Distances(int block, double[] distances) implements Serializable {
    }

    private ExecutorAggregation() {
    }

    /**
     * The number of blocks for this fit (0: on the driver).
     *
     * @throws IllegalArgumentException if blocks are asked for and the round mode cannot have them
     */
    static int blocks(TrainingConfig config, int p) {
        int asked = config.aggregationBlocks();
        String why = reasonAgainst(config);
        if (asked > 0) {
            if (why != null) {
                throw new IllegalArgumentException("aggregationBlocks=" + asked + ": " + why + "; set"
                        + " aggregationBlocks=0 to aggregate on the driver");
            }
            return Math.min(asked, p);
        }
        if (asked == 0 || why != null) {
            return 0;
        }
        long bytes = 4L * config.workers() * p;
        if (2 * bytes <= Runtime.getRuntime().maxMemory() / 4) {
            return 0;
        }
        return (int) Math.min(p, Math.max(2, (bytes + (32L << 20) - 1) / (32L << 20)));
    }

    /** Why this fit cannot aggregate on the executors, or null if it can. */
    private static String reasonAgainst(TrainingConfig config) {
        if (config.roundMode() == RoundMode.BARRIER) {
            return "roundMode barrier sends every result to the driver";
        }
        return null;
    }

    /**
     * One round: local steps on the workers, the attack and the aggregation per block on the executors.
     *
     * @param velocities the workers' velocities on the executors (with momentum; advanced to this round's when it
     *                   succeeds), or null
     * @param theta   the round's parameters (all of them, frozen ones included)
     * @param current the round's trainable parameters (gradient layout)
     * @param center  centered clipping's center (P values; {@code current}, or with {@code previous} current plus
     *                the previous step); ignored by the other rules
     * @param next    receives the aggregate (P values)
     * @return per worker, its mean loss (index w) and in {@code nanosOut} its compute time
     */
    static double[] round(JavaSparkContext sc, JavaRDD<Shard> shards, ExecutorVelocities velocities,
                          TrainingConfig config, float[] theta, float[] current, float[] center, int[] byzantine,
                          int blocks, long first, int steps, long totalSteps, int round, float[] next,
                          long[] nanosOut) {
        int w = config.workers(), p = current.length;
        boolean byRows = w > 1 && !config.aggregator().coordinateWise();
        Broadcast<float[]> bc = sc.broadcast(theta.clone());
        Broadcast<float[]> cc = sc.broadcast(current.clone());
        Broadcast<float[]> ce = byRows && config.aggregator().distancesWithCenter() ? sc.broadcast(center.clone())
                : null;
        JavaRDD<Stepped> stepped;
        if (velocities == null) {
            stepped = shards.mapPartitions(it -> List.of(step(it.next(), null, config, bc.value(), cc.value(),
                    byzantine, first, steps, totalSteps, round)).iterator(), true);
        } else {
            stepped = shards.zipPartitions(velocities.rdd(), (si, vi) -> {
                Shard shard = si.next();
                return List.of(step(shard, ExecutorVelocities.of(vi.next(), shard.worker), config, bc.value(),
                        cc.value(), byzantine, first, steps, totalSteps, round)).iterator();
            });
            stepped.rdd().localCheckpoint();   // persisted; its lineage is cut once this round's first job computes it
        }
        JavaRDD<Rows> rows = stepped.flatMapToPair(st -> {
            List<Tuple2<Integer, Piece>> pieces = new ArrayList<>(blocks);
            for (int b = 0; b < blocks; b++) {
                int from = start(b, blocks, p), to = start(b + 1, blocks, p);
                pieces.add(new Tuple2<>(b, new Piece(st.worker(), java.util.Arrays.copyOfRange(st.row(), from, to),
                        st.loss(), st.nanos())));
            }
            return pieces.iterator();
        }).partitionBy(new HashPartitioner(blocks)).mapPartitions(it -> {
            java.util.Map<Integer, Piece[]> byBlock = new java.util.TreeMap<>();
            while (it.hasNext()) {
                Tuple2<Integer, Piece> t = it.next();
                byBlock.computeIfAbsent(t._1(), k -> new Piece[w])[t._2().worker()] = t._2();
            }
            List<Rows> done = new ArrayList<>(byBlock.size());
            for (var e : byBlock.entrySet()) {
                done.add(attacked(e.getKey(), e.getValue(), config, cc.value(), ce == null ? null : ce.value(),
                        byzantine, blocks, round));
            }
            return done.iterator();
        });
        try {
            List<Block> out;
            if (!byRows) {
                out = rows.map(r -> {
                    float[] agg = new float[r.matrix().length / w];
                    config.aggregator().aggregate(r.matrix(), w, agg.length, r.center(), agg);
                    return new Block(r.block(), agg, r.losses(), r.nanos());
                }).collect();
            } else {
                // two jobs over the same blocks: their distances, then the rule's outcome applied to each
                rows.persist(StorageLevel.MEMORY_ONLY());
                boolean withCenter = ce != null;
                int length = BlockwiseAggregate.distancesLength(w + (withCenter ? 1 : 0));
                List<Distances> parts = rows.map(r -> {
                    int pb = r.matrix().length / w;
                    double[] d = new double[length];
                    if (withCenter) {
                        BlockwiseAggregate.addDistances(r.matrix(), 0, w, pb, Math.max(1, pb), r.center(), 0, d);
                    } else {
                        BlockwiseAggregate.addDistances(r.matrix(), 0, w, pb, Math.max(1, pb), d);
                    }
                    return new Distances(r.block(), d);
                }).collect();
                double[][] byBlock = new double[blocks][];
                for (Distances d : parts) {
                    byBlock[d.block()] = d.distances();
                }
                double[] sum = new double[length];
                for (int b = 0; b < blocks; b++) {
                    if (byBlock[b] == null) {
                        throw new IllegalStateException("the distances of block " + b + " of " + blocks
                                + " are missing");
                    }
                    for (int q = 0; q < sum.length; q++) {
                        sum[q] += byBlock[b][q];
                    }
                }
                BlockwiseAggregate.Outcome outcome = config.aggregator().decide(sum, w);
                out = rows.map(r -> {
                    int pb = r.matrix().length / w;
                    float[] agg = new float[pb];
                    outcome.apply(r.matrix(), 0, pb, Math.max(1, pb), r.center(), 0, agg, 0);
                    return new Block(r.block(), agg, r.losses(), r.nanos());
                }).collect();
            }
            double[] losses = null;
            for (Block b : out) {
                System.arraycopy(b.aggregate(), 0, next, start(b.block(), blocks, p), b.aggregate().length);
                if (b.block() == 0) {
                    losses = b.losses();
                    System.arraycopy(b.nanos(), 0, nanosOut, 0, w);
                }
            }
            if (out.size() != blocks || losses == null) {
                throw new IllegalStateException("the aggregation returned " + out.size() + " of " + blocks
                        + " blocks");
            }
            if (velocities != null) {
                velocities.advance(stepped.map(st -> new ExecutorVelocities.Velocity(st.worker(), st.velocity())),
                        stepped);
            }
            return losses;
        } finally {
            rows.unpersist(false);
            bc.destroy();
            cc.destroy();
            if (ce != null) {
                ce.destroy();
            }
        }
    }

    /** The first coordinate of block b of B over P coordinates (near-equal blocks). */
    static int start(int b, int blocks, int p) {
        return (int) ((long) b * p / blocks);
    }

    /** A worker's round: its parameters after the local steps (and its own attack), its velocity, loss and time. */
    record Stepped(int worker, float[] row, float[] velocity, double loss, long nanos) implements Serializable {
    }

    /** Runs a worker's local steps from theta and its velocity; applies a whole-row attack to its own row. */
    private static Stepped step(Shard shard, float[] velocity, TrainingConfig config, float[] theta, float[] current,
                                int[] byzantine, long first, int steps, long totalSteps, int round) {
        LocalSteps.Result res = DataParallelTrainer.step(shard, velocity, config, theta, first, steps, totalSteps,
                round);
        float[] row = res.trainable();
        if (config.attack().wholeRowOnly() && java.util.Arrays.binarySearch(byzantine, shard.worker) >= 0) {
            config.attack().applyToOwnRow(row, shard.worker, current, round, config.seed());
        }
        return new Stepped(shard.worker, row, res.velocity(), res.loss(), res.nanos());
    }

    /**
     * Block b's W pieces (in worker order) as a W x P_b matrix, through the attack; with the block's slice of the
     * center (centered clipping's, or the current parameters), and (block 0) the workers' losses and times.
     */
    private static Rows attacked(int b, Piece[] pieces, TrainingConfig config, float[] current, float[] center,
                                 int[] byzantine, int blocks, int round) {
        int w = pieces.length, p = current.length, from = start(b, blocks, p), pb = start(b + 1, blocks, p) - from;
        float[] matrix = new float[w * pb], cur = java.util.Arrays.copyOfRange(current, from, from + pb);
        double[] losses = new double[w];
        long[] nanos = new long[w];
        for (int i = 0; i < w; i++) {
            if (pieces[i] == null) {
                throw new IllegalStateException("block " + b + " has no piece from worker " + i);
            }
            System.arraycopy(pieces[i].slice(), 0, matrix, i * pb, pb);
            losses[i] = pieces[i].loss();
            nanos[i] = pieces[i].nanos();
        }
        if (!config.attack().wholeRowOnly()) {
            config.attack().apply(matrix, w, pb, cur, byzantine, round, config.seed());
        }
        float[] c = center == null ? cur : java.util.Arrays.copyOfRange(center, from, from + pb);
        return b == 0 ? new Rows(b, matrix, c, losses, nanos) : new Rows(b, matrix, c, null, null);
    }
}
