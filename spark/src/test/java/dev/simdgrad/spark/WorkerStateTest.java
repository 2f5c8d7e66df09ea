package dev.simdgrad.spark;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Schedule;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.optim.Trainer;
import dev.simdgrad.nn.strategy.Mean;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a fit carries across rounds: the workers' SGD velocities (momentum) at the global step's learning rate, and
 * centered clipping's previous step. With W = 1 it is nn's Trainer with the same Sgd; with more workers a job per
 * round and one barrier job give the same bits, and a fit resumed from a checkpoint (which stores the state) ends
 * where an uninterrupted one does.
 */
class WorkerStateTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = Frames.session("local[3,2]", java.util.Map.of(
                "spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "1s"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @AfterEach
    void clearHook() {
        DataParallelTrainer.faultHook = null;
    }

    private static float[] fit(SimdgradClassifier clf, org.apache.spark.sql.Dataset<Row> data, String mode) {
        return model(clf, data, mode).network().parameters();
    }

    /** Fits in a mode: a round mode, or "blocks" (a job per round, aggregated on the executors in one block). */
    private static SimdgradClassificationModel model(SimdgradClassifier clf, org.apache.spark.sql.Dataset<Row> data,
                                                     String mode) {
        SimdgradClassifier c = clf.copy(ParamMap.empty());
        return (mode.equals("blocks") ? c.setRoundMode("job").setAggregationBlocks(1) : c.setRoundMode(mode))
                .fit(data);
    }

    @Test
    void oneWorkerWithMomentumAndAScheduleIsTheSingleMachineTrainer() {
        // {schedule text, nn schedule, momentum, nesterov, weight decay}; 250 examples, B = 40: 7 steps per epoch
        record Case(String schedule, Schedule nn, float momentum, boolean nesterov, float decay) {
        }
        long total = 2 * 7;
        for (Case c : List.of(new Case("cosine:0.01", Schedule.cosine(0.1, 0.01, total), 0.9f, true, 5e-4f),
                new Case("step:0.5:4", Schedule.step(0.1, 0.5, 4), 0.5f, false, 0f))) {
            Dataset data = Frames.fashion(250);
            DenseNetwork net = DenseNetwork.builder().widths(784, 16, 10).activation(Activation.RELU).build(7);
            Trainer trainer = Trainer.of(net, new LossGradient(new SoftmaxCrossEntropy(), new Mean()),
                    new Sgd(c.nn(), c.momentum(), c.nesterov(), c.decay())).batch(40).seed(7);
            for (int e = 0; e < 2; e++) {
                trainer.epoch(data);
            }
            SimdgradClassifier clf = new SimdgradClassifier().setLayers(new int[]{784, 16, 10}).setNumWorkers(1)
                    .setBatchSize(40).setEpochs(2).setSeed(7).setLearningRate(0.1).setLocalSteps(3)
                    .setLearningRateSchedule(c.schedule()).setMomentum(c.momentum()).setNesterov(c.nesterov())
                    .setWeightDecay(c.decay());
            org.apache.spark.sql.Dataset<Row> frame = Frames.frame(spark, data, 2);
            assertArrayEquals(net.parameters(), fit(clf, frame, "job"), c + ", a job per round");
            assertArrayEquals(net.parameters(), fit(clf, frame, "barrier"), c + ", one barrier job");
        }
    }

    private static SimdgradClassifier threeWorkers() {
        return new SimdgradClassifier().setLayers(new int[]{784, 12, 10}).setActivation("tanh").setNumWorkers(3)
                .setBatchSize(20).setLocalSteps(2).setEpochs(2).setSeed(5).setLearningRate(0.05).setMomentum(0.9)
                .setAggregator("centeredClipping:0.5:1:previous").setByzantineWorkers(1).setAttack("signFlip");
    }

    @Test
    void velocitiesAndThePreviousStepGiveTheSameBitsInEveryMode() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(240), 2);
        float[] job = fit(threeWorkers(), data, "job");
        assertArrayEquals(job, fit(threeWorkers(), data, "barrier"));
        assertArrayEquals(job, fit(threeWorkers(), data, "blocks"), "velocities kept on the executors");
        SimdgradClassifier median = threeWorkers().setAggregator("median").setNesterov(true);
        assertArrayEquals(fit(median, data, "job"), fit(median.setAggregationBlocks(3), data, "job"),
                "velocities on the executors, the median in three blocks");
        // the state matters: without momentum, or centering at the zero step, the result differs
        assertFalse(Arrays.equals(job, fit(threeWorkers().setMomentum(0), data, "job")), "momentum has no effect");
        assertFalse(Arrays.equals(job, fit(threeWorkers().setAggregator("centeredClipping:0.5:1"), data, "job")),
                "the previous step has no effect");
    }

    @Test
    void aResumedFitContinuesWithTheCheckpointedState(@TempDir Path dir) throws Exception {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(240), 2);
        float[] uninterrupted = fit(threeWorkers(), data, "job");   // 80 examples, B = 20, K = 2: 2 rounds per epoch
        for (String mode : new String[]{"job", "barrier", "blocks"}) {
            Path d = dir.resolve(mode);
            SimdgradClassifier clf = threeWorkers().setCheckpointDir(d.toString()).setCheckpointInterval(2);
            DataParallelTrainer.faultHook = (round, worker, attempt) -> round == 2;   // every attempt fails
            assertThrows(Exception.class, () -> fit(clf, data, mode));
            DataParallelTrainer.faultHook = null;
            try (var files = Files.list(d)) {
                assertEquals(List.of("sgnn", "state"), files.map(f -> f.getFileName().toString())
                        .map(n -> n.substring(n.lastIndexOf('.') + 1)).sorted().toList(), "the round-2 checkpoint");
            }
            SimdgradClassificationModel resumed = model(clf, data, mode);
            assertEquals(0.0, resumed.trainingLoss()[1], "rounds 0 and 1 come from the checkpoint");
            assertTrue(resumed.trainingLoss()[2] > 0, "round 2 ran again");
            assertArrayEquals(uninterrupted, resumed.network().parameters(), mode);
        }
    }

    @Test
    void badOptimizerSettingsAreNamedBeforeTraining() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(30), 1);
        SimdgradClassifier base = new SimdgradClassifier().setLayers(new int[]{784, 10});
        record Bad(SimdgradClassifier clf, String named) {
        }
        for (Bad b : List.of(new Bad(base.copy(ParamMap.empty()).setMomentum(1), "momentum=1.0"),
                new Bad(base.copy(ParamMap.empty()).setNesterov(true), "nesterov needs momentum"),
                new Bad(base.copy(ParamMap.empty()).setWeightDecay(-1), "weightDecay=-1.0"),
                new Bad(base.copy(ParamMap.empty()).setLearningRateSchedule("linear"), "'linear'"),
                new Bad(base.copy(ParamMap.empty()).setLearningRateSchedule("cosine:x"), "'cosine:x'"),
                new Bad(base.copy(ParamMap.empty()).setLearningRateSchedule("step:0.5"), "step:factor:every"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.clf().fit(data));
            assertTrue(e.getMessage().contains(b.named()), e.getMessage());
        }
        IllegalArgumentException cc = assertThrows(IllegalArgumentException.class,
                () -> base.copy(ParamMap.empty()).setAggregator("centeredClipping:1:1:next"));   // checked when set
        assertTrue(cc.getMessage().contains("'previous'"), cc.getMessage());
        TrainingConfig stateful = threeWorkers().config(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataParallelTrainer.fitLockstep(InputRows.of(data, "features", "label"), List.of(stateful)));
        assertTrue(e.getMessage().contains("carry no state"), e.getMessage());
    }
}
