package dev.simdgrad.kernels;

import dev.simdgrad.kernels.internal.agg.AggregateDriver;
import dev.simdgrad.kernels.internal.agg.Plan;

/**
 * The coordinate-wise aggregations of {@link Aggregate}, fused into the gradient of a dense layer: computed from the
 * layer's inputs X and output deltas D without ever holding the B x P matrix of per-example gradients.
 *
 * <p>For a dense layer with X ({@code batch x dIn}, row-major, element (i, c) at {@code x[xOffset + i*ldx + c]})
 * and D ({@code batch x dOut}, element (i, r) at {@code d[dOffset + i*ldd + r]}), the per-example gradient of
 * example i is {@code g_i = d_i x_i^T} (dOut x dIn) and {@code d_i} for the bias. Each method writes the aggregate
 * over the examples of every weight coordinate, {@code agg_i(D[i, r] * X[i, c])}, to
 * {@code gradW[gradWOffset + r*ldgw + c]} (dOut x dIn), and, when {@code gradB} is not null, the aggregate of every
 * bias coordinate, {@code agg_i(D[i, r])}, to {@code gradB[gradBOffset + r]}.
 *
 * <p><b>Same results as explicit.</b> Every value is the float product {@code D[i, r] * X[i, c]}, the value a
 * materialized matrix would hold (see {@link PerExample#gradients}), and it goes through the same kernel, so the
 * result is bitwise equal to materializing the per-example gradients and calling the {@link Aggregate} method of
 * the same name; definitions, NaN policy, exactness, error bounds and algorithms are documented there. (For the plain
 * mean, {@link PerExample#weightedGradient} with weights 1/B is the fast route: one SGEMM, rounded differently.)
 *
 * <p><b>How.</b> The columns of X are taken in tiles of T columns (T = 4096 / B rounded to the vector width, between
 * one vector and 256): each thread copies the B x T block of X once (16 KiB, it stays in L1), then for every output
 * row r runs the aggregation kernel over the B x T values, each generated in a register by one multiply
 * ({@code broadcast(D[i, r]) * X[i, c..c+L)}) when the kernel reads it, never stored (the kernels that read the
 * values twice, such as the clamped sum of the winsorized mean, multiply twice). Memory: the transposed deltas
 * (dOut x B) plus O(B x T) per thread, against B x dOut x dIn for the explicit matrix. Threads split the column
 * tiles; results are bitwise identical for any thread count.
 *
 * <p><b>Validation.</b> {@code batch >= 1}, {@code dOut, dIn >= 0}, {@code ldd >= max(1, dOut)},
 * {@code ldx >= max(1, dIn)}, {@code ldgw >= max(1, dIn)}, c and groups as in {@link Aggregate}, arrays non-null
 * and long enough, outputs not overlapping the inputs or each other; checked before anything is written, so an
 * exception leaves the outputs unchanged.
 */
public final class FusedAggregate {
    private FusedAggregate() {
    }

    /** Fused coordinate-wise mean of the per-example gradients of a dense layer. */
    public static void mean(int batch, int dOut, int dIn, float[] d, int dOffset, int ldd, float[] x, int xOffset,
                            int ldx, float[] gradW, int gradWOffset, int ldgw, float[] gradB, int gradBOffset) {
        run(Plan.MEAN, 0, batch, dOut, dIn, d, dOffset, ldd, x, xOffset, ldx, gradW, gradWOffset, ldgw, gradB,
                gradBOffset);
    }

    /** Fused coordinate-wise median (even batch: the mean of the two middle values). */
    public static void median(int batch, int dOut, int dIn, float[] d, int dOffset, int ldd, float[] x, int xOffset,
                              int ldx, float[] gradW, int gradWOffset, int ldgw, float[] gradB, int gradBOffset) {
        run(Plan.MEDIAN, 0, batch, dOut, dIn, d, dOffset, ldd, x, xOffset, ldx, gradW, gradWOffset, ldgw, gradB,
                gradBOffset);
    }

