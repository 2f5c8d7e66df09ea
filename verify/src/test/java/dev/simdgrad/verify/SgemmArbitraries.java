package dev.simdgrad.verify;

import dev.simdgrad.kernels.Simd;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of {@link SgemmCase}s, biased toward the sizes where blocked SIMD code goes wrong.
 *
 * <p>Sizes are drawn from 0..300 and this machine's block edges, mostly at the edges of some block: a vector (4, 8, 16 floats), a register tile
 * (MR = 4, 6, 12 and NR = 4, 8, 16, 32 of the scalar, 128-, 256- and 512-bit kernels, one below and one above each),
 * two tiles, the depth block (KC, where k = KC + 1 splits into two blocks) and the packed A block (MC), at this
 * machine's sizes ({@link Simd#sgemmBlocking()}; MC can exceed 300). Most sizes are small so a thousand tries stay
 * cheap; the reference costs O(mnk) in double, and all three dimensions are large together in about one try in a
 * thousand.
 */
final class SgemmArbitraries {
    /** Every MR, NR and vector length of every kernel, with its neighbours, and twice the largest tiles. */
    static final Integer[] SMALL_EDGES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33};
    /** Multiples of the tiles: several register tiles along one dimension, a remainder in the last one. */
    static final Integer[] MEDIUM_EDGES = {47, 48, 49, 63, 64, 65, 95, 96, 97, 127, 128, 129};
    /** KC (one or two depth blocks), MC (one packed A block and a second one), and the maximum. */
    static final Integer[] LARGE_EDGES = {Simd.sgemmBlocking().kc() - 1, Simd.sgemmBlocking().kc(),
        Simd.sgemmBlocking().kc() + 1, Simd.sgemmBlocking().mc() - 1, Simd.sgemmBlocking().mc(),
        Simd.sgemmBlocking().mc() + 1, 299, 300};

    /**
     * The most multiply-adds a case may take: one dimension at MC's edge, the other two at 300. Every edge is still
     * drawn, but not all three of m, n, k at MC's edge at once: with MC = 1788 (a 2 MiB L2) that case is 5.7 x 10^9
     * multiply-adds for the scalar double reference and as many for the bound's magnitudes (600^3 takes them 1.6 s
     * here; 1789^3 is 27 times the work, with more cache misses): the 160-180 s stalls of one property that some
     * suite runs showed. A try drew it with probability (0.06 x 3/8)^3 = 1.1 x 10^-5, about once in four suite runs
     * (four properties of a thousand tries in six executions).
     */
    static final long MAX_PRODUCTS = 300L * 300 * Math.max(300, Simd.sgemmBlocking().mc() + 1);

    private SgemmArbitraries() {
    }

    /** m, n or k in 0..300 or at a block edge, biased toward block edges and toward small values. */
    static Arbitrary<Integer> dimension() {
        return Arbitraries.frequencyOf(
                Tuple.of(60, Arbitraries.of(SMALL_EDGES)),
                Tuple.of(15, Arbitraries.integers().between(0, 40)),
                Tuple.of(15, Arbitraries.of(MEDIUM_EDGES)),
                Tuple.of(6, Arbitraries.of(LARGE_EDGES)),
                Tuple.of(4, Arbitraries.integers().between(0, 300)));
    }

    /** A dimension that is at least 1 (for properties that need a non-empty C or a real product). */
    static Arbitrary<Integer> positiveDimension() {
        return dimension().filter(d -> d > 0);
    }

    /**
     * alpha or beta: the values BLAS implementations special-case (0, 1, -1) or round exactly (0.5), and a random
     * one in [-4, 4] with two decimals (no underflow: the smallest non-zero is 0.01).
     */
    static Arbitrary<Float> scalar() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0f)),
                Tuple.of(1, Arbitraries.just(1f)),
                Tuple.of(1, Arbitraries.just(-1f)),
                Tuple.of(1, Arbitraries.just(0.5f)),
                Tuple.of(2, Arbitraries.floats().between(-4f, 4f).ofScale(2)));
    }

    /** Any case: all four transpose combinations, every scalar, padded or tight storage, zero or non-zero offsets. */
    static Arbitrary<SgemmCase> cases() {
        return cases(dimension(), dimension(), dimension(), scalar(), scalar());
    }

    /** Cases with the given sizes and scalars, and any transposes, layout, values and seed. */
    static Arbitrary<SgemmCase> cases(Arbitrary<Integer> m, Arbitrary<Integer> n, Arbitrary<Integer> k,
                                      Arbitrary<Float> alpha, Arbitrary<Float> beta) {
        Arbitrary<Shape> shapes = Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(false, true),
                m, n, k, alpha, beta).as(Shape::new).filter(s -> (long) s.m * s.n * s.k <= MAX_PRODUCTS);
        Arbitrary<Layout> layouts = Combinators.combine(offset(), pad(), offset(), pad(), offset(), pad(),
                Arbitraries.integers().between(0, 5)).as(Layout::new);
        return Combinators.combine(shapes, layouts, Arbitraries.of(SgemmCase.Values.class), Arbitraries.longs())
                .as((s, l, values, seed) -> new SgemmCase(s.transA, s.transB, s.m, s.n, s.k, s.alpha, s.beta,
                        l.aOffset, l.aPad, l.bOffset, l.bPad, l.cOffset, l.cPad, l.tail, values, seed));
    }

    /** Zero half of the time (the common case), otherwise up to 37: not a multiple of any vector length. */
    private static Arbitrary<Integer> offset() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(1, 37)));
    }

    /** Row padding beyond the minimum leading dimension: none half of the time, otherwise 1..9. */
    private static Arbitrary<Integer> pad() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(1, 9)));
    }

    private record Shape(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta) {
    }

    private record Layout(int aOffset, int aPad, int bOffset, int bPad, int cOffset, int cPad, int tail) {
    }
}
