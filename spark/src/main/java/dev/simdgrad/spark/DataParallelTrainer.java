package dev.simdgrad.spark;

import dev.simdgrad.nn.Architecture;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.strategy.GradientStrategy;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The synchronous rounds of data-parallel training, on the driver.
 *
 * <p><b>Shards.</b> Row i of the input (in the input's row order, as {@code zipWithIndex} numbers it) goes to worker
 * i mod W, and each worker's rows keep their order. So the shards, hence the result, depend only on the rows' order
 * and W, not on how the input was partitioned or how many cores run it. A job counts the rows of each input
 * partition (which gives every row its index); then each input partition is split into W packed pieces
 * ({@link Shard#split}), one shuffle takes each piece to its worker, and a worker joins its pieces in partition
 * order (moving a few arrays per partition instead of an object per row: the sort by row index and the size
 * estimates of Spark's sorter took about 35 ms of CPU per fit in the MLlib comparison). Every example is checked
 * while the shards are built (features present, of the input width, finite; label a class); the first problem, and
 * any empty shard, stops the fit with an {@link IllegalArgumentException} naming it before the first round.
 *
 * <p><b>A round</b> r: broadcast θ; every worker runs its next K steps ({@link LocalSteps}; the last round fewer, so
 * that every worker takes exactly epochs x S steps, S the steps per epoch of the largest shard); the driver collects
 * the W results in worker order, lets the Byzantine workers' rows be replaced by the attack ({@link Attack}), and
 * aggregates ({@link WorkerAggregator}) into the next θ, which must be finite. A task that fails is re-run by Spark
 * from the same broadcast θ and the same step numbers, so a retry changes nothing.
 *
 * <p><b>Cost per round</b>: one Spark job (W tasks of K local steps each), a broadcast of P floats and the
 * collection of W x P floats (the driver holds that matrix), the aggregation on the driver.
 */
final class DataParallelTrainer {
    /** Decides whether a task attempt fails on purpose (test hook). */
    interface FaultHook {
        boolean fail(int round, int worker, int attempt);
    }

    /**
     * Test hook: when set, a task attempt for which it returns true throws after its local steps, to check that Spark's
     * retry, or a resume from a checkpoint, leaves the result unchanged. Tasks see it only when they run in the
     * driver's JVM (local mode). Null in production.
     */
    static volatile FaultHook faultHook;

    /** Sees the timing of every round of {@link #fit} (benchmark hook). */
    interface RoundListener {
        /**
         * @param round          the round
         * @param wallNanos      from before the broadcast to after the collect (the Spark job and the workers' steps)
         * @param computeNanos   per worker, the time of its local steps inside its task
         * @param aggregateNanos the attack and the aggregation on the driver
         */
        void round(int round, long wallNanos, long[] computeNanos, long aggregateNanos);
    }

    /** Benchmark hook: when set, sees every round's timing. Null in production. */
    static volatile RoundListener roundListener;

    /**
     * The outcome of a fit.
     *
     * @param net        the trained network
     * @param roundLoss  per round, the mean over the workers of their mean batch loss (honest computations)
     * @param byzantine  the Byzantine workers (indices)
     * @param shardSizes the examples per worker
     * @param resumedAt  the rounds restored from a checkpoint (0: started from the seed)
     */
    record Outcome(DenseNetwork net, double[] roundLoss, int[] byzantine, int[] shardSizes, int resumedAt) {
    }

    private DataParallelTrainer() {
    }

    /**
     * Trains on the examples of {@code data}.
     *
     * @throws IllegalArgumentException for a bad example, an empty shard, or a strategy that cannot take a shard's
     *                                  batch sizes, before the first round
     * @throws IllegalStateException    if the parameters stop being finite
     */
    static Outcome fit(InputRows data, TrainingConfig config) {
        Architecture arch = config.architecture().architecture();
        int w = config.workers();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.rdd.context());
        Shards sh = shards(data, config);
        try {
            int rounds = sh.rounds();
            long totalSteps = sh.totalSteps();
            DenseNetwork net = DenseNetwork.initialize(arch, config.seed());
            Checkpoints checkpoints = config.checkpointDir() == null ? null
                    : new Checkpoints(Path.of(config.checkpointDir()), config.fingerprint());
            int start = 0;
            CarriedState carried = CarriedState.initial(w);
            if (checkpoints != null) {
                Checkpoints.Found found = checkpoints.latest(arch, w);
                if (found != null && found.rounds() <= rounds) {
                    net = found.net();
                    start = found.rounds();
                    carried = found.carried();
                }
            }
            Rounds state = new Rounds(config, net, rounds, totalSteps, carried);
            int blocks = ExecutorAggregation.blocks(config, net.trainableCount());
            boolean barrier = blocks == 0 && useBarrier(sc, config);
            int interval = checkpoints == null ? rounds : config.checkpointInterval();
            // with momentum, rounds run as jobs keep the velocities on the executors (a barrier task keeps its own)
            ExecutorVelocities velocities = !barrier && config.optimizer().stateful()
                    ? new ExecutorVelocities(sc, state.carried().velocities()) : null;
            try {
                for (int r = start; r < rounds; ) {
                    // a run of rounds ends at the next checkpoint (or the end): one barrier job, or one job per round
                    int end = Math.min(rounds, (r / interval + 1) * interval);
                    if (barrier) {
                        BarrierRounds.run(sc, sh.rdd(), state, r, end);
                    } else {
                        for (int q = r; q < end; q++) {
                            long first = (long) q * config.localSteps();
                            int steps = (int) Math.min(config.localSteps(), totalSteps - first);
                            long t0 = System.nanoTime();
                            String bad;
                            if (blocks > 0) {
                                long[] nanos = new long[w];
                                float[] next = new float[net.trainableCount()];
                                float[] current = state.trainable();
                                double[] losses = ExecutorAggregation.round(sc, sh.rdd(), velocities, config,
                                        net.parameters(), current, state.center(current), state.byzantine, blocks,
                                        first, steps, totalSteps, q, next, nanos);
                                bad = state.finishAggregated(q, System.nanoTime() - t0, losses, nanos, current, next);
                            } else {
                                List<LocalSteps.Result> results = round(sc, sh.rdd(), velocities, config,
                                        net.parameters(), first, steps, totalSteps, q);
                                bad = state.finish(q, System.nanoTime() - t0, results);
                            }
                            if (bad != null) {
                                throw new IllegalStateException(bad);
                            }
                        }
                    }
                    r = end;
                    if (checkpoints != null) {
                        if (velocities != null) {
                            state.velocities(velocities.collect());
                        }
                        checkpoints.save(r, net, state.carried());
                    }
                }
            } finally {
                if (velocities != null) {
                    velocities.release();
                }
            }
            int[] byzantine = state.byzantine;
            double[] roundLoss = state.roundLoss;
            return new Outcome(net, roundLoss, byzantine, sh.sizes(), start);
        } finally {
            sh.rdd().unpersist(false);
        }
    }

    /**
     * Whether the fit's rounds run as barrier jobs: as {@code roundMode} says, AUTO choosing them when the cluster can
     * run the W tasks at once.
     *
     * @throws IllegalArgumentException if BARRIER is asked for and the cluster has fewer than W task slots
     */
    private static boolean useBarrier(JavaSparkContext sc, TrainingConfig config) {
        return switch (config.roundMode()) {
            case JOB -> false;
            case AUTO -> config.workers() <= BarrierRounds.slots(sc);
            case BARRIER -> {
                int slots = BarrierRounds.slots(sc);
                if (config.workers() > slots) {
                    throw new IllegalArgumentException("roundMode barrier needs the " + config.workers()
                            + " workers (numWorkers) to run at once, but the cluster has " + slots + " task slots;"
                            + " use roundMode job or auto");
                }
                yield true;
            }
        };
    }

    /**
     * The driver's side of a fit's rounds, whatever carries them: the network, the attack's victims, the loss record,
     * and {@link #finish}, the one place where a round's results become the next parameters.
     */
    static final class Rounds {
        private final TrainingConfig config;
        private final DenseNetwork net;
        private final int[] byzantine;
        private final double[] roundLoss;
        private final long totalSteps;
        private final int p;
        private final float[] matrix, next, current;
        private final float[][] velocities;
        private float[] previousStep;

        Rounds(TrainingConfig config, DenseNetwork net, int rounds, long totalSteps, CarriedState carried) {
            this.config = config;
            this.net = net;
            this.totalSteps = totalSteps;
            this.byzantine = Attack.chooseWorkers(config.byzantineWorkers(), config.workers(), config.seed());
            this.roundLoss = new double[rounds];
            this.p = net.trainableCount();
            this.matrix = new float[config.workers() * p];
            this.next = new float[p];
            this.current = new float[p];
            this.velocities = carried.velocities().clone();
            this.previousStep = carried.previousStep();
        }

        /** A copy of what the next round starts from besides the parameters. */
        CarriedState carried() {
            float[][] v = new float[velocities.length][];
            for (int i = 0; i < v.length; i++) {
                v[i] = velocities[i] == null ? null : velocities[i].clone();
            }
            return new CarriedState(v, previousStep == null ? null : previousStep.clone());
        }

        /** The workers' velocities, as kept on the executors ({@link ExecutorVelocities}), for a checkpoint. */
        void velocities(float[][] v) {
            for (int i = 0; i < velocities.length; i++) {
                velocities[i] = v[i];
            }
        }

        /** Goes back to the start of a run of rounds: these parameters and this carried state. */
        void restore(float[] parameters, CarriedState carried) {
            System.arraycopy(parameters, 0, net.parameters(), 0, parameters.length);
            for (int i = 0; i < velocities.length; i++) {
                velocities[i] = carried.velocities()[i] == null ? null : carried.velocities()[i].clone();
            }
            previousStep = carried.previousStep() == null ? null : carried.previousStep().clone();
        }

        /** Worker {@code worker}'s velocity after the last finished round (a run of barrier rounds ends with it). */
        void velocity(int worker, float[] velocity) {
            velocities[worker] = velocity;
        }

        TrainingConfig config() {
            return config;
        }

        DenseNetwork net() {
            return net;
        }

        int trainableCount() {
            return p;
        }

        long totalSteps() {
            return totalSteps;
        }

        /** The network's trainable parameters (after the last finished round). */
        float[] trainable() {
            return Trainable.gather(net);
        }

        /**
         * After {@link #finish} returned null: the aggregate the network just took, i.e. its trainable parameters, in a
         * buffer the next finish overwrites (read it, do not keep it).
         */
        float[] aggregate() {
            return next;
        }

        /**
         * Round r's aggregate, computed on the executors ({@link ExecutorAggregation}), becomes the next parameters.
         *
         * @return null, or why the aggregate is not finite (then the network is unchanged)
         */
        String finishAggregated(int r, long wallNanos, double[] losses, long[] nanos, float[] current,
                                float[] aggregate) {
            double loss = 0;
            for (double l : losses) {
                loss += l;
            }
            roundLoss[r] = loss / config.workers();
            RoundListener listener = roundListener;
            if (listener != null) {
                listener.round(r, wallNanos, nanos, 0);
            }
            String bad = nonFinite(aggregate, r, config);
            if (bad == null) {
                rememberStep(current, aggregate);
                Trainable.scatter(aggregate, net);
            }
            return bad;
        }

        /**
         * Centered clipping's center for a round starting at {@code current}: current itself, or with
         * {@code previous} current plus the previous round's step (none before the first round).
         */
        float[] center(float[] current) {
            if (!config.aggregator().centersOnPreviousStep() || previousStep == null) {
                return current;
            }
            float[] center = new float[p];
            for (int j = 0; j < p; j++) {
                center[j] = current[j] + previousStep[j];
            }
            return center;
        }

        /** Keeps the round's step {@code next - current} when the aggregator centers on it. */
        private void rememberStep(float[] current, float[] next) {
            if (config.aggregator().centersOnPreviousStep()) {
                previousStep = previousStep == null ? new float[p] : previousStep;
                for (int j = 0; j < p; j++) {
                    previousStep[j] = next[j] - current[j];
                }
            }
        }

        /**
         * Round r's results (one per worker, in worker order) become the next parameters: the attack replaces the
         * Byzantine workers' rows, the aggregator combines the W rows, and the network takes the aggregate.
         *
         * @param wallNanos the round's wall time so far (for the listener)
         * @return null, or why the aggregate is not finite (then the network is unchanged)
         */
        String finish(int r, long wallNanos, List<LocalSteps.Result> results) {
            int w = config.workers();
            double loss = 0;
            long[] compute = new long[w];
            for (int i = 0; i < w; i++) {
                LocalSteps.Result res = results.get(i);
                if (res.worker() != i) {
                    throw new IllegalStateException("results out of worker order: " + res.worker() + " at " + i);
                }
                System.arraycopy(res.trainable(), 0, matrix, i * p, p);
                loss += res.loss();
                compute[i] = res.nanos();
            }
            roundLoss[r] = loss / w;
            long t2 = System.nanoTime();
            Trainable.gather(net, current);
            config.attack().apply(matrix, w, p, current, byzantine, r, config.seed());
            config.aggregator().aggregate(matrix, w, p, center(current), next);
            RoundListener listener = roundListener;
            if (listener != null) {
                listener.round(r, wallNanos, compute, System.nanoTime() - t2);
            }
            String bad = nonFinite(next, r, config);
            if (bad == null) {
                for (int i = 0; i < w; i++) {
                    // barrier rounds send velocities at the end only; rounds as jobs keep them on the executors
                    if (results.get(i).velocity() != null) {
                        velocities[i] = results.get(i).velocity();
                    }
                }
                rememberStep(current, next);
                Trainable.scatter(next, net);
            }
            return bad;
        }
    }

    /**
     * The outcome of one arm of {@link #fitLockstep}: its {@link Outcome}, or why it diverged (then the outcome is
     * null).
     */
    record ArmOutcome(Outcome outcome, String diverged) {
    }

    /**
     * Fits several configurations that differ only in aggregator, attack and number of Byzantine workers, in lockstep:
     * one set of shards, one Spark job per round for all of them (each worker runs every arm's local steps from that
     * arm's broadcast parameters). Each arm's parameters are bitwise those of {@link #fit} with its configuration:
     * the same shards, batches and operations in the same order. An arm that diverges (a non-finite loss on a worker
     * or a non-finite parameter) stops alone and is reported with the reason; the others go on. Cost per round: one
     * job, a broadcast of A x P floats, the collection of W x A x P floats, A aggregations, for A arms still training.
     *
     * @throws IllegalArgumentException if the configurations differ in anything else, or use checkpoints, or for
     *                                  bad data as {@link #fit}
     */
    static List<ArmOutcome> fitLockstep(InputRows data, List<TrainingConfig> configs) {
        if (configs.isEmpty()) {
            throw new IllegalArgumentException("arms: none");
        }
        TrainingConfig c0 = configs.getFirst();
        for (TrainingConfig c : configs) {
            if (!sharedSettings(c).equals(sharedSettings(c0))) {
                throw new IllegalArgumentException("lockstep arms must differ only in aggregator, attack and"
                        + " byzantineWorkers: " + sharedSettings(c) + " vs " + sharedSettings(c0));
            }
            if (c.checkpointDir() != null) {
                throw new IllegalArgumentException("lockstep fits do not write checkpoints (checkpointDir is set)");
            }
            if (c.optimizer().stateful() || c.aggregator().centersOnPreviousStep()) {
                throw new IllegalArgumentException("lockstep fits carry no state between rounds: momentum "
                        + c.optimizer().momentum() + ", aggregator " + c.aggregator());
            }
        }
        Architecture arch = c0.architecture().architecture();
        int w = c0.workers(), a = configs.size();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.rdd.context());
        Shards sh = shards(data, c0);
        try {
            DenseNetwork[] nets = new DenseNetwork[a];
            int[][] byzantine = new int[a][];
            double[][] roundLoss = new double[a][sh.rounds()];
            String[] diverged = new String[a];
            for (int k = 0; k < a; k++) {
                nets[k] = DenseNetwork.initialize(arch, c0.seed());
                byzantine[k] = Attack.chooseWorkers(configs.get(k).byzantineWorkers(), w, c0.seed());
            }
            int p = nets[0].trainableCount();
            float[] matrix = new float[w * p], next = new float[p];
            TrainingConfig[] cs = configs.toArray(new TrainingConfig[0]);
            for (int r = 0; r < sh.rounds(); r++) {
                long first = (long) r * c0.localSteps();
                int steps = (int) Math.min(c0.localSteps(), sh.totalSteps() - first);
                int[] active = java.util.stream.IntStream.range(0, a).filter(k -> diverged[k] == null).toArray();
                if (active.length == 0) {
                    break;
                }
                float[][] thetas = new float[active.length][];
                for (int j = 0; j < active.length; j++) {
                    thetas[j] = nets[active[j]].parameters().clone();
                }
                List<LockstepResult> results = lockstepRound(sc, sh.rdd(), cs, active, thetas, first, steps,
                        sh.totalSteps(), r);
                for (int j = 0; j < active.length; j++) {
                    int k = active[j];
                    double loss = 0;
                    for (int i = 0; i < w; i++) {
                        LockstepResult res = results.get(i);
                        if (res.diverged()[j] != null) {
                            diverged[k] = res.diverged()[j];
                            break;
                        }
                        System.arraycopy(res.results()[j].trainable(), 0, matrix, i * p, p);
                        loss += res.results()[j].loss();
                    }
                    if (diverged[k] != null) {
                        continue;
                    }
                    roundLoss[k][r] = loss / w;
                    float[] current = Trainable.gather(nets[k]);
                    cs[k].attack().apply(matrix, w, p, current, byzantine[k], r, c0.seed());
                    cs[k].aggregator().aggregate(matrix, w, p, current, next);
                    diverged[k] = nonFinite(next, r, cs[k]);
                    if (diverged[k] == null) {
                        Trainable.scatter(next, nets[k]);
                    }
                }
            }
            List<ArmOutcome> out = new ArrayList<>(a);
            for (int k = 0; k < a; k++) {
                out.add(diverged[k] != null ? new ArmOutcome(null, diverged[k])
                        : new ArmOutcome(new Outcome(nets[k], roundLoss[k], byzantine[k], sh.sizes(), 0), null));
            }
            return out;
        } finally {
            sh.rdd().unpersist(false);
        }
    }

    /** What lockstep arms must share: everything but the aggregator, the attack and f. */
    private static String sharedSettings(TrainingConfig c) {
        return c.architecture().architecture() + "|" + c.strategy() + "|" + c.workers() + "|" + c.localSteps() + "|"
                + c.learningRate() + "|" + c.optimizer() + "|" + c.batchSize() + "|" + c.dropLast() + "|" + c.epochs()
                + "|" + c.seed();
    }

    /**
     * One worker's results of a lockstep round, per active arm (in the order of the round's arms): the result, or
     * why that arm diverged on this worker (then the result is null).
     */
    record LockstepResult(int worker, LocalSteps.Result[] results, String[] diverged) implements java.io.Serializable {
    }

    private static List<LockstepResult> lockstepRound(JavaSparkContext sc, JavaRDD<Shard> shards,
                                                      TrainingConfig[] configs, int[] active, float[][] thetas,
                                                      long first, int steps, long totalSteps, int round) {
        Broadcast<float[][]> bc = sc.broadcast(thetas);
        try {
            List<LockstepResult> out = new ArrayList<>(shards.mapPartitions(it -> {
                Shard shard = it.next();
                float[][] th = bc.value();
                LocalSteps.Result[] res = new LocalSteps.Result[active.length];
                String[] why = new String[active.length];
                for (int j = 0; j < active.length; j++) {
                    try {
                        res[j] = LocalSteps.run(shard, configs[active[j]], th[j], null, first, steps, totalSteps,
                                round);
                    } catch (IllegalStateException e) {   // this arm's loss stopped being finite
                        why[j] = e.getMessage();
                    }
                }
                return Collections.singletonList(new LockstepResult(shard.worker, res, why)).iterator();
            }, true).collect());
            out.sort(java.util.Comparator.comparingInt(LockstepResult::worker));
            return out;
        } finally {
            bc.destroy();
        }
    }

    /** Null if every value of {@code next} is finite, else what diverged. */
    private static String nonFinite(float[] next, int r, TrainingConfig config) {
        for (int j = 0; j < next.length; j++) {
            if (!Float.isFinite(next[j])) {
                return "training diverged: after round " + r + " (" + config.aggregator() + " of "
                        + config.workers() + " workers, attack " + config.attack() + ") trainable parameter " + j
                        + " is " + next[j];
            }
        }
        return null;
    }

    /**
     * The persisted shards of a fit and its length.
     *
     * @param rdd        one {@link Shard} per worker, persisted (the caller unpersists)
     * @param sizes      the examples per worker
     * @param rounds     the rounds of the fit
     * @param totalSteps the local steps every worker takes
     */
    private record Shards(JavaRDD<Shard> rdd, int[] sizes, int rounds, long totalSteps) {
    }

    private static Shards shards(InputRows data, TrainingConfig config) {
        Architecture arch = config.architecture().architecture();
        int w = config.workers(), d = arch.inputs(), classes = arch.outputs();
        long[] offsets = new long[data.partitions()];
        long counted = offsets(data.rdd, offsets);
        JavaRDD<Shard> shards = JavaPairRDD.fromJavaRDD(data.rdd.mapPartitionsWithIndex((p, rows) -> Shard.split(p,
                        offsets[p], rows, w, d, classes), true))
                .partitionBy(new HashPartitioner(w))   // an Integer key k in [0, W) goes to partition k
                .mapPartitionsWithIndex((i, pieces) -> Collections.singletonList(Shard.build(i, pieces, d, classes))
                        .iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        try {
            List<Shard.Summary> summaries = shards.map(Shard::summary).collect();
            long seen = 0;
            for (Shard.Summary sm : summaries) {
                seen += sm.size();
            }
            if (counted >= 0 && seen != counted) {
                throw new IllegalArgumentException("the training data gave " + counted + " rows when counted and "
                        + seen + " when read: its partitions are not the same from one read to the next; cache or"
                        + " checkpoint the DataFrame before fit");
            }
            int[] sizes = check(summaries, config);
            long stepsPerEpoch = 0;
            for (int n : sizes) {
                stepsPerEpoch = Math.max(stepsPerEpoch, BatchSchedule.stepsPerEpoch(n, config.batchSize(),
                        config.dropLast()));
            }
            long totalSteps = stepsPerEpoch * config.epochs();
            long roundsLong = (totalSteps + config.localSteps() - 1) / config.localSteps();
            if (roundsLong > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("epochs=" + config.epochs() + " gives " + roundsLong
                        + " rounds, more than " + Integer.MAX_VALUE);
            }
            return new Shards(shards, sizes, (int) roundsLong, totalSteps);
        } catch (RuntimeException e) {
            shards.unpersist(false);
            throw e;
        }
    }

    /**
     * The global row index of every input partition's first row (partition after partition, each in order), from a
     * job counting the rows of each partition, in which no row's fields are read. Returns the rows counted, or -1
     * when the input has one partition (its offset is 0; no job runs).
     */
    private static long offsets(JavaRDD<InternalRow> rows, long[] offsets) {
        if (offsets.length <= 1) {
            return -1;
        }
        List<long[]> counts = rows.mapPartitionsWithIndex((p, it) -> {
            long c = 0;
            for (; it.hasNext(); it.next()) {
                c++;
            }
            return List.of(new long[]{p, c}).iterator();
        }, true).collect();
        long total = 0;
        for (long[] pc : counts) {
            if ((int) pc[0] + 1 < offsets.length) {
                offsets[(int) pc[0] + 1] = pc[1];
            }
            total += pc[1];
        }
        for (int p = 1; p < offsets.length; p++) {
            offsets[p] += offsets[p - 1];
        }
        return total;
    }

    /**
     * One round as one Spark job: every worker's local steps from theta (and, with momentum, from its velocity kept
     * on the executors), its parameters collected to the driver in worker order.
     *
     * @param velocities the workers' velocities on the executors (advanced to this round's), or null without momentum
     */
    private static List<LocalSteps.Result> round(JavaSparkContext sc, JavaRDD<Shard> shards,
                                                 ExecutorVelocities velocities, TrainingConfig config, float[] theta,
                                                 long first, int steps, long totalSteps, int round) {
        Broadcast<float[]> bc = sc.broadcast(theta.clone());
        try {
            JavaRDD<LocalSteps.Result> stepped;
            if (velocities == null) {
                stepped = shards.mapPartitions(it -> List.of(step(it.next(), null, config, bc.value(), first, steps,
                        totalSteps, round)).iterator(), true);
            } else {
                stepped = shards.zipPartitions(velocities.rdd(), (si, vi) -> {
                    Shard shard = si.next();
                    return List.of(step(shard, ExecutorVelocities.of(vi.next(), shard.worker), config, bc.value(),
                            first, steps, totalSteps, round)).iterator();
                });
                stepped.rdd().localCheckpoint();
            }
            // the velocities stay on the executors: only the parameters, losses and times come to the driver
            List<LocalSteps.Result> out = new ArrayList<>(stepped.map(r -> new LocalSteps.Result(r.worker(),
                    r.trainable(), null, r.loss(), r.nanos())).collect());
            out.sort(java.util.Comparator.comparingInt(LocalSteps.Result::worker));
            if (velocities != null) {
                velocities.advance(stepped.map(r -> new ExecutorVelocities.Velocity(r.worker(), r.velocity())),
                        stepped);
            }
            return out;
        } finally {
            bc.destroy();
        }
    }

    /** A worker's local steps in a round's task, then the injected failure of a test, if any. */
    static LocalSteps.Result step(Shard shard, float[] velocity, TrainingConfig config, float[] theta,
                           long first, int steps, long totalSteps, int round) {
        LocalSteps.Result result = LocalSteps.run(shard, config, theta, velocity, first, steps, totalSteps, round);
        FaultHook hook = faultHook;
        // After the steps, so the retry finds the shard's batch schedule already advanced past them.
        if (hook != null && hook.fail(round, shard.worker, TaskContext.get().attemptNumber())) {
            throw new IllegalStateException("injected failure: round " + round + ", worker " + shard.worker);
        }
        return result;
    }

    /** The shard sizes, after checking every summary and the strategy's batch sizes. */
    private static int[] check(List<Shard.Summary> summaries, TrainingConfig config) {
        int w = config.workers();
        int[] sizes = new int[w];
        Shard.Summary firstBad = null;
        long total = 0;
        for (Shard.Summary s : summaries) {
            sizes[s.worker()] = s.size();
            total += s.size();
            if (s.problem() != null && (firstBad == null || s.problemRow() < firstBad.problemRow())) {
                firstBad = s;
            }
        }
        if (firstBad != null) {
            throw new IllegalArgumentException("row " + firstBad.problemRow() + " of the training data (0-based, in"
                    + " its row order): " + firstBad.problem());
        }
        GradientStrategy strategy = config.strategy().create();
        for (int i = 0; i < w; i++) {
            if (sizes[i] == 0) {
                throw new IllegalArgumentException("worker " + i + " has no examples: " + total + " rows for "
                        + w + " workers (numWorkers); every worker needs at least one");
            }
            for (int b : BatchSchedule.batchSizes(sizes[i], config.batchSize(), config.dropLast())) {
                try {
                    strategy.checkBatchSize(b);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("worker " + i + " (" + sizes[i] + " examples, batchSize "
                            + config.batchSize() + (config.dropLast() ? ", dropLast" : "") + ") takes batches of " + b
                            + ", which strategy " + config.strategy() + " cannot aggregate: " + e.getMessage()
                            + (config.dropLast() ? "" : "; setDropLast(true) skips a short last batch"), e);
                }
            }
        }
        return sizes;
    }
}
