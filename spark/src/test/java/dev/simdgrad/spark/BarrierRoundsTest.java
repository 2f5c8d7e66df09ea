package dev.simdgrad.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rounds carried by one barrier job give the bits of a job per round: with attacks and distance-based aggregators,
 * with the parameters handed over in memory (local mode) and sent over TCP (as on a cluster), across checkpoints,
 * when a task fails mid-run and Spark re-runs the stage, and they report divergence and a cluster too small for them
 * plainly.
 */
class BarrierRoundsTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        // Five slots on two cores: room for a barrier stage of five tasks. A re-run barrier stage waits for its slots
        // to be free again (the failed attempt's tasks may still hold them) in steps of this interval (default 15 s).
        spark = Frames.session("local[5,2]", java.util.Map.of(
                "spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @AfterEach
    void clearHooks() {
        DataParallelTrainer.faultHook = null;
        DataParallelTrainer.roundListener = null;
        RoundServer.handOverInMemory = true;
    }

    private static SimdgradClassifier small() {
        return new SimdgradClassifier().setLayers(new int[]{784, 12, 10}).setActivation("tanh").setBatchSize(20)
                .setEpochs(2).setSeed(11).setLearningRate(0.1);
    }

    private static float[] fit(SimdgradClassifier clf, org.apache.spark.sql.Dataset<Row> data, String mode) {
        return clf.copy(org.apache.spark.ml.param.ParamMap.empty()).setRoundMode(mode).fit(data).network()
                .parameters();
    }

    @Test
    void barrierRoundsGiveTheBitsOfAJobPerRound() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(300), 3);
        List<SimdgradClassifier> configs = List.of(
                small().setNumWorkers(1).setLocalSteps(1),
                small().setNumWorkers(2).setLocalSteps(3).setStrategy("winsorize:2").setAggregator("mean"),
                small().setNumWorkers(5).setLocalSteps(1).setStrategy("trim:2").setDropLast(true)
                        .setAggregator("krum:1").setByzantineWorkers(1).setAttack("alie"),
                small().setNumWorkers(5).setLocalSteps(2).setAggregator("geometricMedian").setByzantineWorkers(2)
                        .setAttack("gaussian:0.01"),
                small().setNumWorkers(4).setLocalSteps(2).setAggregator("centeredClipping:0.5")
                        .setByzantineWorkers(1).setAttack("signFlip"));
        for (SimdgradClassifier clf : configs) {
            float[] job = fit(clf, data, "job");
            AtomicInteger rounds = new AtomicInteger();
            DataParallelTrainer.roundListener = (r, wall, compute, agg) -> rounds.incrementAndGet();
            long handedOver = RoundServer.HANDED_OVER.sum();
            assertArrayEquals(job, fit(clf, data, "barrier"), clf.getAggregator() + " W=" + clf.getNumWorkers());
            assertTrue(rounds.get() > 1, "rounds run: " + rounds.get());
            assertEquals((long) rounds.get() * clf.getNumWorkers(), RoundServer.HANDED_OVER.sum() - handedOver,
                    "in local mode every result was handed over in memory");
            DataParallelTrainer.roundListener = null;
            RoundServer.handOverInMemory = false;
            handedOver = RoundServer.HANDED_OVER.sum();
            assertArrayEquals(job, fit(clf, data, "barrier"), "parameters over TCP, " + clf.getAggregator());
            assertEquals(handedOver, RoundServer.HANDED_OVER.sum(), "none handed over in memory");
            RoundServer.handOverInMemory = true;
            assertArrayEquals(job, fit(clf, data, "auto"), "auto picks barrier here, same bits");
        }
    }

    @Test
    void aTaskThatFailsMidRunMakesSparkRerunTheStageAndChangesNothing() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(200), 2);
        SimdgradClassifier clf = small().setNumWorkers(3).setLocalSteps(2).setAggregator("trimmedMean:1");
        float[] plain = fit(clf, data, "job");
        AtomicInteger injected = new AtomicInteger();
        DataParallelTrainer.faultHook = (round, worker, attempt) ->
                round == 2 && worker == 1 && attempt == 0 && injected.incrementAndGet() > 0;
        assertArrayEquals(plain, fit(clf, data, "barrier"));
        assertEquals(1, injected.get(), "the failure was injected once and the stage re-run");
        RoundServer.handOverInMemory = false;   // the same over TCP
        injected.set(0);
        assertArrayEquals(plain, fit(clf, data, "barrier"));
        assertEquals(1, injected.get(), "over TCP too");
    }

    @Test
    void resumesFromACheckpointBitwise(@TempDir Path dir) {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(200), 2);
        SimdgradClassifier clf = small().setNumWorkers(2).setLocalSteps(1).setEpochs(2);
        float[] uninterrupted = fit(clf, data, "job");
        clf.setCheckpointDir(dir.toString()).setCheckpointInterval(3);
        DataParallelTrainer.faultHook = (round, worker, attempt) -> round == 4;   // every attempt: the fit fails
        assertThrows(Exception.class, () -> fit(clf, data, "barrier"));
        DataParallelTrainer.faultHook = null;
        SimdgradClassificationModel resumed = clf.copy(org.apache.spark.ml.param.ParamMap.empty())
                .setRoundMode("barrier").fit(data);
        assertEquals(0.0, resumed.trainingLoss()[2], "rounds 0 to 2 come from the checkpoint");
        assertTrue(resumed.trainingLoss()[3] > 0, "round 3 was run again");
        assertArrayEquals(uninterrupted, resumed.network().parameters());
    }

    @Test
    void divergenceIsReportedAndEndsTheJob() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(200), 2);
        SimdgradClassifier wild = small().setActivation("relu").setNumWorkers(2).setLearningRate(1e30);
        assertThrows(Exception.class, () -> fit(wild, data, "job"), "a job per round stops too");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fit(wild, data, "barrier"));
        assertTrue(e.getMessage().contains("training diverged"), e.getMessage());
        // the session is still usable: the stopped job left nothing behind
        assertArrayEquals(fit(small().setNumWorkers(2).setEpochs(1), data, "job"),
                fit(small().setNumWorkers(2).setEpochs(1), data, "barrier"));
    }

    @Test
    void barrierNeedsAllWorkersAtOnce() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(60), 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fit(small().setNumWorkers(6), data, "barrier"));
        assertTrue(e.getMessage().contains("roundMode barrier needs the 6 workers")
                && e.getMessage().contains("5 task slots"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> small().setRoundMode("sometimes").fit(data));
        // auto falls back to a job per round
        assertArrayEquals(fit(small().setNumWorkers(6).setEpochs(1), data, "job"),
                fit(small().setNumWorkers(6).setEpochs(1), data, "auto"));
    }
}
