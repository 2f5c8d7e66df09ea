package dev.simdgrad.spark;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Aggregating in coordinate blocks on the executors gives the bits of aggregating on the driver, for every
 * coordinate-wise rule and every attack (the Gaussian one applied by the Byzantine worker's own task), whatever the
 * number of blocks, and when a task is retried; the distance-based rules give them in one block and agree within
 * the distances' rounding in several; with momentum the velocities stay on the executors (see also
 * WorkerStateTest); what blocks cannot serve is refused by name; auto switches to them only when W x P would crowd
 * the driver.
 */
class ExecutorAggregationTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = Frames.session("local[2,2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @AfterEach
    void clearHook() {
        DataParallelTrainer.faultHook = null;
    }

    private static SimdgradClassifier five(String aggregator, String attack) {
        return new SimdgradClassifier().setLayers(new int[]{784, 8, 10}).setActivation("tanh").setNumWorkers(5)
                .setBatchSize(20).setLocalSteps(2).setEpochs(1).setSeed(9).setLearningRate(0.1)
                .setAggregator(aggregator).setByzantineWorkers(attack.equals("none") ? 0 : 2).setAttack(attack);
    }

    private static float[] fit(SimdgradClassifier clf, org.apache.spark.sql.Dataset<Row> data, int blocks) {
        return clf.copy(ParamMap.empty()).setAggregationBlocks(blocks).fit(data).network().parameters();
    }

    @Test
    void blocksOnTheExecutorsGiveTheBitsOfTheDriver() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(200), 2);
        record Case(String aggregator, String attack, int blocks) {
        }
        for (Case c : List.of(new Case("mean", "gaussian:0.05", 3), new Case("median", "alie", 7),
                new Case("trimmedMean:1", "scaled:-3", 1), new Case("winsorizedMean:2", "ipm", 4),
                new Case("medianOfMeans:2", "none", 100_000))) {
            SimdgradClassifier clf = five(c.aggregator(), c.attack());
            assertArrayEquals(fit(clf, data, 0), fit(clf, data, c.blocks()), c.toString());
        }
    }

    /**
     * The distance-based rules in one block are the driver's rule bit for bit (the same distance pass, rule and
     * output pass over the same W x P matrix), centered clipping at the previous step included (its step carried
     * from round to round).
     */
    @Test
    void distanceRulesInOneBlockGiveTheBitsOfTheDriver() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(200), 2);
        record Case(String aggregator, String attack) {
        }
        for (Case c : List.of(new Case("krum:1", "alie"), new Case("multiKrum:1:3", "gaussian:0.05"),
                new Case("geometricMedian", "ipm"), new Case("centeredClipping:0.5:2:previous", "signFlip"),
                new Case("bulyan:0", "none"))) {
            // one round per epoch: two for the previous step to matter
            SimdgradClassifier clf = five(c.aggregator(), c.attack()).setEpochs(c.aggregator().endsWith("previous")
                    ? 2 : 1);
            assertArrayEquals(fit(clf, data, 0), fit(clf, data, 1), c.toString());
        }
    }

    /**
     * In several blocks each distance is summed in another order: Krum's and Bulyan's selections on these data
     * are far from a tie, so their results are the driver's bits; the geometric median's and centered clipping's
     * weights move by the distances' rounding (~1e-5 relative at most, bounded and tested in verify's
     * BlockwiseAggregatePropertiesTest), so their parameters stay within 1e-4 of the largest parameter, where a
     * misplaced block or center slice would move them by its whole size. Same bits when run again.
     */
    @Test
    void distanceRulesInSeveralBlocksAgreeWithTheDriver() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(200), 2);
        for (String a : List.of("krum:1", "bulyan:0")) {
            SimdgradClassifier clf = five(a, a.startsWith("krum") ? "scaled:-3" : "none");
            assertArrayEquals(fit(clf, data, 0), fit(clf, data, 4), a);
        }
        for (String a : List.of("geometricMedian", "centeredClipping:0.2:3:previous")) {
            SimdgradClassifier clf = five(a, "alie").setEpochs(2);
            float[] driver = fit(clf, data, 0), blocks = fit(clf, data, 7);
            assertArrayEquals(blocks, fit(clf, data, 7), a + ": run again");
            float largest = 0, worst = 0;
            for (int j = 0; j < driver.length; j++) {
                largest = Math.max(largest, Math.abs(driver[j]));
                worst = Math.max(worst, Math.abs(driver[j] - blocks[j]));
            }
            assertTrue(worst <= 1e-4f * largest, a + ": " + worst + " from the driver's, largest " + largest);
        }
    }

    @Test
    void aRetriedTaskChangesNothing() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(200), 2);
        SimdgradClassifier clf = five("median", "gaussian:0.05").setEpochs(3);   // one round per epoch
        float[] plain = fit(clf, data, 0);
        AtomicInteger injected = new AtomicInteger();
        DataParallelTrainer.faultHook = (round, worker, attempt) ->
                round == 1 && worker == 3 && attempt == 0 && injected.incrementAndGet() > 0;
        assertArrayEquals(plain, fit(clf, data, 3));
        assertEquals(1, injected.get());
        SimdgradClassifier gm = five("geometricMedian", "ipm").setEpochs(3).setMomentum(0.9);
        DataParallelTrainer.FaultHook hook = DataParallelTrainer.faultHook;
        DataParallelTrainer.faultHook = null;
        float[] once = fit(gm, data, 3);
        DataParallelTrainer.faultHook = hook;
        injected.set(0);
        assertArrayEquals(once, fit(gm, data, 3), "the geometric median's two jobs, momentum, a retried task");
        assertEquals(1, injected.get());
    }

    @Test
    void whatBlocksCannotServeIsRefusedByName() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(60), 2);
        record Bad(SimdgradClassifier clf, String named) {
        }
        for (Bad b : List.of(
                new Bad(five("mean", "none").setRoundMode("barrier").setAggregationBlocks(2), "roundMode barrier"),
                new Bad(five("mean", "none").setAggregationBlocks(-2), "aggregationBlocks=-2"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.clf().fit(data));
            assertTrue(e.getMessage().contains(b.named()), e.getMessage());
        }
    }

    @Test
    void autoMovesToTheExecutorsOnlyWhenTheDriverWouldBeCrowded() {
        long heap = Runtime.getRuntime().maxMemory();
        int big = (int) Math.min(Integer.MAX_VALUE, heap / 64);   // 2 x 4 workers x 4 bytes x P = heap / 2
        assertEquals(0, ExecutorAggregation.blocks(five("mean", "none").setNumWorkers(4).config(4), 50_000));
        int blocks = ExecutorAggregation.blocks(five("mean", "none").setNumWorkers(4).config(4), big);
        assertTrue(blocks >= 2 && (long) 4 * 4 * big / blocks <= 33L << 20, "blocks " + blocks + " for P " + big);
        assertEquals(blocks, ExecutorAggregation.blocks(five("krum:0", "none").setNumWorkers(4).config(4), big),
                "Krum moves too");
        assertEquals(blocks, ExecutorAggregation.blocks(five("krum:0", "none").setNumWorkers(4).setMomentum(0.5)
                .config(4), big), "with momentum too");
        assertEquals(0, ExecutorAggregation.blocks(five("mean", "none").setNumWorkers(4).setRoundMode("barrier")
                .config(4), big), "barrier rounds stay on the driver");
        assertEquals(0, ExecutorAggregation.blocks(five("mean", "none").setNumWorkers(4).setAggregationBlocks(0)
                .config(4), big), "0: the driver, always");
        assertEquals(3, ExecutorAggregation.blocks(five("mean", "none").setAggregationBlocks(3).config(4), 10));
        assertEquals(10, ExecutorAggregation.blocks(five("mean", "none").setAggregationBlocks(99).config(4), 10),
                "at most one block per coordinate");
    }
}
