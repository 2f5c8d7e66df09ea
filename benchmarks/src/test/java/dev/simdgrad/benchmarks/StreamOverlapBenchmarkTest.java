package dev.simdgrad.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/**
 * The suite's table only means something if each kernel computes the sums it is named for: each kernel's result
 * against the same sum in double, within the float error of the kernel's own order of operations.
 */
class StreamOverlapBenchmarkTest {
    private static final int CACHED = 16_384, COLS = 16 * 37, LD = COLS + 5;

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    /**
     * Sum of the terms and of their magnitudes, in double: the K norms and K(K-1)/2 squared differences among rows
     * p, p + ld, ..., then the extra terms of the named kernel, over columns [c, e).
     */
    private static double[] reference(String kernel, float[] g, int p, int ld, int c, int e, float[] y) {
        int k = StreamOverlapBenchmark.rows(kernel);
        double sum = 0, abs = 0;
        for (int col = c; col < e; col++) {
            double[] x = new double[k];
            for (int i = 0; i < k; i++) {
                x[i] = g[p + i * ld + col];
                sum += x[i] * x[i];
                abs += x[i] * x[i];
                for (int j = 0; j < i; j++) {
                    double d = x[i] - x[j];
                    sum += d * d;
                    abs += d * d;
                }
            }
            if (kernel.equals("group4+registers16")) {
                for (int q = 0; q < 16; q++) {
                    double t = x[q / 4] * x[q % 4];
                    sum += t;
                    abs += Math.abs(t);
                }
            }
            int rows = kernel.equals("group4+cached2") ? 2 : kernel.equals("group4+cached4") ? 4 : 0;
            for (int b = 0; b < rows; b++) {
                double yb = y[b * CACHED + (col & (CACHED - 1))];
                for (int a = 0; a < 4; a++) {
                    double d = x[a] - yb;
                    sum += d * d;
                    abs += d * d;
                }
            }
        }
        return new double[] {sum, abs};
    }

    @Test
    void eachKernelComputesItsSums() throws NoSuchFieldException {
        SplittableRandom r = new SplittableRandom(3);
        float[] g = random(r, 8 * LD + 32), y = random(r, 4 * CACHED);
        int p = 7, c = 16, e = COLS;
        // every kernel the suite declares, so that one added to its @Param is checked too
        String[] kernels = StreamOverlapBenchmark.Data.class.getField("kernel").getAnnotation(Param.class).value();
        assertEquals(6, kernels.length);
        for (String kernel : kernels) {
            float got = StreamOverlapBenchmark.kernel(kernel, y, g, p, LD, c, e);
            double[] ref = reference(kernel, g, p, LD, c, e, y);
            // Each float lane sums (e - c) / 16 terms (one FMA rounding each, and a difference rounded once, i.e.
            // within 3 units of 2^-24 per term), then at most 52 accumulators are added and 16 lanes reduced: every
            // term passes through at most (e - c) / 16 + 52 + 16 + 3 roundings.
            int roundings = (e - c) / 16 + 52 + 16 + 3;
            double u = 0x1p-24, bound = roundings * u / (1 - roundings * u) * ref[1];
            assertTrue(Math.abs(got - ref[0]) <= bound,
                    kernel + ": " + got + " vs " + ref[0] + ", bound " + bound);
        }
    }

    @Test
    void refusesAnUnknownKernel() {
        StreamOverlapBenchmark.Data d = new StreamOverlapBenchmark.Data();
        d.kernel = "group5";
        var ex = assertThrows(IllegalArgumentException.class, d::setUp);
        assertEquals("kernel=group5 is not one of the suite's", ex.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> StreamOverlapBenchmark.kernel("group5", new float[0], new float[64], 0, 16, 0, 16));
    }
}
