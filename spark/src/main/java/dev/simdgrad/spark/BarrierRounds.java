package dev.simdgrad.spark;

import dev.simdgrad.nn.DenseNetwork;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.jdk.javaapi.CollectionConverters;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * A run of synchronous rounds as one Spark barrier job ({@link RoundMode#BARRIER}): every worker's task connects to
 * the driver's {@link RoundServer}, then per round runs its local steps ({@link LocalSteps}, the same call a job per
 * round makes), sends its trainable parameters, and waits for the aggregate, which the driver computes exactly as in
 * a job per round ({@link DataParallelTrainer.Rounds#finish}). Cost per round: the local steps, W x P floats up and
 * W x P down over TCP, the aggregation on the driver; per run of rounds, one job and one broadcast of θ.
 */
final class BarrierRounds {
    private BarrierRounds() {
    }

    /**
     * The number of tasks the cluster can run at once (what a barrier stage of W tasks needs to be at least W), or 0
     * if Spark does not say.
     */
    static int slots(JavaSparkContext sc) {
        try {
            // private[spark] in Scala, public in the bytecode; what Spark's own barrier check compares with
            return sc.sc().maxNumConcurrentTasks(sc.sc().resourceProfileManager().defaultResourceProfile());
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    /**
     * Runs rounds {@code [from, to)} on {@code rounds}' network as one barrier job; on return the network holds the
     * parameters after round {@code to - 1}. A broken attempt (a failed task) restarts the run from round
     * {@code from}'s parameters.
     *
     * @throws IllegalStateException if training diverges (a worker's loss or the aggregate not finite)
     * @throws RuntimeException      the job's failure if Spark gives up on it
     */
    static void run(JavaSparkContext sc, JavaRDD<Shard> shards, DataParallelTrainer.Rounds rounds, int from, int to) {
        TrainingConfig config = rounds.config();
        int w = config.workers(), p = rounds.trainableCount();
        String host = sc.getConf().get("spark.driver.host", "127.0.0.1");
        String bind = sc.getConf().get("spark.driver.bindAddress", host);
        float[] start = rounds.net().parameters().clone();
        CarriedState carried = rounds.carried();
        Broadcast<float[]> bc = sc.broadcast(start);
        Broadcast<float[][]> vc = sc.broadcast(carried.velocities());
        try (RoundServer server = new RoundServer(bind, w)) {
            Task task = new Task(host, server.port(), server.token(), config, bc, vc, from, to, rounds.totalSteps());
            // The shuffle after the barrier stage makes it a shuffle-map stage: Spark re-runs a failed barrier stage
            // of that kind, but aborts the job when a barrier result stage fails.
            JavaFutureAction<List<WorkerEnd>> job = shards.rdd().barrier()
                    .mapPartitions(task, false, scala.reflect.ClassTag$.MODULE$.apply(WorkerEnd.class))
                    .toJavaRDD().repartition(1).collectAsync();
            try {
                for (WorkerEnd end : drive(server, job, rounds, start, carried, from, to, p, w)) {
                    rounds.velocity(end.worker(), end.velocity());
                }
            } finally {
                if (!job.isDone()) {
                    server.sendStop();
                    server.dropAll();
                    job.cancel(true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("round channel", e);
        } finally {
            bc.destroy();
            vc.destroy();
        }
    }

    /** A worker's velocity after the last round of a run (null without momentum). */
    record WorkerEnd(int worker, float[] velocity) implements Serializable {
    }

    /** Runs the rounds with the tasks; returns what the tasks return at the end, one per worker. */
    private static List<WorkerEnd> drive(RoundServer server, JavaFutureAction<List<WorkerEnd>> job,
                                         DataParallelTrainer.Rounds rounds, float[] start, CarriedState carried,
                                         int from, int to, int p, int w) throws IOException {
        while (true) {
            if (!server.awaitWorkers(job::isDone)) {
                throw failure(job);
            }
            rounds.restore(start, carried);   // an attempt (the first, or a re-run) starts from the run's start
            try {
                for (int r = from; r < to; r++) {
                    long t0 = System.nanoTime();
                    List<LocalSteps.Result> results = new ArrayList<>(w);
                    String diverged = null;
                    for (int i = 0; i < w; i++) {
                        RoundServer.Message m = server.receive(i, r, p, job::isDone);
                        if (m.diverged() != null) {
                            diverged = diverged == null ? m.diverged() : diverged;
                        } else {
                            results.add(new LocalSteps.Result(i, m.trainable(), null, m.loss(), m.nanos()));
                        }
                    }
                    if (diverged != null) {
                        server.sendStop();
                        throw new IllegalStateException(diverged);
                    }
                    String bad = rounds.finish(r, System.nanoTime() - t0, results);
                    if (bad != null) {
                        server.sendStop();
                        throw new IllegalStateException(bad);
                    }
                    server.sendNext(r, rounds.aggregate());
                }
            } catch (RoundServer.AttemptBroken e) {
                server.dropAll();   // the attempt's tasks stop waiting; Spark runs the stage again, or gives up
                continue;
            }
            List<WorkerEnd> ends;
            try {
                ends = job.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw failure(job);
            }
            if (ends.size() != w) {
                throw new IllegalStateException("the barrier job returned " + ends.size() + " workers' ends, not " + w);
            }
            return ends;
        }
    }

    /** The job's own failure, as Spark reports it. */
    private static RuntimeException failure(JavaFutureAction<List<WorkerEnd>> job) {
        try {
            job.get();
            return new IllegalStateException("the barrier job ended before all its rounds were run");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            return c instanceof RuntimeException re ? re : new IllegalStateException(c);
        }
    }

    /** The body of every task of the barrier job: connect, then run the rounds with the driver. */
    private static final class Task extends scala.runtime.AbstractFunction1<scala.collection.Iterator<Shard>,
            scala.collection.Iterator<WorkerEnd>> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String host;
        private final int port, from, to;
        private final long token, totalSteps;
        private final TrainingConfig config;
        private final Broadcast<float[]> theta;
        private final Broadcast<float[][]> velocities;

        Task(String host, int port, long token, TrainingConfig config, Broadcast<float[]> theta,
             Broadcast<float[][]> velocities, int from, int to, long totalSteps) {
            this.host = host;
            this.port = port;
            this.token = token;
            this.config = config;
            this.theta = theta;
            this.velocities = velocities;
            this.from = from;
            this.to = to;
            this.totalSteps = totalSteps;
        }

        @Override
        public scala.collection.Iterator<WorkerEnd> apply(scala.collection.Iterator<Shard> it) {
            Shard shard = it.next();
            TaskContext ctx = TaskContext.get();
            int attempt = ctx.stageAttemptNumber();
            LocalSteps stepper = new LocalSteps(shard, config, theta.value(), velocities.value()[shard.worker],
                    totalSteps);
            DenseNetwork net = stepper.network();
            float[] velocity = velocities.value()[shard.worker];
            int p = net.trainableCount();
            // in the driver's JVM (local mode) the parameters are handed over in memory, not sent
            RoundServer local = RoundServer.inThisJvm(token);
            byte[] bytes = local != null ? null : new byte[4 * p];
            float[] next = local != null ? null : new float[p];
            try (Socket s = new Socket(host, port)) {
                s.setTcpNoDelay(true);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
                DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
                out.writeInt(RoundServer.HELLO);
                out.writeLong(token);
                out.writeInt(attempt);
                out.writeInt(shard.worker);
                out.writeBoolean(local != null);
                out.flush();
                for (int r = from; r < to; r++) {
                    long first = (long) r * config.localSteps();
                    int steps = (int) Math.min(config.localSteps(), totalSteps - first);
                    LocalSteps.Result res;
                    try {
                        res = stepper.run(first, steps, r);
                        velocity = res.velocity();
                    } catch (IllegalStateException e) {   // this worker's loss stopped being finite
                        out.writeInt(RoundServer.DIVERGED);
                        out.writeInt(r);
                        out.writeUTF(e.getMessage());
                        out.flush();
                        in.readInt();   // STOP (or the end of the stream)
                        return done(null);
                    }
                    DataParallelTrainer.FaultHook hook = DataParallelTrainer.faultHook;
                    if (hook != null && hook.fail(r, shard.worker, attempt + ctx.attemptNumber())) {
                        throw new IllegalStateException("injected failure: round " + r + ", worker " + shard.worker);
                    }
                    if (local != null) {
                        local.handOver(attempt, shard.worker, r, res.trainable());
                    }
                    out.writeInt(RoundServer.RESULT);
                    out.writeInt(r);
                    out.writeDouble(res.loss());
                    out.writeLong(res.nanos());
                    if (local != null) {
                        out.writeInt(RoundServer.IN_MEMORY);
                    } else {
                        out.writeInt(p);
                        ByteBuffer.wrap(bytes).order(RoundServer.ORDER).asFloatBuffer().put(res.trainable());
                        out.write(bytes);
                    }
                    out.flush();
                    int kind = in.readInt();
                    if (kind == RoundServer.STOP) {
                        return done(null);
                    }
                    if (kind != RoundServer.NEXT || in.readInt() != r) {
                        throw new IllegalStateException("round channel: unexpected message " + kind + " in round " + r);
                    }
                    int n = in.readInt();
                    if (n == RoundServer.IN_MEMORY && local != null) {
                        Trainable.scatter(local.published(attempt, r), net);
                    } else if (n == p && local == null) {
                        in.readFully(bytes);
                        ByteBuffer.wrap(bytes).order(RoundServer.ORDER).asFloatBuffer().get(next);
                        Trainable.scatter(next, net);
                    } else {
                        throw new IllegalStateException("round channel: " + n + " parameters in round " + r
                                + ", expected " + (local != null ? "them in memory" : p));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("round channel to " + host + ":" + port + ", worker " + shard.worker
                        + ", rounds " + from + ".." + (to - 1), e);
            }
            return done(new WorkerEnd(shard.worker, velocity));
        }

        private static scala.collection.Iterator<WorkerEnd> done(WorkerEnd end) {
            return CollectionConverters.asScala(end == null ? Collections.<WorkerEnd>emptyIterator()
                    : List.of(end).iterator());
        }
    }
}
