package dev.simdgrad.spark;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The text settings and the attacks, without Spark. */
class SettingsTest {

    @Test
    void parsesAggregatorsAndChecksW() {
        assertEquals(new WorkerAggregator.MultiKrum(1, 3), WorkerAggregator.parse("multiKrum:1:3"));
        assertEquals(new WorkerAggregator.Krum(2), WorkerAggregator.parse("KRUM:2"));
        WorkerAggregator.parse("krum:1").checkWorkers(5);
        assertThrows(IllegalArgumentException.class, () -> WorkerAggregator.parse("krum:1").checkWorkers(4));
        WorkerAggregator.parse("bulyan:1").checkWorkers(7);
        assertThrows(IllegalArgumentException.class, () -> WorkerAggregator.parse("bulyan:1").checkWorkers(6));
        assertThrows(IllegalArgumentException.class, () -> WorkerAggregator.parse("trimmedMean:2").checkWorkers(4));
        assertThrows(IllegalArgumentException.class, () -> WorkerAggregator.parse("trimmedMean:x"));
        assertThrows(IllegalArgumentException.class, () -> WorkerAggregator.parse("average"));
    }

    @Test
    void oneWorkerIsCopiedBitForBit() {
        float[] row = {-0.0f, 1.5f, Float.MIN_VALUE}, out = new float[3];
        WorkerAggregator.parse("mean").aggregate(row, 1, 3, new float[3], out);
        assertArrayEquals(row, out);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(out[0]));
    }

    @Test
    void attacksReplaceOnlyTheByzantineRows() {
        float[] current = {1, 1};
        float[] rows = {2, 3, 1.5f, 0, 1, 1};   // updates (1, 2), (0.5, -1), (0, 0)
        Attack.parse("signFlip").apply(rows, 3, 2, current, new int[]{0}, 0, 1);
        assertArrayEquals(new float[]{0, -1, 1.5f, 0, 1, 1}, rows);
        float[] r2 = {2, 3, 1.5f, 0, 1, 1};
        Attack.parse("ipm:2").apply(r2, 3, 2, current, new int[]{2}, 0, 1);
        // mean update (0.5, 1/3): sent -2 * mean
        assertArrayEquals(new float[]{2, 3, 1.5f, 0, 0, (float) (1 - 2.0 / 3)}, r2, 1e-6f);
        float[] g1 = {2, 3, 1.5f, 0, 1, 1}, g2 = g1.clone();
        Attack.parse("gaussian:0.5").apply(g1, 3, 2, current, new int[]{1}, 4, 9);
        Attack.parse("gaussian:0.5").apply(g2, 3, 2, current, new int[]{1}, 4, 9);
        assertArrayEquals(g1, g2);
        assertThrows(IllegalArgumentException.class, () -> Attack.chooseWorkers(4, 3, 0));
        assertArrayEquals(Attack.chooseWorkers(2, 10, 5), Attack.chooseWorkers(2, 10, 5));
    }

    @Test
    void aLittleIsEnoughUsesTheZMaxOfThePaper() {
        assertEquals(1.959964, Normal.quantile(0.975), 1e-5);
        assertEquals(0.0, Normal.quantile(0.5), 1e-9);
        // n = 50, f = 24 (the paper's CIFAR setting): s = 2, Φ(z) = 48/50
        assertEquals(Normal.quantile(0.96), Attack.ALittleIsEnough.zMax(50, 24), 0);
        assertEquals(1.7507, Attack.ALittleIsEnough.zMax(50, 24), 1e-3);
    }

    @Test
    void strategiesAreBuiltPerTaskAndStatefulOnesRefused() {
        assertEquals("Winsorize(c=2)".length() > 0, WorkerStrategy.parse("winsorize:2").create() != null);
        assertThrows(IllegalArgumentException.class, () -> WorkerStrategy.parse("centeredClipping"));
        assertThrows(IllegalArgumentException.class, () -> WorkerStrategy.parse("multiKrum:1"));
    }
}
