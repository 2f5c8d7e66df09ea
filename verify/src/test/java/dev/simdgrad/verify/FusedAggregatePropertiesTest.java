package dev.simdgrad.verify;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.kernels.FusedAggregate;
import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.PerExample;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link FusedAggregate} equals, bit for bit, materializing the per-example gradients with
 * {@link PerExample#gradients} and aggregating them with {@link Aggregate}; and does not depend on the thread count.
 */
class FusedAggregatePropertiesTest {

    record Layer(int batch, int dOut, int dIn, int ldd, int ldx, int dOff, int xOff, float[] d, float[] x) {
        static Layer make(int batch, int dOut, int dIn, int kind, long seed) {
            Random r = new Random(seed);
            int ldd = dOut + r.nextInt(3), ldx = dIn + r.nextInt(3), dOff = r.nextInt(3), xOff = r.nextInt(3);
            float[] d = new float[dOff + (batch - 1) * ldd + dOut + 1];
            float[] x = new float[xOff + (batch - 1) * ldx + dIn + 1];
            for (int i = 0; i < d.length; i++) {
                d[i] = AggregateCase.value(r, kind);
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = AggregateCase.value(r, kind == 3 ? 0 : kind);
            }
            return new Layer(batch, dOut, dIn, ldd, ldx, dOff, xOff, d, x);
        }

        /** The B x P matrix, P = dOut*dIn + dOut (weights, then bias). */
        float[] materialize() {
            int p = dOut * dIn + dOut;
            float[] g = new float[batch * p];
            PerExample.gradients(batch, dOut, dIn, d, dOff, ldd, x, xOff, ldx, true, 0, p, g, 0, p);
            return g;
        }
    }

    static int batchOf(int pick) {
        int[] edges = {1, 2, 3, 4, 7, 8, 16, 17, 31, 32, 33, 64, 65, 127, 128, 129, 255, 256, 257, 300};
        return pick % 2 == 0 ? edges[(pick / 2) % edges.length] : 1 + pick % 300;
    }

    /** op 0 mean, 1 median, 2 trimmed, 3 winsorized, 4 median of means; explicit (e) or fused (f). */
    static void aggregate(int op, boolean fused, Layer l, int param, float[] gw, float[] gb) {
        int b = l.batch(), dOut = l.dOut(), dIn = l.dIn();
        if (fused) {
            // written with an offset and a padded leading dimension, then compacted
            int ld = dIn + 3, go = 2;
            float[] w = new float[go + (dOut - 1) * ld + dIn + 1], bb = new float[dOut + 1];
            switch (op) {
                case 0 -> FusedAggregate.mean(b, dOut, dIn, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(), l.ldx(), w, go,
                        ld, bb, 1);
                case 1 -> FusedAggregate.median(b, dOut, dIn, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(), l.ldx(), w,
                        go, ld, bb, 1);
                case 2 -> FusedAggregate.trimmedMean(b, dOut, dIn, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(), l.ldx(),
                        param, w, go, ld, bb, 1);
                case 3 -> FusedAggregate.winsorizedMean(b, dOut, dIn, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(),
                        l.ldx(), param, w, go, ld, bb, 1);
                default -> FusedAggregate.medianOfMeans(b, dOut, dIn, l.d(), l.dOff(), l.ldd(), l.x(), l.xOff(),
                        l.ldx(), param, w, go, ld, bb, 1);
            }
            for (int r = 0; r < dOut; r++) {
                System.arraycopy(w, go + r * ld, gw, r * dIn, dIn);
            }
            System.arraycopy(bb, 1, gb, 0, dOut);
            return;
        }
        float[] g = l.materialize();
        int p = dOut * dIn + dOut;
        float[] all = new float[p];
        switch (op) {
            case 0 -> Aggregate.mean(g, 0, b, p, p, all, 0);
            case 1 -> Aggregate.median(g, 0, b, p, p, all, 0);
            case 2 -> Aggregate.trimmedMean(g, 0, b, p, p, param, all, 0);
            case 3 -> Aggregate.winsorizedMean(g, 0, b, p, p, param, all, 0);
            default -> Aggregate.medianOfMeans(g, 0, b, p, p, param, all, 0);
        }
        System.arraycopy(all, 0, gw, 0, dOut * dIn);
        System.arraycopy(all, dOut * dIn, gb, 0, dOut);
    }

    @Property(tries = 120)
    void fusedEqualsExplicit(@ForAll @IntRange(min = 0, max = 100000) int batchPick,
                             @ForAll @IntRange(min = 1, max = 7) int dOut, @ForAll @IntRange(min = 1, max = 70) int dIn,
                             @ForAll @IntRange(min = 0, max = 4) int op, @ForAll @IntRange(min = 0, max = 3) int kind,
                             @ForAll @IntRange(min = 0, max = 100000) int pick, @ForAll long seed) {
        int batch = batchOf(batchPick);
        Layer l = Layer.make(batch, dOut, dIn, kind, seed);
        int param = op == 4 ? AggregatePropertiesTest.pickGroups(batch, pick) : AggregatePropertiesTest.pickC(batch, pick);
        float[] gw1 = new float[dOut * dIn], gb1 = new float[dOut], gw2 = new float[dOut * dIn], gb2 = new float[dOut];
        aggregate(op, false, l, param, gw1, gb1);
        aggregate(op, true, l, param, gw2, gb2);
        String what = "op " + op + " param " + param + " " + l.batch() + "x(" + dOut + "x" + dIn + ") kind " + kind;
        AggregateChecks.sameBits("fused weights " + what, gw1, gw2);
        AggregateChecks.sameBits("fused bias " + what, gb1, gb2);
    }

    @Property(tries = 4)
    void fusedThreadCountDoesNotChangeBits(@ForAll @IntRange(min = 0, max = 4) int op, @ForAll long seed,
                                           @ForAll @IntRange(min = 8, max = 140) int batch) {
        Layer l = Layer.make(batch, 24, 203, 0, seed);
        int param = op == 4 ? 4 : 2;
        int saved = Parallelism.threads();
        float[] gw0 = null, gb0 = null;
        try {
            for (int t = 1; t <= 4; t++) {
                Parallelism.setThreads(t);
                float[] gw = new float[24 * 203], gb = new float[24];
                aggregate(op, true, l, param, gw, gb);
                if (gw0 == null) {
                    gw0 = gw;
                    gb0 = gb;
                } else {
                    AggregateChecks.sameBits("fused op " + op + " threads " + t, gw0, gw);
                    AggregateChecks.sameBits("fused bias op " + op + " threads " + t, gb0, gb);
                }
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }
}
