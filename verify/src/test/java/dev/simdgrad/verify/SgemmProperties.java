package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link dev.simdgrad.kernels.Sgemm#sgemm} against {@link ReferenceSgemm} over generated cases
 * ({@link SgemmArbitraries}): whichever kernel width this JVM runs ({@code simdgrad.vector.bits}), the result is
 * within the derived bound of {@link SgemmOracle}, the special cases of the BLAS contract hold, and nothing outside
 * C's m x n window is written. Each property runs a thousand tries, which also runs every kernel long enough for C2
 * to compile it, so the intrinsified path is the one being checked for most tries.
 */
class SgemmProperties {

    /** The core property: every shape, transpose, scalar and layout is within the bound (NaN and Inf exact). */
    @Property(tries = 1000)
    void matchesTheReferenceWithinTheBound(@ForAll("cases") SgemmCase sc) {
        float[] a = sc.a(), b = sc.b(), before = sc.c();
        float[] c = before.clone();
        sc.runSgemm(a, b, c);
        double worst = SgemmOracle.check(sc, a, b, before, c);
        // Shows in the report how much of the bound the kernel uses: a kernel drifting toward its limit is visible
        // long before it fails.
        Statistics.label("worst error / bound").collect(worst == 0 ? "0" : worst < 1.0 / 64 ? "< 1/64"
                : worst < 1.0 / 8 ? "< 1/8" : "<= 1");
    }

    /** beta == 0: C is not read, so NaN and infinities stored there (see {@link SgemmCase#c()}) never appear. */
    @Property(tries = 1000)
    void betaZeroOverwritesNanAndInfinityInC(@ForAll("betaZeroCases") SgemmCase sc) {
        float[] a = sc.a(), b = sc.b(), before = sc.c();
        float[] c = before.clone();
        sc.runSgemm(a, b, c);
        for (int i = 0; i < sc.m(); i++) {
            for (int j = 0; j < sc.n(); j++) {
                int x = sc.cIndex(i, j);
                assertTrue(Float.isFinite(c[x]), () -> "c[" + x + "] = " + c[x] + " in " + sc);
            }
        }
        SgemmOracle.check(sc, a, b, before, c);
    }

