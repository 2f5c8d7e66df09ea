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
 * The two shape rules of the SGEMM driver for small and medium products, at their edges, against the
 * double-accumulation reference within {@link SgemmOracle}'s bound (never a looser one):
 * <ul>
 *   <li>Up to 512 rows of C, B not transposed is read in place, and A too, as stored or transposed, with B in place
 *       or packed; A stored transposed always ({@code GemmDriver.readsBInPlace}, {@code readsAInPlace}); a last panel
 *       of fewer than MR rows or NR columns is packed: m around MR = 4, 6, 12 and their multiples, n around NR, depths
 *       around the unroll of 4 and around KC, leading dimensions larger than any vector, offsets.
 *       {@code StridedKernelTest} (kernels) checks the micro-kernels on every layout bit for bit against the packed
 *       one.</li>
 *   <li>The unpacked small path takes products of at most 48^3 multiply-adds with B not transposed and n an odd
 *       multiple of 16 ({@code GemmDriver.SMALL_WORK}, {@code SMALL_COLUMNS}): m n k just below, at and above 48^3
 *       and the former 40^3, n an odd and an even multiple of 16 and one off.</li>
 * </ul>
 * Both transposes of A and B, 1 x 1, k = 0, and n across the tails of every vector width (the surefire execution of
 * each forced width runs this class). {@link #sameBitsForOneToFourThreads} checks the in-place path with several
 * threads splitting rows or columns, bit for bit.
 */
class SgemmSmallShapesProperties {
    private static final int KC = Simd.sgemmBlocking().kc();
    /** Vector lengths 4, 8, 16 and register tiles 4, 8, 16, 32 with their neighbours, and multiples of 16. */
    private static final Integer[] N_EDGES = {1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33,
        47, 48, 49, 63, 64, 65, 95, 96, 97, 127, 128, 129};
    /** Around MR = 4, 6, 12 and their multiples: the last panel of fewer than MR rows, and none. */
    private static final Integer[] M_EDGES = {1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 17, 23, 24, 25, 36, 47, 48, 49, 97};
    /** The unrolled depth loop's remainders, and one, two and three depth blocks. */
    private static final Integer[] K_EDGES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 41, 63, 64, 65, KC - 1, KC, KC + 1,
        2 * KC + 1};
    /** m, n, k around the small path's limits (48^3, and 40^3 before it), n an odd or even multiple of 16 and not. */
    private static final int[][] SMALL_EDGES = {
        {48, 48, 48}, {47, 48, 48}, {49, 48, 48}, {48, 48, 47}, {48, 48, 49}, {48, 47, 48}, {48, 49, 48},
        {40, 40, 40}, {41, 40, 40}, {40, 32, 40}, {40, 32, 41}, {27, 64, 64}, {27, 64, 65}, {1, 16, 6912},
        {1, 16, 6913}, {1, 17, 6000}, {2, 32, 1728}, {3, 16, 700}, {1, 1, 1}, {16, 16, 0}, {7, 96, 164},
        {32, 48, 32}, {80, 16, 86}, {80, 16, 87}, {32, 32, 32}, {1, 48, 2304}, {1, 48, 2305}};

    /** Every shape, transpose, scalar and layout at the edges of the in-place path is within the bound. */
    @Property(tries = 1000)
    void inPlaceOperandsMatchTheReferenceAtTheirEdges(@ForAll("edgeCases") SgemmCase sc) {
        float[] a = sc.a(), b = sc.b(), before = sc.c();
        float[] c = before.clone();
        sc.runSgemm(a, b, c);
        SgemmOracle.check(sc, a, b, before, c);
    }

    /** The same with leading dimensions of A, B and C padded past a 512-bit vector (16 floats) and offsets. */
    @Property(tries = 500)
    void inPlaceOperandsReadOnlyTheirPanelsWithWideLeadingDimensions(@ForAll("edgeCases") SgemmCase sc,
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

    /** The small path's edges, every transpose, scalar and layout (padded past a vector half of the time). */
    @Property(tries = 500)
    void smallPathLimitsMatchTheReference(@ForAll("smallEdgeCases") SgemmCase sc,
                                          @ForAll @IntRange(min = 0, max = 1) int wide) {
        SgemmCase s = wide == 0 ? sc : sc.withLayout(sc.aOffset() + 3, sc.aPad() + 17, sc.bOffset() + 1,
                sc.bPad() + 19, sc.cOffset() + 5, sc.cPad() + 17, sc.tail());
        float[] a = s.a(), b = s.b(), before = s.c();
        float[] c = before.clone();
        s.runSgemm(a, b, c);
        SgemmOracle.check(s, a, b, before, c);
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

    @Provide
    Arbitrary<SgemmCase> smallEdgeCases() {
        return Arbitraries.of(SMALL_EDGES).flatMap(s -> SgemmArbitraries.cases(Arbitraries.just(s[0]),
                Arbitraries.just(s[1]), Arbitraries.just(s[2]), SgemmArbitraries.scalar(), SgemmArbitraries.scalar()));
    }

    /**
     * Shapes big enough to go parallel (m n k >= 2^21), at 1 to 4 threads bit for bit, with every transpose (A
     * transposed: read in place): rows split among workers, and (8 rows) column panels split.
     */
    static List<SgemmCase> parallelCases() {
        int[][] shapes = {
            {1000, 96, 300}, {1000, 97, 300}, {64, 96, 784}, {97, 13, 2000}, {8, 12, 30000}, {8, 1000, 300},
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
