package dev.simdgrad.verify.check;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.Sgemm;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Checks that {@link Sgemm#sgemm} gives the same bits for every thread count, as its contract promises: each
 * random case ({@link SgemmCase#random(SplittableRandom)}, sizes up to {@link SgemmCase#MAX_VOLUME}) runs at 1 thread
 * and at 2, 3 and 4 threads, and C must match bit for bit. The bound is therefore 0: any difference is an unbounded
 * error (ratio infinite), none is ratio 0. The thread budget ({@link Parallelism}) is restored afterwards.
 *
 * <p>C2: every case makes four kernel calls, and the check runs after {@link SgemmCheck}'s warm-up in the same
 * JVM when run from {@link KernelChecks#all()}; on its own, its first cases run the interpreter and C1, which must
 * agree bit for bit all the same (no compiled code may reassociate float arithmetic).
 */
public final class SgemmThreadsCheck implements KernelCheck {
    private static final int[] THREADS = {2, 3, 4};

    @Override
    public String name() {
        return "sgemm-threads";
    }

    @Override
    public CheckResult run(int cases, long seed) {
        if (cases < 0) {
            throw new IllegalArgumentException("cases=" + cases + " < 0");
        }
        int saved = Parallelism.threads();
        CheckTally tally = new CheckTally();
        // Its own stream: not the same cases as SgemmCheck, which already covers them against the reference.
        SplittableRandom r = new SplittableRandom(seed ^ 0x7421_ead5_7421_ead5L);
        try {
            for (int i = 0; i < cases; i++) {
                SgemmCase c = SgemmCase.random(r);
                int differs = firstDifferentThreads(c);
                tally.add(differs == 0 ? 0.0 : Double.POSITIVE_INFINITY,
                        () -> c + (differs == 0 ? "" : "; differs from 1 thread at " + differs + " threads"));
            }
        } finally {
            Parallelism.setThreads(saved);
        }
        return tally.result(name());
    }

    /** The first thread count whose C differs from 1 thread's in any bit, or 0 when all agree. */
    private static int firstDifferentThreads(SgemmCase s) {
        float[] a = s.a(), b = s.b(), c = s.c();
        float[] one = run(s, 1, a, b, c);
        for (int t : THREADS) {
            if (!Arrays.equals(one, run(s, t, a, b, c))) { // Arrays.equals on float[] compares bits (NaN == NaN)
                return t;
            }
        }
        return 0;
    }

    private static float[] run(SgemmCase s, int threads, float[] a, float[] b, float[] c) {
        Parallelism.setThreads(threads);
        float[] out = c.clone();
        Sgemm.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), s.alpha(), a, s.aOffset(), s.lda(),
                b, s.bOffset(), s.ldb(), s.beta(), out, s.cOffset(), s.ldc());
        return out;
    }
}
