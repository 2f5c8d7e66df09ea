package dev.simdgrad.verify.check;

import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.verify.ErrorBounds;
import dev.simdgrad.verify.ReferenceSgemm;
import java.util.SplittableRandom;

/**
 * Checks {@link Sgemm#sgemm} against {@link ReferenceSgemm} (double accumulation, rounded once) element by element,
 * within {@code gamma(k + 2) (|alpha| (|op(A)| |op(B)|)_ij + |beta| |C_ij|) + ulp(ref_ij) / 2}
 * ({@link ErrorBounds#sgemm}; the half ulp is the reference's own final rounding). Storage outside C's m x n
 * elements must come back bit for bit.
 *
 * <p>Cases: the random ones of {@link SgemmCase#random(SplittableRandom)} (all four transposes, alpha and beta
 * in {0, 1, -1, 0.5, 2} or random, offsets, padded leading dimensions, sizes next to every width's MR, NR, MC and
 * KC edges, sometimes a NaN or Inf planted), then fixed ones: every {@link SgemmCase.Special} at every transpose
 * (beta = 0 with NaN or Inf in C, alpha = beta = 0 with NaN everywhere, one NaN in A or C, one Inf in B), and
 * m = 0, n = 0, k = 0 at every transpose.
 *
 * <p>C2: before the first checked case the kernel is called {@link #WARM_UP_CALLS} times on small problems with
 * full and partial tiles at every transpose. That is several thousand micro-kernel calls, each looping over the
 * depth, well past C2's invocation and back-edge thresholds, so the checked cases run the compiled, intrinsified
 * code a user's program runs, not the interpreter.
 */
public final class SgemmCheck implements KernelCheck {
    /** Kernel calls before the checked cases, so that C2 has compiled the kernel (see the class comment). */
    public static final int WARM_UP_CALLS = 2400;

    private final SgemmFunction kernel;

    /** Checks {@link Sgemm#sgemm}. */
    public SgemmCheck() {
        this(Sgemm::sgemm);
    }

    /** Checks {@code kernel} against the SGEMM reference (tests pass a wrong one to see it caught). */
    public SgemmCheck(SgemmFunction kernel) {
        this.kernel = kernel;
    }

    @Override
    public String name() {
        return "sgemm";
    }

    @Override
    public CheckResult run(int cases, long seed) {
        if (cases < 0) {
            throw new IllegalArgumentException("cases=" + cases + " < 0");
        }
        warmUp();
        CheckTally tally = new CheckTally();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < cases; i++) {
            SgemmCase c = SgemmCase.random(r);
            tally.add(worstRatio(c), c::toString);
        }
        // Fixed cases from their own stream, so that they are the same whatever the number of random cases.
        SplittableRandom f = new SplittableRandom(seed ^ 0x5eed_f1ed_5eed_f1edL);
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 2) != 0, tb = (t & 1) != 0;
            for (SgemmCase.Special s : SgemmCase.Special.values()) {
                SgemmCase c = SgemmCase.random(f, ta, tb, s);
                tally.add(worstRatio(c), c::toString);
            }
            SgemmCase base = SgemmCase.random(f, ta, tb, SgemmCase.Special.NONE);
            for (SgemmCase c : new SgemmCase[] {base.withSizes(0, base.n(), base.k()),
                base.withSizes(base.m(), 0, base.k()), base.withSizes(base.m(), base.n(), 0)}) {
                tally.add(worstRatio(c), c::toString);
            }
        }
        return tally.result(name());
    }

    /**
     * Small problems with full and partial micro-tiles at every width, all transposes, beta 0, 1 and other, one or
     * two depth blocks; results not checked. The variety matters as much as the count: C2 compiles the branches the
     * profile saw, and a branch first taken later (a partial tile, a second depth block) deoptimizes the kernel.
     */
    private void warmUp() {
        int[][] shapes = {{25, 65, 40}, {13, 33, 17}, {7, 9, 300}, {49, 97, 5}};
        float[] betas = {0f, 1f, 0.5f};
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[49 * 300];
        float[] b = new float[300 * 97];
        float[] c = new float[49 * 97];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextDouble();
        }
        for (int call = 0; call < WARM_UP_CALLS; call++) {
            int[] s = shapes[call % shapes.length];
            int m = s[0], n = s[1], k = s[2];
            boolean ta = (call / 4 & 2) != 0, tb = (call / 4 & 1) != 0;
            float beta = betas[call / 16 % betas.length];
            kernel.sgemm(ta, tb, m, n, k, call % 2 == 0 ? 1f : -2f, a, 0, ta ? m : k, b, 0, tb ? k : n, beta,
                    c, 0, n);
        }
    }

    /** Runs the kernel and the reference on the case; the worst element's error/bound, infinite if padding moved. */
    double worstRatio(SgemmCase s) {
        float[] a = s.a(), b = s.b(), c = s.c();
        float[] got = c.clone();
        float[] ref = c.clone();
        kernel.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), s.alpha(), a, s.aOffset(), s.lda(),
                b, s.bOffset(), s.ldb(), s.beta(), got, s.cOffset(), s.ldc());
        ReferenceSgemm.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), s.alpha(), a, s.aOffset(), s.lda(),
                b, s.bOffset(), s.ldb(), s.beta(), ref, s.cOffset(), s.ldc());
        double[] mag = new double[s.m() * s.n()];
        ReferenceSgemm.magnitude(s.transA(), s.transB(), s.m(), s.n(), s.k(), s.alpha(), a, s.aOffset(), s.lda(),
                b, s.bOffset(), s.ldb(), s.beta(), c, s.cOffset(), s.ldc(), mag);
        double worst = 0.0;
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - s.cOffset();
            int i = rel < 0 ? -1 : rel / s.ldc(), j = rel < 0 ? -1 : rel % s.ldc();
            boolean inside = rel >= 0 && i < s.m() && j < s.n();
            if (!inside) {
                if (Float.floatToRawIntBits(got[idx]) != Float.floatToRawIntBits(c[idx])) {
                    return Double.POSITIVE_INFINITY; // a write outside C
                }
                continue;
            }
            double bound = ErrorBounds.sgemm(s.k(), mag[i * s.n() + j]) + Math.ulp(ref[idx]) / 2.0;
            worst = Math.max(worst, ErrorRatio.of(got[idx], ref[idx], bound));
        }
        return worst;
    }
}
