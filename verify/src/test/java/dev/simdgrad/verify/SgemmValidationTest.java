package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Sgemm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad argument of {@link Sgemm#sgemm} and {@link Sgemm#multiply} is rejected with the documented exception, a
 * message that names the argument, and C left exactly as it was (validation happens before the first write). The
 * base call is C (3x4) := A (3x5) B (5x4), tightly packed; each case breaks one thing.
 */
class SgemmValidationTest {
    private static final int M = 3, N = 4, K = 5;

    /** One bad call: what it breaks, what must be thrown, a word the message must contain, and the call itself. */
    record BadCall(String what, Class<? extends RuntimeException> type, String mention, float[] c, Runnable call) {
        @Override
        public String toString() {
            return what;
        }
    }

    /** A call's arguments, so each case states only the one it changes. */
    private static final class Args {
        boolean ta, tb;
        int m = M, n = N, k = K;
        float alpha = 1f, beta = 0.5f;
        float[] a = filled(M * K), b = filled(K * N), c = filled(M * N);
        int ao, lda = K, bo, ldb = N, co, ldc = N;

        BadCall expect(String what, Class<? extends RuntimeException> type, String mention) {
            return new BadCall(what, type, mention, c,
                    () -> Sgemm.sgemm(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc));
        }
    }

    private static float[] filled(int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = 1 + i * 0.25f;
        }
        return x;
    }

    private static Args args() {
        return new Args();
    }

    static List<BadCall> badCalls() {
        var iae = IllegalArgumentException.class;
        var ioobe = IndexOutOfBoundsException.class;
        List<BadCall> calls = new ArrayList<>();
        Args x;
        // Negative sizes.
        x = args(); x.m = -1; calls.add(x.expect("negative m", iae, "m=-1"));
        x = args(); x.n = -1; calls.add(x.expect("negative n", iae, "n=-1"));
        x = args(); x.k = -1; calls.add(x.expect("negative k", iae, "k=-1"));
        // Leading dimensions below their minimum, for each storage orientation.
        x = args(); x.lda = K - 1; calls.add(x.expect("lda < k, A not transposed", iae, "lda=4"));
        x = args(); x.ta = true; x.a = filled(K * M); x.lda = M - 1;
        calls.add(x.expect("lda < m, A transposed", iae, "lda=2"));
        x = args(); x.k = 0; x.lda = 0; calls.add(x.expect("lda = 0 when k = 0 (minimum is 1)", iae, "lda=0"));
        x = args(); x.ldb = N - 1; calls.add(x.expect("ldb < n, B not transposed", iae, "ldb=3"));
        x = args(); x.tb = true; x.b = filled(N * K); x.ldb = K - 1;
        calls.add(x.expect("ldb < k, B transposed", iae, "ldb=4"));
        x = args(); x.ldc = N - 1; calls.add(x.expect("ldc < n", iae, "ldc=3"));
        x = args(); x.n = 0; x.ldc = 0; calls.add(x.expect("ldc = 0 when n = 0 (minimum is 1)", iae, "ldc=0"));
        // Arrays too short for the last element touched.
        x = args(); x.a = filled(M * K - 1); calls.add(x.expect("a one element short", ioobe, "a.length=14"));
        x = args(); x.lda = K + 2; calls.add(x.expect("a short for its padded lda", ioobe, "a.length=15"));
        x = args(); x.ta = true; x.a = filled(K * M - 1); x.lda = M;
        calls.add(x.expect("a short, transposed", ioobe, "a.length=14"));
        x = args(); x.b = filled(K * N - 1); calls.add(x.expect("b one element short", ioobe, "b.length=19"));
        x = args(); x.bo = 1; calls.add(x.expect("b short once offset", ioobe, "b.length=20"));
        x = args(); x.tb = true; x.b = filled(N * K - 1); x.ldb = K;
        calls.add(x.expect("b short, transposed", ioobe, "b.length=19"));
        x = args(); x.c = filled(M * N - 1); calls.add(x.expect("c one element short", ioobe, "c.length=11"));
        x = args(); x.co = 1; calls.add(x.expect("c short once offset", ioobe, "c.length=12"));
        x = args(); x.ldc = N + 1; calls.add(x.expect("c short for its padded ldc", ioobe, "c.length=12"));
        // Negative offsets.
        x = args(); x.ao = -1; calls.add(x.expect("negative aOffset", ioobe, "aOffset=-1"));
        x = args(); x.bo = -1; calls.add(x.expect("negative bOffset", ioobe, "bOffset=-1"));
        x = args(); x.co = -1; calls.add(x.expect("negative cOffset", ioobe, "cOffset=-1"));
        // Null arrays that would be touched.
        x = args(); x.a = null; calls.add(x.expect("null a", iae, "a is null"));
        x = args(); x.b = null; calls.add(x.expect("null b", iae, "b is null"));
        x = args(); x.c = null; calls.add(x.expect("null c", iae, "c is null"));
        // C overlapping A or B in the same array.
        float[] shared = filled(M * K + M * N);
        x = args(); x.a = shared; x.c = shared; x.co = M * K - 1;
        calls.add(x.expect("c overlaps a by one element", iae, "overlap"));
        shared = filled(K * N + M * N);
        x = args(); x.b = shared; x.c = shared; x.bo = M * N - 1;
        calls.add(x.expect("b overlaps c by one element", iae, "overlap"));
        shared = filled(M * N + 1);
        x = args(); x.a = shared; x.c = shared; x.ta = true; x.lda = M; x.k = 1; x.co = 1;
        calls.add(x.expect("c inside a's range, A transposed", iae, "overlap"));
        return calls;
    }

    @ParameterizedTest
    @MethodSource("badCalls")
    void badArgumentIsRejectedAndCIsUnchanged(BadCall bad) {
        float[] before = bad.c() == null ? null : bad.c().clone();
        RuntimeException e = assertThrows(bad.type(), bad.call()::run, bad.what());
        assertEquals(bad.type(), e.getClass(), bad.what() + ": " + e);
        assertTrue(e.getMessage() != null && e.getMessage().contains(bad.mention()),
                () -> bad.what() + ": the message should mention \"" + bad.mention() + "\" but is: " + e.getMessage());
        if (before != null) {
            SgemmOracle.checkSameBits(before, bad.c(), bad.what() + ": C after the rejected call");
        }
    }

    /** The counterpart of the overlap cases: A, B and C in one array at disjoint ranges is legal and correct. */
    @Test
    void disjointRangesOfOneArrayAreAccepted() {
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            // A at [0, 15), C right after at [15, 27), B right after at [27, 47): touching but not overlapping.
            SgemmCase sc = SgemmCase.dense(ta, tb, M, N, K, 1.5f, 0.5f, 7).withLayout(0, 0, M * K + M * N, 0,
                    M * K, 0, 0);
            float[] shared = filled(M * K + M * N + K * N);
            float[] before = shared.clone();
            sc.runSgemm(shared, shared, shared);
            SgemmOracle.check(sc, before, before, before, shared);
        }
    }

    /** An array that is not touched may be null: A and B when alpha == 0 or k == 0, all three when C is empty. */
    @Test
    void arraysThatAreNotTouchedMayBeNull() {
        float[] c = filled(M * N);
        Sgemm.sgemm(false, false, M, N, K, 0f, null, 0, K, null, 0, N, 2f, c, 0, N);
        float[] expected = filled(M * N);
        for (int i = 0; i < expected.length; i++) {
            expected[i] *= 2f;
        }
        SgemmOracle.checkSameBits(expected, c, "alpha = 0 with null A and B");
        Sgemm.sgemm(false, false, M, N, 0, 1f, null, 0, 1, null, 0, N, 0.5f, c, 0, N);
        SgemmOracle.checkSameBits(filled(M * N), c, "k = 0 with null A and B");
        Sgemm.sgemm(false, false, 0, N, K, 1f, null, 0, K, null, 0, N, 1f, null, 0, N);
        Sgemm.sgemm(false, false, M, 0, K, 1f, null, 0, K, null, 0, 1, 1f, null, 0, 1);
    }

    @Test
    void multiplyRejectsMismatchedLengthsNamingTheArray() {
        float[] c = filled(M * N);
        float[] before = c.clone();
        var e = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.multiply(M, N, K, filled(M * K + 1), filled(K * N), c));
        assertTrue(e.getMessage().contains("a.length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.multiply(M, N, K, filled(M * K), filled(K * N - 1), c));
        assertTrue(e.getMessage().contains("b.length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Sgemm.multiply(M, -N, K, null, null, c));
        assertTrue(e.getMessage().contains("n=-4"), e.getMessage());
        SgemmOracle.checkSameBits(before, c, "C after the rejected calls");
        e = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.multiply(M, N, K, filled(M * K), filled(K * N), Arrays.copyOf(c, M * N + 1)));
        assertTrue(e.getMessage().contains("c.length"), e.getMessage());
    }
}