    /** Fused coordinate-wise trimmed mean, {@code 0 <= c}, {@code 2c < batch}. */
    public static void trimmedMean(int batch, int dOut, int dIn, float[] d, int dOffset, int ldd, float[] x,
                                   int xOffset, int ldx, int c, float[] gradW, int gradWOffset, int ldgw,
                                   float[] gradB, int gradBOffset) {
        Checks.size("batch", batch, 1, "examples");
        Aggregate.checkC(c, batch);
        run(Plan.TRIMMED, c, batch, dOut, dIn, d, dOffset, ldd, x, xOffset, ldx, gradW, gradWOffset, ldgw, gradB,
                gradBOffset);
    }

    /**
     * Fused coordinate-wise winsorized mean, {@code 0 <= c}, {@code 2c < batch}: the per-step aggregation of
     * winsorized SGD (Coherent Gradients), divided by the batch size.
     */
    public static void winsorizedMean(int batch, int dOut, int dIn, float[] d, int dOffset, int ldd, float[] x,
                                      int xOffset, int ldx, int c, float[] gradW, int gradWOffset, int ldgw,
                                      float[] gradB, int gradBOffset) {
        Checks.size("batch", batch, 1, "examples");
        Aggregate.checkC(c, batch);
        run(Plan.WINSORIZED, c, batch, dOut, dIn, d, dOffset, ldd, x, xOffset, ldx, gradW, gradWOffset, ldgw, gradB,
                gradBOffset);
    }

    /** Fused coordinate-wise median of means over {@code 1 <= groups <= batch} consecutive groups of examples. */
    public static void medianOfMeans(int batch, int dOut, int dIn, float[] d, int dOffset, int ldd, float[] x,
                                     int xOffset, int ldx, int groups, float[] gradW, int gradWOffset, int ldgw,
                                     float[] gradB, int gradBOffset) {
        Checks.size("batch", batch, 1, "examples");
        Aggregate.checkGroups(groups, batch);
        run(Plan.MEDIAN_OF_MEANS, groups, batch, dOut, dIn, d, dOffset, ldd, x, xOffset, ldx, gradW, gradWOffset,
                ldgw, gradB, gradBOffset);
    }

    private static void run(int op, int param, int batch, int dOut, int dIn, float[] d, int dOffset, int ldd,
                            float[] x, int xOffset, int ldx, float[] gradW, int gradWOffset, int ldgw,
                            float[] gradB, int gradBOffset) {
        Checks.size("batch", batch, 1, "examples");
        Checks.size("dOut", dOut, 0, "rows of W");
        Checks.size("dIn", dIn, 0, "columns of W");
        Checks.ld("ldd", ldd, dOut, "D", batch);
        Checks.ld("ldx", ldx, dIn, "X", batch);
        Checks.ld("ldgw", ldgw, dIn, "gradW", dOut);
        boolean weights = dOut > 0 && dIn > 0;
        boolean bias = gradB != null && dOut > 0;
        if (weights || bias) {
            Checks.matrix("d", d, dOffset, ldd, "D", batch, dOut);
        }
        if (weights) {
            Checks.matrix("x", x, xOffset, ldx, "X", batch, dIn);
            Checks.matrix("gradW", gradW, gradWOffset, ldgw, "gradW", dOut, dIn);
            Checks.disjoint("gradW", gradW, gradWOffset, (long) (dOut - 1) * ldgw + dIn, "d", d, dOffset, ldd, batch,
                    dOut);
            Checks.disjoint("gradW", gradW, gradWOffset, (long) (dOut - 1) * ldgw + dIn, "x", x, xOffset, ldx, batch,
                    dIn);
        }
        if (bias) {
            Checks.vector("gradB", gradB, gradBOffset, dOut, "gradB");
            Checks.disjoint("gradB", gradB, gradBOffset, dOut, "d", d, dOffset, ldd, batch, dOut);
            if (weights) {
                Checks.disjoint("gradB", gradB, gradBOffset, dOut, "x", x, xOffset, ldx, batch, dIn);
                Checks.disjoint("gradB", gradB, gradBOffset, dOut, "gradW", gradW, gradWOffset, ldgw, dOut, dIn);
            }
        }
        Plan plan = AggregateDriver.plan(op, batch, param);
        if (weights) {
            AggregateDriver.fused(plan, batch, dOut, dIn, d, dOffset, ldd, x, xOffset, ldx, gradW, gradWOffset, ldgw);
        }
        if (bias) {
            AggregateDriver.explicit(plan, d, dOffset, ldd, dOut, gradB, gradBOffset);
        }
    }
}
