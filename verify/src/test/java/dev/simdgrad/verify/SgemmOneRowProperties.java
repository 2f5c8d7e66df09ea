package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.kernels.Simd;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * C of one row with B not transposed takes its own path on one thread (along the row, {@code RowProduct}); it must
 * give the bits the loops give, which compute the same row as the first of two. n across the tails of every vector
 * width and its 4-vector step, k across one, two and three depth blocks (KC and its neighbours), A as stored or
 * transposed, alpha and beta the special values, offsets. (The shapes the small path takes first, n an odd multiple
 * of 16 with m n k <= 48^3, are skipped: that path chains over the whole depth, without depth blocks, so its bits
 * are its own.) Accuracy against the reference is
 * {@code SgemmSmallShapesProperties}' and {@code SgemmProperties}' part; m = 1 is among their edges.
 */
class SgemmOneRowProperties {
    private static final int KC = Simd.sgemmBlocking().kc();

    @Property(tries = 400)
    void oneRowIsTheFirstOfTwo(@ForAll("columns") int n, @ForAll("depths") int k, @ForAll boolean transA,
                               @ForAll("scalars") float alpha, @ForAll("scalars") float beta, @ForAll long seed) {
        if (n % 32 == 16 && (long) n * k <= 48L * 48 * 48) {
            return;
        }
        SplittableRandom r = new SplittableRandom(seed);
        int ao = r.nextInt(5), bo = r.nextInt(5), co = r.nextInt(5), ldb = n + r.nextInt(3);
        float[] row = values(r, k), other = values(r, k), b = values(r, bo + Math.max(1, k) * ldb + n);
        float[] c0 = values(r, n), c1 = values(r, n);
        float[] a1 = new float[ao + Math.max(1, k)], a2 = new float[ao + 2 * Math.max(1, k)];
        for (int l = 0; l < k; l++) {
            a1[ao + l] = row[l];
            a2[ao + (transA ? 2 * l : l)] = row[l];
            a2[ao + (transA ? 2 * l + 1 : k + l)] = other[l];
        }
        float[] one = new float[co + n], two = new float[co + 2 * n];
        System.arraycopy(c0, 0, one, co, n);
        System.arraycopy(c0, 0, two, co, n);
        System.arraycopy(c1, 0, two, co + n, n);
        Sgemm.sgemm(transA, false, 1, n, k, alpha, a1, ao, Math.max(1, transA ? 1 : k), b, bo, ldb, beta, one, co,
                Math.max(1, n));
        Sgemm.sgemm(transA, false, 2, n, k, alpha, a2, ao, Math.max(1, transA ? 2 : k), b, bo, ldb, beta, two, co,
                Math.max(1, n));
        for (int j = 0; j < n; j++) {
            int at = j;
            assertEquals(Float.floatToIntBits(two[co + j]), Float.floatToIntBits(one[co + j]),
                    () -> "1x" + n + "x" + k + (transA ? " TN" : " NN") + " alpha " + alpha + " beta " + beta
                            + ": column " + at + " " + one[co + at] + " vs " + two[co + at]);
        }
    }

    private static float[] values(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }

    @Provide
    Arbitrary<Integer> columns() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(1, 3, 4, 5, 8, 9, 10, 15, 16, 17, 31, 32, 33, 63, 64, 65,
                        80, 256, 257)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 300)));
    }

    @Provide
    Arbitrary<Integer> depths() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(0, 1, 2, 7, 128, KC - 1, KC, KC + 1, 2 * KC + 3, 784)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 1000)));
    }

    @Provide
    Arbitrary<Float> scalars() {
        return Arbitraries.of(0f, 1f, -1f, 0.5f, -1.25f, 0.0078125f);
    }
}
