package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.Sgemm;
import org.junit.jupiter.api.Test;

/**
 * SGEMM allocates nothing per call once warm, on every path: the small unpacked one, the packed one, edge tiles, the
 * row path, the narrow kernel, C through C^T, and operands that end exactly at the end of their arrays (a masked vector access past an array's end would leave C2's
 * intrinsic for a slow path that allocates on every call; so would a vector passed to a method C2 did not inline).
 * Measured with the JVM's per-thread allocation counter, single-threaded (workers allocate on their own counters).
 */
class SgemmAllocationTest {
    private static final int[][] SHAPES = {
        {24, 16, 20}, {24, 5, 16}, {5, 16, 24}, {13, 37, 7}, {40, 40, 40}, {64, 64, 64}, {61, 75, 33}, {100, 10, 300},
        // C of one row along the row (a masked last vector; four vectors, one, and a mask over two depth blocks),
        // the narrow kernel (a last panel of 16 columns), and C through C^T for B transposed with m < n
        {1, 10, 128}, {1, 256, 128}, {1, 100, 300}, {100, 16, 100}, {17, 300, 100},
    };

    @Test
    void warmCallsAllocateNothing() {
        if (!SteadyStateAllocation.supported()) {
            return;
        }
        int saved = Parallelism.threads();
        Parallelism.setThreads(1);
        try {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                for (int[] s : SHAPES) {
                    int m = s[0], n = s[1], k = s[2];
                    float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
                    java.util.Arrays.fill(a, 0.5f);
                    java.util.Arrays.fill(b, 0.25f);
                    // A path still allocating after 100 rounds (400,000 calls) allocates for real, not a late JIT.
                    long perCall = SteadyStateAllocation.perCall(() -> call(ta, tb, m, n, k, a, b, c),
                            4000, 200, 100, 16);
                    assertTrue(perCall < 16, (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k
                            + " allocates " + perCall + " bytes per call");
                }
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    private static void call(boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b, float[] c) {
        Sgemm.sgemm(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0.5f, c, 0, n);
    }
}
