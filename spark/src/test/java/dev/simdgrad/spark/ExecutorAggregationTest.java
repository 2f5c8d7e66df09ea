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
 * number of blocks, and when a task is retried; the settings it cannot serve are refused by name; auto switches to it
 * only when W x P would crowd the driver.
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
    }

    @Test
    void whatBlocksCannotServeIsRefusedByName() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(60), 2);
        record Bad(SimdgradClassifier clf, String named) {
        }
        for (Bad b : List.of(new Bad(five("krum:1", "none").setAggregationBlocks(2), "needs whole rows"),
                new Bad(five("mean", "none").setMomentum(0.9).setAggregationBlocks(2), "momentum"),
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
        assertEquals(0, ExecutorAggregation.blocks(five("krum:0", "none").setNumWorkers(4).config(4), big),
                "Krum stays on the driver");
        assertEquals(0, ExecutorAggregation.blocks(five("mean", "none").setNumWorkers(4).setAggregationBlocks(0)
                .config(4), big), "0: the driver, always");
        assertEquals(3, ExecutorAggregation.blocks(five("mean", "none").setAggregationBlocks(3).config(4), 10));
        assertEquals(10, ExecutorAggregation.blocks(five("mean", "none").setAggregationBlocks(99).config(4), 10),
                "at most one block per coordinate");
    }
}
