package dev.simdgrad.verify;

import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shape checks of datasets and batches: a mismatch is an IllegalArgumentException, never a silently wrong loss. */
class NnDataShapeTest {
    private static Dataset data(int n, int classes) {
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            y[i] = i % classes;
        }
        return Dataset.classification(n, 2, x, y, classes);
    }

    @Test
    void gatherRejectsADatasetWithAnotherClassCount() {
        Batch b = Batch.buffer(data(10, 10), 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.gather(data(10, 3), null, 0, 4));
        assertTrue(e.getMessage().contains("classes=10") && e.getMessage().contains("classes=3"), e.getMessage());
        assertEquals(0, b.size(), "nothing gathered");
        assertEquals(4, b.gather(data(7, 10), null, 3, 4).size(), "the same class count is accepted");
        assertEquals(6f, b.inputs()[2 * 3]);
    }

    @Test
    void headRejectsANegativeCountNamingIt() {
        Dataset d = data(5, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.head(-1));
        assertTrue(e.getMessage().contains("count=-1"), e.getMessage());
        assertEquals(0, d.head(0).size());
        assertEquals(5, d.head(99).size());
    }
}
