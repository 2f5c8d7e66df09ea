package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.kernels.Coherence;
import dev.simdgrad.kernels.FusedAggregate;
import dev.simdgrad.kernels.PerExample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad arguments throw the documented exception, name the argument, and leave every output unchanged.
 * The test counts its cases so none is skipped silently.
 */
class AggregateValidationTest {
    private final float[] g = new float[6 * 8];
    private float[] out = sentinel(16);
    private float[] out2 = sentinel(16);
    private int checked;

    private static float[] sentinel(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 12345.5f);
        return a;
    }

    private void bad(Class<? extends RuntimeException> type, String mention, Executable call) {
        float[] before = out.clone(), before2 = out2.clone();
        RuntimeException e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(mention), "message '" + e.getMessage() + "' should mention " + mention);
        assertArrayEquals(before, out, "output changed by a rejected call: " + e.getMessage());
        assertArrayEquals(before2, out2, "second output changed by a rejected call: " + e.getMessage());
        checked++;
    }

    @Test
    void aggregateRejectsBadArguments() {
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        bad(iae, "rows", () -> Aggregate.mean(g, 0, 0, 8, 8, out, 0));
        bad(iae, "cols", () -> Aggregate.median(g, 0, 6, -1, 8, out, 0));
        bad(iae, "ldg", () -> Aggregate.mean(g, 0, 6, 8, 7, out, 0));
        bad(iae, "g is null", () -> Aggregate.mean(null, 0, 6, 8, 8, out, 0));
        bad(iae, "out is null", () -> Aggregate.median(g, 0, 6, 8, 8, null, 0));
        bad(ioobe, "gOffset", () -> Aggregate.mean(g, -1, 6, 8, 8, out, 0));
        bad(ioobe, "g.length", () -> Aggregate.mean(g, 1, 6, 8, 8, out, 0));
        bad(ioobe, "out.length", () -> Aggregate.mean(g, 0, 6, 8, 8, out, 9));
        bad(ioobe, "outOffset", () -> Aggregate.mean(g, 0, 6, 8, 8, out, -1));
        bad(iae, "overlap", () -> Aggregate.mean(out, 0, 1, 8, 8, out, 4));
        for (int c : new int[] {-1, 3, 4, 100}) {
            bad(iae, "c=" + c, () -> Aggregate.trimmedMean(g, 0, 6, 8, 8, c, out, 0));
            bad(iae, "rows=6", () -> Aggregate.winsorizedMean(g, 0, 6, 8, 8, c, out, 0));
        }
        for (int groups : new int[] {0, -2, 7}) {
            bad(iae, "groups=" + groups, () -> Aggregate.medianOfMeans(g, 0, 6, 8, 8, groups, out, 0));
        }
        float[] a = new float[10];
        bad(iae, "length", () -> Aggregate.medianOfThree(a, a, a, 0, -1, out, 0));
        bad(iae, "b is null", () -> Aggregate.medianOfThree(a, null, a, 0, 10, out, 0));
        bad(ioobe, "c.length", () -> Aggregate.medianOfThree(a, a, new float[5], 0, 10, out, 0));
        bad(ioobe, "out.length", () -> Aggregate.medianOfThree(a, a, a, 0, 10, out, 10));
        bad(iae, "overlap", () -> Aggregate.medianOfThree(out, a, a, 0, 10, out, 1));
        assertEquals(26, checked);
    }

    @Test
    void fusedAndPerExampleRejectBadArguments() {
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        float[] d = new float[4 * 2], x = new float[4 * 3]; // batch 4, dOut 2, dIn 3
        bad(iae, "batch", () -> FusedAggregate.median(0, 2, 3, d, 0, 2, x, 0, 3, out, 0, 3, out2, 0));
        bad(iae, "dIn", () -> FusedAggregate.mean(4, 2, -3, d, 0, 2, x, 0, 3, out, 0, 3, out2, 0));
        bad(iae, "ldd", () -> FusedAggregate.mean(4, 2, 3, d, 0, 1, x, 0, 3, out, 0, 3, out2, 0));
        bad(iae, "ldx", () -> FusedAggregate.mean(4, 2, 3, d, 0, 2, x, 0, 2, out, 0, 3, out2, 0));
        bad(iae, "ldgw", () -> FusedAggregate.mean(4, 2, 3, d, 0, 2, x, 0, 3, out, 0, 2, out2, 0));
        bad(iae, "c=2", () -> FusedAggregate.trimmedMean(4, 2, 3, d, 0, 2, x, 0, 3, 2, out, 0, 3, out2, 0));
        bad(iae, "c=-1", () -> FusedAggregate.winsorizedMean(4, 2, 3, d, 0, 2, x, 0, 3, -1, out, 0, 3, out2, 0));
        bad(iae, "groups=5", () -> FusedAggregate.medianOfMeans(4, 2, 3, d, 0, 2, x, 0, 3, 5, out, 0, 3, out2, 0));
        bad(iae, "x is null", () -> FusedAggregate.median(4, 2, 3, d, 0, 2, null, 0, 3, out, 0, 3, out2, 0));
        bad(ioobe, "d.length", () -> FusedAggregate.median(4, 2, 3, d, 1, 2, x, 0, 3, out, 0, 3, out2, 0));
        bad(ioobe, "gradW.length", () -> FusedAggregate.median(4, 2, 3, d, 0, 2, x, 0, 3, out, 11, 3, out2, 0));
        bad(ioobe, "gradB.length", () -> FusedAggregate.median(4, 2, 3, d, 0, 2, x, 0, 3, out, 0, 3, out2, 15));
        bad(iae, "overlap", () -> FusedAggregate.median(4, 2, 3, d, 0, 2, x, 0, 3, out, 0, 3, out, 4));
        bad(iae, "overlap", () -> FusedAggregate.median(4, 2, 3, out, 0, 2, x, 0, 3, out, 6, 3, out2, 0));
        bad(iae, "batch", () -> PerExample.squaredNorms(-1, 2, 3, d, 0, 2, x, 0, 3, true, false, out, 0));
        bad(ioobe, "norms.length", () -> PerExample.squaredNorms(4, 2, 3, d, 0, 2, x, 0, 3, true, false, out, 13));
        bad(ioobe, "x.length", () -> PerExample.squaredNorms(4, 2, 3, d, 0, 2, x, 2, 3, true, false, out, 0));
        bad(iae, "clipNorm", () -> PerExample.clipWeights(4, out2, 0, 0f, 1f, out, 0));
        bad(iae, "clipNorm", () -> PerExample.clipWeights(4, out2, 0, Float.NaN, 1f, out, 0));
        bad(iae, "scale", () -> PerExample.clipWeights(4, out2, 0, 1f, Float.POSITIVE_INFINITY, out, 0));
        bad(iae, "overlap", () -> PerExample.clipWeights(4, out, 0, 1f, 1f, out, 2));
        bad(ioobe, "s.length", () -> PerExample.weightedGradient(4, 2, 3, new float[3], 0, d, 0, 2, x, 0, 3, 0f, out,
                0, 3, out2, 0));
        bad(iae, "ldgw", () -> PerExample.weightedGradient(4, 2, 3, out2, 0, d, 0, 2, x, 0, 3, 0f, out, 0, 2, null, 0));
        bad(iae, "overlap", () -> PerExample.weightedGradient(4, 2, 3, new float[4], 0, d, 0, 2, x, 0, 3, 0f, out, 0,
                3, out, 5));
        bad(iae, "coordinates", () -> PerExample.gradients(4, 2, 3, d, 0, 2, x, 0, 3, false, 5, 2, out, 0, 2));
        bad(iae, "coordinates", () -> PerExample.gradients(4, 2, 3, d, 0, 2, x, 0, 3, true, -1, 2, out, 0, 2));
        bad(iae, "ldo", () -> PerExample.gradients(4, 2, 3, d, 0, 2, x, 0, 3, true, 0, 3, out, 0, 2));
        bad(ioobe, "out.length", () -> PerExample.gradients(4, 2, 3, d, 0, 2, x, 0, 3, true, 0, 4, out, 1, 4));
        bad(iae, "count", () -> Coherence.mCoherence(1.0, out, 0, 0));
        bad(iae, "squaredNormOfSum", () -> Coherence.mCoherence(-1.0, out, 0, 2));
        bad(ioobe, "squaredNorms.length", () -> Coherence.mCoherence(1.0, out, 10, 7));
        assertEquals(31, checked);
    }

    @Test
    void emptyShapesWriteNothing() {
        List<Runnable> calls = new ArrayList<>();
        calls.add(() -> Aggregate.mean(g, 0, 3, 0, 1, out, 0));
        calls.add(() -> Aggregate.median(new float[0], 0, 1, 0, 1, out, 0));
        calls.add(() -> Aggregate.medianOfThree(new float[0], new float[0], new float[0], 0, 0, out, 0));
        calls.add(() -> FusedAggregate.median(3, 0, 4, new float[0], 0, 1, new float[12], 0, 4, out, 0, 4, out2, 0));
        calls.add(() -> PerExample.gradients(3, 2, 2, new float[6], 0, 2, new float[6], 0, 2, true, 6, 0, out, 0, 1));
        float[] before = out.clone();
        for (Runnable r : calls) {
            r.run();
        }
        assertArrayEquals(before, out);
    }
}
