package dev.simdgrad.spark;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fitted parameters are the same bits on 1, 2 and 4 cores, with the input spread over as many partitions: the
 * shards depend only on the rows' order and W, and the driver aggregates in worker order. Starts its own sessions one
 * after the other (one SparkContext per JVM at a time).
 */
class DeterminismTest {

    @Test
    void sameBitsOnOneTwoAndFourCores() {
        List<SimdgradClassifier> configs = List.of(
                new SimdgradClassifier().setLayers(new int[]{784, 12, 10}).setNumWorkers(5).setLocalSteps(3)
                        .setBatchSize(20).setEpochs(2).setSeed(3).setStrategy("trim:2").setDropLast(true)
                        .setAggregator("multiKrum:1:3").setByzantineWorkers(1).setAttack("alie"),
                new SimdgradClassifier().setLayers(new int[]{784, 12, 10}).setActivation("tanh").setNumWorkers(3)
                        .setLocalSteps(2).setBatchSize(16).setEpochs(1).setSeed(5).setStrategy("median")
                        .setAggregator("geometricMedian").setByzantineWorkers(1).setAttack("gaussian:0.01"));
        List<List<float[]>> runs = new ArrayList<>();
        for (int cores : new int[]{1, 2, 4}) {
            SparkSession spark = Frames.session("local[" + cores + "]");
            try {
                List<float[]> params = new ArrayList<>();
                for (SimdgradClassifier clf : configs) {
                    params.add(clf.fit(Frames.frame(spark, Frames.fashion(200), cores)).network().parameters());
                }
                runs.add(params);
            } finally {
                spark.stop();
            }
        }
        assertEquals(3, runs.size());
        for (int c = 0; c < configs.size(); c++) {
            assertArrayEquals(runs.get(0).get(c), runs.get(1).get(c), "config " + c + ": 1 vs 2 cores");
            assertArrayEquals(runs.get(0).get(c), runs.get(2).get(c), "config " + c + ": 1 vs 4 cores");
        }
    }
}
