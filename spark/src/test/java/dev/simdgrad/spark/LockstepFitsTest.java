package dev.simdgrad.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arms trained in lockstep give the same bits as separate fits, and an arm that diverges stops alone.
 */
class LockstepFitsTest {
    private static SparkSession spark;
    private static org.apache.spark.sql.Dataset<Row> frame;

    @BeforeAll
    static void start() {
        spark = Frames.session("local[2]");
        frame = Frames.frame(spark, Frames.fashion(240), 3).cache();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SimdgradClassifier estimator(int batch, int k) {
        return new SimdgradClassifier().setLayers(new int[]{784, 8, 10}).setNumWorkers(5).setLocalSteps(k)
                .setBatchSize(batch).setEpochs(2).setLearningRate(0.1).setSeed(7);
    }

    @Test
    void everyArmIsBitwiseItsSeparateFit() {
        List<LockstepFits.Arm> arms = List.of(new LockstepFits.Arm("mean", "none", 0),
                new LockstepFits.Arm("median", "signFlip", 1), new LockstepFits.Arm("krum:1", "alie", 1),
                new LockstepFits.Arm("trimmedMean:2", "gaussian:0.1", 2),
                new LockstepFits.Arm("centeredClipping:0.5", "ipm", 2));
        for (int[] bk : new int[][]{{16, 2}, {1000, 1}}) {   // minibatches and local steps; full-batch GD
            SimdgradClassifier est = estimator(bk[0], bk[1]);
            // Full batches: two arms suffice (the batch schedule is then the whole shard, without draws).
            List<LockstepFits.Arm> these = bk[0] == 1000 ? arms.subList(0, 2) : arms;
            List<LockstepFits.Fit> fits = LockstepFits.fit(est, frame, these);
            assertEquals(these.size(), fits.size());
            for (LockstepFits.Fit fit : fits) {
                LockstepFits.Arm a = fit.arm();
                assertNull(fit.diverged(), a.toString());
                SimdgradClassificationModel alone = est.copy(org.apache.spark.ml.param.ParamMap.empty())
                        .setAggregator(a.aggregator()).setAttack(a.attack()).setByzantineWorkers(a.byzantineWorkers())
                        .fit(frame);
                assertArrayEquals(alone.network().parameters(), fit.model().network().parameters(),
                        a + ", batch " + bk[0] + ", K " + bk[1]);
                assertArrayEquals(alone.trainingLoss(), fit.model().trainingLoss(), 0.0, a.toString());
                assertArrayEquals(alone.byzantineWorkers(), fit.model().byzantineWorkers(), a.toString());
            }
        }
    }

    @Test
    void aDivergingArmStopsAloneAndTheOthersGoOn() {
        SimdgradClassifier est = estimator(16, 2);
        List<LockstepFits.Fit> fits = LockstepFits.fit(est, frame, List.of(new LockstepFits.Arm("mean",
                "scaled:1e30", 1), new LockstepFits.Arm("median", "scaled:1e30", 1)));
        assertNull(fits.get(0).model());
        assertNotNull(fits.get(0).diverged());
        assertTrue(fits.get(0).diverged().contains("diverged"), fits.get(0).diverged());
        assertNull(fits.get(1).diverged());
        assertArrayEquals(est.copy(org.apache.spark.ml.param.ParamMap.empty()).setAggregator("median")
                        .setAttack("scaled:1e30").setByzantineWorkers(1).fit(frame).network().parameters(),
                fits.get(1).model().network().parameters());
    }

    @Test
    void badArmsAreRefusedBeforeTraining() {
        SimdgradClassifier est = estimator(16, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LockstepFits.fit(est, frame,
                List.of(new LockstepFits.Arm("krum:2", "none", 0))));
        assertTrue(e.getMessage().contains("krum:2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LockstepFits.fit(est, frame, List.of()));
        assertThrows(IllegalArgumentException.class, () -> LockstepFits.fit(est, frame,
                List.of(new LockstepFits.Arm("mean", "bogus", 1))));
    }
}