    /**
     * NaN and infinities in A or B propagate by IEEE arithmetic exactly as in the reference (NaN where it has NaN,
     * the same infinity where it has one); the elements they do not reach stay within the bound.
     */
    @Property(tries = 1000)
    void nanAndInfinityInAOrBPropagateAsInTheReference(@ForAll("cases") SgemmCase sc,
                                                      @ForAll @IntRange(min = 1, max = 6) int specials) {
        float[] a = sc.a(), b = sc.b(), before = sc.c();
        SplittableRandom r = new SplittableRandom(sc.seed() ^ 0x5EC1A15L);
        float[] kinds = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int s = 0; s < specials; s++) {
            if (sc.aRows() > 0 && sc.aCols() > 0 && r.nextBoolean()) {
                a[sc.aIndex(r.nextInt(sc.aRows()), r.nextInt(sc.aCols()))] = kinds[r.nextInt(kinds.length)];
            } else if (sc.bRows() > 0 && sc.bCols() > 0) {
                b[sc.bIndex(r.nextInt(sc.bRows()), r.nextInt(sc.bCols()))] = kinds[r.nextInt(kinds.length)];
            }
        }
        float[] c = before.clone();
        sc.runSgemm(a, b, c);
        SgemmOracle.check(sc, a, b, before, c);
    }

    /**
     * alpha == 0 or k == 0: C := beta C without reading A or B. A and B hold nothing but NaN here, so a single read
     * would show; the result is bitwise the reference's (one float product per element, or zero when beta == 0).
     */
    @Property(tries = 1000)
    void alphaZeroOrEmptyDepthScalesCWithoutReadingAOrB(@ForAll("noProductCases") SgemmCase sc) {
        float[] a = sc.a(), b = sc.b(), before = sc.c();
        Arrays.fill(a, Float.NaN);
        Arrays.fill(b, Float.NaN);
        float[] c = before.clone();
        sc.runSgemm(a, b, c);
        float[] ref = before.clone();
        sc.runReference(a, b, ref);
        for (int i = 0; i < sc.m(); i++) {
            for (int j = 0; j < sc.n(); j++) {
                int x = sc.cIndex(i, j);
                assertTrue(!Float.isNaN(c[x]) || Float.isNaN(before[x]),
                        () -> "NaN from A or B reached C(" + x + ") in " + sc);
                assertTrue(Float.floatToRawIntBits(c[x]) == Float.floatToRawIntBits(ref[x]),
                        () -> "C[" + x + "] = " + c[x] + " but beta * C = " + ref[x] + " in " + sc);
            }
        }
        SgemmOracle.checkOutsideUntouched(sc, before, c);
    }

    /** m == 0 or n == 0: nothing is read or written, whatever A, B, alpha, beta and k are. */
    @Property(tries = 1000)
    void emptyCIsANoOp(@ForAll("emptyCases") SgemmCase sc) {
        float[] a = sc.a(), b = sc.b(), before = sc.c();
        Arrays.fill(a, Float.NaN);
        Arrays.fill(b, Float.NaN);
        float[] c = before.clone();
        sc.runSgemm(a, b, c);
        SgemmOracle.checkSameBits(before, c, "C's array after " + sc);
    }

    /**
     * Only C's m x n window is written: padding between rows (ldc > n), elements before the offset and after the
     * last element keep their bits. Every property checks this; here every case has all three kinds of padding.
     */
    @Property(tries = 1000)
    void writesOnlyInsideTheWindowOfC(@ForAll("cases") SgemmCase sc,
                                      @ForAll @IntRange(min = 1, max = 37) int cOffset,
                                      @ForAll @IntRange(min = 1, max = 9) int cPad,
                                      @ForAll @IntRange(min = 1, max = 5) int tail) {
        SgemmCase padded = sc.withLayout(sc.aOffset(), sc.aPad(), sc.bOffset(), sc.bPad(), cOffset, cPad, tail);
        float[] a = padded.a(), b = padded.b(), before = padded.c();
        float[] c = before.clone();
        padded.runSgemm(a, b, c);
        SgemmOracle.checkOutsideUntouched(padded, before, c);
    }

    @Provide
    Arbitrary<SgemmCase> cases() {
        return SgemmArbitraries.cases();
    }

    @Provide
    Arbitrary<SgemmCase> betaZeroCases() {
        return SgemmArbitraries.cases(SgemmArbitraries.positiveDimension(), SgemmArbitraries.positiveDimension(),
                SgemmArbitraries.dimension(), SgemmArbitraries.scalar(), Arbitraries.just(0f));
    }

    @Provide
    Arbitrary<SgemmCase> noProductCases() {
        return Arbitraries.oneOf(
                SgemmArbitraries.cases(SgemmArbitraries.positiveDimension(), SgemmArbitraries.positiveDimension(),
                        SgemmArbitraries.dimension(), Arbitraries.just(0f), SgemmArbitraries.scalar()),
                SgemmArbitraries.cases(SgemmArbitraries.positiveDimension(), SgemmArbitraries.positiveDimension(),
                        Arbitraries.just(0), SgemmArbitraries.scalar(), SgemmArbitraries.scalar()));
    }

    @Provide
    Arbitrary<SgemmCase> emptyCases() {
        return Arbitraries.oneOf(
                SgemmArbitraries.cases(Arbitraries.just(0), SgemmArbitraries.dimension(), SgemmArbitraries.dimension(),
                        SgemmArbitraries.scalar(), SgemmArbitraries.scalar()),
                SgemmArbitraries.cases(SgemmArbitraries.dimension(), Arbitraries.just(0), SgemmArbitraries.dimension(),
                        SgemmArbitraries.scalar(), SgemmArbitraries.scalar()));
    }
}
