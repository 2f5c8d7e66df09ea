package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Simd;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The SGEMM driver reads A in place, without packing it, when A is stored transposed or B has at most three
 * NR-column panels ({@code GemmDriver.readsAInPlace}); only a last panel of fewer than MR rows is packed. This
 * checks that path at its edges against the double-accumulation reference within {@link SgemmOracle}'s bound:
 * n just below, at and above three panels of every kernel's tile (NR = 4, 8, 16, 32, so the surefire execution of
 * every forced width meets its own edge), m around MR = 4, 6, 12 (the packed last panel), depths around the unroll
 * of 4 and around KC, 1 x 1, k = 0, both transposes of A and B, offsets, and leading dimensions larger than any
 * vector. The in-place micro-kernel is meant to give the packed one's bits; {@code InPlaceAKernelTest} (kernels)
 * checks that kernel by kernel, and {@link #sameBitsForOneToFourThreads} checks it through the driver with several
 * threads splitting rows or columns.
 */
class SgemmInPlaceAProperties {
    private static final int KC = Simd.sgemmBlocking().kc();
    /** Three panels of each tile (12, 24, 48, 96) and its neighbours, one and two panels, and beyond. */
    private static final Integer[] N_EDGES = {1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33,
        47, 48, 49, 63, 64, 65, 95, 96, 97, 127, 128, 129};
    /** Around MR = 4, 6, 12 and their multiples: the last panel of fewer than MR rows, and none. */
    private static final Integer[] M_EDGES = {1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 17, 23, 24, 25, 36, 47, 48, 49, 97};
    /** The unrolled depth loop's remainders, and one, two and three depth blocks. */
    private static final Integer[] K_EDGES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 41, 63, 64, 65, KC - 1, KC, KC + 1,
        2 * KC + 1};

    /** Every shape, transpose, scalar and layout at the edges of the in-place path is within the bound. */
    @Property(tries = 1000)
    void inPlaceAMatchesTheReferenceAtItsEdges(@ForAll("edgeCases") SgemmCase sc) {
        float[] a = sc.a(), b = sc.b(), before = sc.c();
        float[] c = before.clone();
        sc.runSgemm(a, b, c);
        SgemmOracle.check(sc, a, b, before, c);
    }

    /** The same with leading dimensions of A, B and C padded past a 512-bit vector (16 floats) and offsets. */
    @Property(tries = 500)
    void inPlaceAReadsOnlyItsRowsWithWideLeadingDimensions(@ForAll("edgeCases") SgemmCase sc,
                                                          @ForAll @IntRange(min = 17, max = 70) int aPad,
                                                          @ForAll @IntRange(min = 17, max = 70) int bPad,
                                                          @ForAll @IntRange(min = 0, max = 37) int aOffset,
                                                          @ForAll @IntRange(min = 0, max = 37) int cOffset) {
        SgemmCase wide = sc.withLayout(aOffset, aPad, sc.bOffset(), bPad, cOffset, sc.cPad() + 17, sc.tail());
        float[] a = wide.a(), b = wide.b(), before = wide.c();
        float[] c = before.clone();
        wide.runSgemm(a, b, c);
        SgemmOracle.check(wide, a, b, before, c);
    }

    @Provide
    Arbitrary<SgemmCase> edgeCases() {
        return SgemmArbitraries.cases(
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(M_EDGES)),
                        Tuple.of(1, Arbitraries.integers().between(0, 130))),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(N_EDGES)),
                        Tuple.of(1, Arbitraries.integers().between(0, 130))),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(K_EDGES)),
                        Tuple.of(1, Arbitraries.integers().between(0, 300))),
                SgemmArbitraries.scalar(), SgemmArbitraries.scalar());
    }

    /**
     * Shapes big enough to go parallel (m n k >= 2^21) that read A in place, and their packed neighbours, at 1 to 4
     * threads bit for bit: rows split among workers, and (8 rows) column panels split.
     */
    static List<SgemmCase> parallelCases() {
        int nr = Integer.parseInt(Simd.gemmTile().split("x")[1]);
        int[][] shapes = {
            {1000, 3 * nr, 300}, {1000, 3 * nr + 1, 300}, // the edge of three panels: in place, then packed (NN)
            {64, 96, 784}, {97, 13, 2000}, {8, 3 * nr, 30000}, {8, 1000, 300},
        };
        List<SgemmCase> cases = new ArrayList<>();
        long seed = 14_3;
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                cases.add(SgemmCase.dense((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], -1.25f,
                        t % 2 == 0 ? 0f : 0.5f, seed++).withLayout(5, 19, 2, 3, 1, 21, 2));
            }
        }
        return cases;
    }

    @Test
    void sameBitsForOneToFourThreads() {
        List<SgemmCase> cases = parallelCases();
        for (SgemmCase sc : cases) {
            assertTrue((long) sc.m() * sc.n() * sc.k() >= 1L << 21, "too small to go parallel: " + sc);
            SgemmThreadDeterminismTest.checkOneToFourThreads(sc);
        }
        assertEquals(24, cases.size(), "6 shapes x 4 transpose combinations");
    }
}
