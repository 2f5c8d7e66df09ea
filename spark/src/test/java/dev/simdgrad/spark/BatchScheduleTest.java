package dev.simdgrad.spark;

import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A step's batch does not depend on which steps were asked for before it (retries, recomputed shards). */
class BatchScheduleTest {

    private static Dataset data(int n) {
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i % 3;
        }
        return Dataset.classification(n, 2, x, y, 3);
    }

    private static float[] firstColumn(Batch b) {
        float[] out = new float[b.size()];
        for (int i = 0; i < b.size(); i++) {
            out[i] = b.inputs()[2 * i];
        }
        return out;
    }

    @Test
    void anyRequestOrderGivesTheSameBatches() {
        for (boolean dropLast : new boolean[]{false, true}) {
            Dataset d = data(23);
            BatchSchedule forward = new BatchSchedule(9, 23, 5, dropLast);
            long s = BatchSchedule.stepsPerEpoch(23, 5, dropLast);
            assertEquals(dropLast ? 4 : 5, s);
            List<float[]> expected = new ArrayList<>();
            for (long t = 0; t < 6 * s; t++) {
                expected.add(firstColumn(forward.batch(t, d)));
            }
            BatchSchedule jumping = new BatchSchedule(9, 23, 5, dropLast);
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < 200; i++) {
                int t = r.nextInt(expected.size());
                assertArrayEquals(expected.get(t), firstColumn(jumping.batch(t, d)), "step " + t);
            }
        }
    }

    @Test
    void batchSizesNameTheShortLastBatch() {
        assertArrayEquals(new int[]{5, 3}, BatchSchedule.batchSizes(23, 5, false));
        assertArrayEquals(new int[]{5, 5}, BatchSchedule.batchSizes(23, 5, true));
        assertArrayEquals(new int[]{23, 23}, BatchSchedule.batchSizes(23, 40, false));
        assertEquals(1, BatchSchedule.stepsPerEpoch(23, 23, false));
    }
}
