package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.kernels.Parallelism;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The explicit robust rules over a float matrix (the distance kernel's groups, tiles and leftover rows, the rule,
 * the weighted pass) allocate nothing once their per-thread scratch exists: a vector the JIT boxes (a helper taking
 * a vector left out of line) shows here as bytes per call. Run in a fresh JVM by the "allocation" execution.
 */
class AggregateRobustAllocationTest {

    @Test
    void steadyStateRulesDoNotAllocate() {
        if (!SteadyStateAllocation.supported()) {
            return;
        }
        int saved = Parallelism.threads();
        Parallelism.setThreads(1);
        try {
            // 12 rows: three groups of four with tiles between them; 15: three more rows on the per-pair path (its
            // first version boxed a vector per step). The columns span several chunks and end in a partial vector.
            for (int rows : new int[] {12, 15}) {
                rulesDoNotAllocate(rows, 40_007);
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    private static void rulesDoNotAllocate(int rows, int cols) {
        int ldg = cols + 3;
        float[] g = new float[rows * ldg];
        SplittableRandom r = new SplittableRandom(11);
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) r.nextGaussian();
        }
        float[] out = new float[cols], center = new float[cols];
        Runnable[] rules = {
            () -> Aggregate.krum(g, 0, rows, cols, ldg, 2, out, 0),
            () -> Aggregate.multiKrum(g, 0, rows, cols, ldg, 2, 5, out, 0),
            () -> Aggregate.geometricMedian(g, 0, rows, cols, ldg, 1e-6, 5, 1e-7, out, 0),
            () -> Aggregate.centeredClipping(g, 0, rows, cols, ldg, center, 0, 10f, 2, out, 0),
            () -> Aggregate.bulyan(g, 0, rows, cols, ldg, 2, out, 0)};
        String[] names = {"krum", "multiKrum", "geometricMedian", "centeredClipping", "bulyan"};
        for (int q = 0; q < rules.length; q++) {
            long perCall = SteadyStateAllocation.perCall(rules[q], 200, 20, 60, 256);
            assertTrue(perCall < 256, names[q] + " over " + rows + " x " + cols + " allocates " + perCall
                    + " bytes per call");
        }
    }
}
