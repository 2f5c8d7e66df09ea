package dev.simdgrad.kernels.internal.simd;

import dev.simdgrad.kernels.internal.gemm.GemmKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The transposing pack of SGEMM ({@link GemmKernel#packTransposed}: same layout, same values) with 512-bit vectors,
 * for panels of 12 lines (the A panels of the 12 x 2L micro-kernel) or of a multiple of 16 (its B panels, 32 lines):
 * 16 depth steps of 12 or 16 lines are loaded as 16-lane vectors and transposed in registers by four stages of
 * two-vector selections ({@code selectFrom}, one {@code vpermt2ps} each), stage b exchanging bit b of the line with
 * bit b of the lane. Depth steps past the last multiple of 16 and a last panel of fewer lines take the scalar pack.
 *
 * <p>Why: the scalar pack moves one float per load and store, with the stores a panel width apart, at 0.5-0.95 ns per
 * float on the Zen 4; it was 29 % of NN 64^3 (packing A) and, packing the 256 x 784 weights transposed, about a
 * tenth of the 784-256-10 training step (200,704 floats per step at ~0.66 ns: ~130 µs of a
 * 1.4-1.6 ms step). Measured here (2026-12-04, plain harness, 12-line panels,
 * ns per float, scalar / vector): 64 x 64 0.96 / 0.21, 128 x 128 0.62 / 0.30, 768 x 256 0.66 / 0.30, 128 x 784
 * 0.66 / 0.28. (A first version stored each 12-line step with a masked store; C2 left most of the sixteen masked
 * stores of the method un-intrinsified, boxing vectors, at 5-8 ns per float. The steps are now stored whole, in
 * increasing order, each store's four extra lanes overwritten by the next, and only the last store is masked.)
 *
 * <p>Used only by the micro-kernels at 512 bits (two-vector selections of 16 lanes are single instructions with
 * AVX-512 only; the kernels are chosen at 512 bits only where AVX-512 is).
 */
final class VectorTranspose {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    /** Stage b's selections: the low line of a pair keeps lanes with bit b clear, the high line those with it set. */
    private static final FloatVector LO0 = lo(0), HI0 = hi(0), LO1 = lo(1), HI1 = hi(1);
    private static final FloatVector LO2 = lo(2), HI2 = hi(2), LO3 = lo(3), HI3 = hi(3);
    private static final VectorMask<Float> FIRST_12 = VectorMask.fromLong(S, 0xFFFL);

    private VectorTranspose() {
    }

    private static FloatVector lo(int b) {
        float[] idx = new float[16];
        for (int l = 0; l < 16; l++) {
            idx[l] = (l >> b & 1) != 0 ? 16 + (l & ~(1 << b)) : l;
        }
        return FloatVector.fromArray(S, idx, 0);
    }

    private static FloatVector hi(int b) {
        float[] idx = new float[16];
        for (int l = 0; l < 16; l++) {
            idx[l] = (l >> b & 1) != 0 ? 16 + l : (l | 1 << b);
        }
        return FloatVector.fromArray(S, idx, 0);
    }

    /** Whether {@link #pack} takes panels of r lines. */
    static boolean takes(int r) {
        return r == 12 || r % 16 == 0;
    }

    /**
     * {@code dst[dOff + j*ldd + i] = src[sOff + i*lds + j]} for the {@code rows x cols} block of src: C^T copied to C
     * (and C to C^T) by SGEMM's transposed path. Whole 16 x 16 blocks in registers ({@link #block16} with the
     * destination's row stride), the rows and columns past them in plain Java. Requires {@code ldd >= 16} whenever
     * {@code rows >= 16} (true for a destination with {@code rows} columns).
     */
    static void transpose(float[] src, int sOff, int lds, int rows, int cols, float[] dst, int dOff, int ldd) {
        int i = 0;
        for (; i + 16 <= rows; i += 16) {
            int j = 0;
            for (; j + 16 <= cols; j += 16) {
                block16(src, sOff + i * lds + j, lds, dst, dOff + j * ldd + i, ldd);
            }
            for (; j < cols; j++) {
                for (int q = 0, d = dOff + j * ldd + i; q < 16; q++) {
                    dst[d + q] = src[sOff + (i + q) * lds + j];
                }
            }
        }
        for (; i < rows; i++) {
            for (int j = 0, d = dOff + i; j < cols; j++, d += ldd) {
                dst[d] = src[sOff + i * lds + j];
            }
        }
    }

    /**
     * {@link GemmKernel#packTransposed}: {@code dst[dOff + p*kc*r + l*r + j] = src[off + (p*r + j)*ld + l]}, zero
     * past {@code count} lines; requires {@link #takes}(r).
     */
    static void pack(float[] src, int off, int ld, int kc, int count, int r, float[] dst, int dOff) {
        int d = dOff, q0 = 0;
        for (; q0 + r <= count; q0 += r, d += kc * r) {
            for (int j0 = 0; j0 < r; j0 += 16) {      // r = 12: one group of 12 lines
                int s = off + (q0 + j0) * ld, l = 0;
                for (; l <= kc - 16; l += 16) {
                    if (r == 12) {
                        block12(src, s + l, ld, dst, d + l * 12);
                    } else {
                        block16(src, s + l, ld, dst, d + l * r + j0, r);
                    }
                }
                int lines = Math.min(16, r - j0);
                for (; l < kc; l++) {
                    for (int j = 0; j < lines; j++) {
                        dst[d + l * r + j0 + j] = src[s + j * ld + l];
                    }
                }
            }
        }
        if (q0 < count) {
            GemmKernel.packTransposed(src, off + q0 * ld, ld, kc, count - q0, r, dst, d);
        }
    }

    /**
     * 12 lines x 16 depth steps at {@code src[s + j*ld + l]} to {@code dst[t + l*12 + j]}. Each step is stored as a
     * whole vector whose four last lanes the next step overwrites; the last step is masked, so nothing past
     * {@code t + 192} is written.
     */
    private static void block12(float[] src, int s, int ld, float[] dst, int t) {
        FloatVector v0 = FloatVector.fromArray(S, src, s), v1 = FloatVector.fromArray(S, src, s + ld);
        FloatVector v2 = FloatVector.fromArray(S, src, s + 2 * ld), v3 = FloatVector.fromArray(S, src, s + 3 * ld);
        FloatVector v4 = FloatVector.fromArray(S, src, s + 4 * ld), v5 = FloatVector.fromArray(S, src, s + 5 * ld);
        FloatVector v6 = FloatVector.fromArray(S, src, s + 6 * ld), v7 = FloatVector.fromArray(S, src, s + 7 * ld);
        FloatVector v8 = FloatVector.fromArray(S, src, s + 8 * ld), v9 = FloatVector.fromArray(S, src, s + 9 * ld);
        FloatVector v10 = FloatVector.fromArray(S, src, s + 10 * ld), v11 = FloatVector.fromArray(S, src, s + 11 * ld);
        FloatVector v12 = FloatVector.zero(S), v13 = v12, v14 = v12, v15 = v12;
        FloatVector a, b;
        // stage b=0: pairs (j, j|1)
        FloatVector l0 = LO0, h0 = HI0;
        a = l0.selectFrom(v0, v1); b = h0.selectFrom(v0, v1); v0 = a; v1 = b;
        a = l0.selectFrom(v2, v3); b = h0.selectFrom(v2, v3); v2 = a; v3 = b;
        a = l0.selectFrom(v4, v5); b = h0.selectFrom(v4, v5); v4 = a; v5 = b;
        a = l0.selectFrom(v6, v7); b = h0.selectFrom(v6, v7); v6 = a; v7 = b;
        a = l0.selectFrom(v8, v9); b = h0.selectFrom(v8, v9); v8 = a; v9 = b;
        a = l0.selectFrom(v10, v11); b = h0.selectFrom(v10, v11); v10 = a; v11 = b;
        // rows 12..15 are zero: nothing to do for them in the first two stages
        FloatVector l1 = LO1, h1 = HI1;
        a = l1.selectFrom(v0, v2); b = h1.selectFrom(v0, v2); v0 = a; v2 = b;
        a = l1.selectFrom(v1, v3); b = h1.selectFrom(v1, v3); v1 = a; v3 = b;
        a = l1.selectFrom(v4, v6); b = h1.selectFrom(v4, v6); v4 = a; v6 = b;
        a = l1.selectFrom(v5, v7); b = h1.selectFrom(v5, v7); v5 = a; v7 = b;
        a = l1.selectFrom(v8, v10); b = h1.selectFrom(v8, v10); v8 = a; v10 = b;
        a = l1.selectFrom(v9, v11); b = h1.selectFrom(v9, v11); v9 = a; v11 = b;
        FloatVector l2 = LO2, h2 = HI2;
        a = l2.selectFrom(v0, v4); b = h2.selectFrom(v0, v4); v0 = a; v4 = b;
        a = l2.selectFrom(v1, v5); b = h2.selectFrom(v1, v5); v1 = a; v5 = b;
        a = l2.selectFrom(v2, v6); b = h2.selectFrom(v2, v6); v2 = a; v6 = b;
        a = l2.selectFrom(v3, v7); b = h2.selectFrom(v3, v7); v3 = a; v7 = b;
        a = l2.selectFrom(v8, v12); b = h2.selectFrom(v8, v12); v8 = a; v12 = b;
        a = l2.selectFrom(v9, v13); b = h2.selectFrom(v9, v13); v9 = a; v13 = b;
        a = l2.selectFrom(v10, v14); b = h2.selectFrom(v10, v14); v10 = a; v14 = b;
        a = l2.selectFrom(v11, v15); b = h2.selectFrom(v11, v15); v11 = a; v15 = b;
        FloatVector l3 = LO3, h3 = HI3;
        a = l3.selectFrom(v0, v8); b = h3.selectFrom(v0, v8); v0 = a; v8 = b;
        a = l3.selectFrom(v1, v9); b = h3.selectFrom(v1, v9); v1 = a; v9 = b;
        a = l3.selectFrom(v2, v10); b = h3.selectFrom(v2, v10); v2 = a; v10 = b;
        a = l3.selectFrom(v3, v11); b = h3.selectFrom(v3, v11); v3 = a; v11 = b;
        a = l3.selectFrom(v4, v12); b = h3.selectFrom(v4, v12); v4 = a; v12 = b;
        a = l3.selectFrom(v5, v13); b = h3.selectFrom(v5, v13); v5 = a; v13 = b;
        a = l3.selectFrom(v6, v14); b = h3.selectFrom(v6, v14); v6 = a; v14 = b;
        a = l3.selectFrom(v7, v15); b = h3.selectFrom(v7, v15); v7 = a; v15 = b;
        v0.intoArray(dst, t);
        v1.intoArray(dst, t + 1 * 12);
        v2.intoArray(dst, t + 2 * 12);
        v3.intoArray(dst, t + 3 * 12);
        v4.intoArray(dst, t + 4 * 12);
        v5.intoArray(dst, t + 5 * 12);
        v6.intoArray(dst, t + 6 * 12);
        v7.intoArray(dst, t + 7 * 12);
        v8.intoArray(dst, t + 8 * 12);
        v9.intoArray(dst, t + 9 * 12);
        v10.intoArray(dst, t + 10 * 12);
        v11.intoArray(dst, t + 11 * 12);
        v12.intoArray(dst, t + 12 * 12);
        v13.intoArray(dst, t + 13 * 12);
        v14.intoArray(dst, t + 14 * 12);
        v15.intoArray(dst, t + 15 * 12, FIRST_12);
    }

    /**
     * 16 lines x 16 depth steps at {@code src[s + j*ld + l]} to {@code dst[t + l*stride + j]} ({@code stride >= 16}).
     * The network of {@link #block12} with every line present, spelled out again: C2 keeps vectors in registers only
     * as locals, and a shared helper over an array of vectors would box them.
     */
    private static void block16(float[] src, int s, int ld, float[] dst, int t, int stride) {
        FloatVector v0 = FloatVector.fromArray(S, src, s), v1 = FloatVector.fromArray(S, src, s + ld);
        FloatVector v2 = FloatVector.fromArray(S, src, s + 2 * ld), v3 = FloatVector.fromArray(S, src, s + 3 * ld);
        FloatVector v4 = FloatVector.fromArray(S, src, s + 4 * ld), v5 = FloatVector.fromArray(S, src, s + 5 * ld);
        FloatVector v6 = FloatVector.fromArray(S, src, s + 6 * ld), v7 = FloatVector.fromArray(S, src, s + 7 * ld);
        FloatVector v8 = FloatVector.fromArray(S, src, s + 8 * ld), v9 = FloatVector.fromArray(S, src, s + 9 * ld);
        FloatVector v10 = FloatVector.fromArray(S, src, s + 10 * ld), v11 = FloatVector.fromArray(S, src, s + 11 * ld);
        FloatVector v12 = FloatVector.fromArray(S, src, s + 12 * ld), v13 = FloatVector.fromArray(S, src, s + 13 * ld);
        FloatVector v14 = FloatVector.fromArray(S, src, s + 14 * ld), v15 = FloatVector.fromArray(S, src, s + 15 * ld);
        FloatVector a, b;
        // stage b=0: pairs (j, j|1)
        FloatVector l0 = LO0, h0 = HI0;
        a = l0.selectFrom(v0, v1); b = h0.selectFrom(v0, v1); v0 = a; v1 = b;
        a = l0.selectFrom(v2, v3); b = h0.selectFrom(v2, v3); v2 = a; v3 = b;
        a = l0.selectFrom(v4, v5); b = h0.selectFrom(v4, v5); v4 = a; v5 = b;
        a = l0.selectFrom(v6, v7); b = h0.selectFrom(v6, v7); v6 = a; v7 = b;
        a = l0.selectFrom(v8, v9); b = h0.selectFrom(v8, v9); v8 = a; v9 = b;
        a = l0.selectFrom(v10, v11); b = h0.selectFrom(v10, v11); v10 = a; v11 = b;
        a = l0.selectFrom(v12, v13); b = h0.selectFrom(v12, v13); v12 = a; v13 = b;
        a = l0.selectFrom(v14, v15); b = h0.selectFrom(v14, v15); v14 = a; v15 = b;
        FloatVector l1 = LO1, h1 = HI1;
        a = l1.selectFrom(v0, v2); b = h1.selectFrom(v0, v2); v0 = a; v2 = b;
        a = l1.selectFrom(v1, v3); b = h1.selectFrom(v1, v3); v1 = a; v3 = b;
        a = l1.selectFrom(v4, v6); b = h1.selectFrom(v4, v6); v4 = a; v6 = b;
        a = l1.selectFrom(v5, v7); b = h1.selectFrom(v5, v7); v5 = a; v7 = b;
        a = l1.selectFrom(v8, v10); b = h1.selectFrom(v8, v10); v8 = a; v10 = b;
        a = l1.selectFrom(v9, v11); b = h1.selectFrom(v9, v11); v9 = a; v11 = b;
        a = l1.selectFrom(v12, v14); b = h1.selectFrom(v12, v14); v12 = a; v14 = b;
        a = l1.selectFrom(v13, v15); b = h1.selectFrom(v13, v15); v13 = a; v15 = b;
        FloatVector l2 = LO2, h2 = HI2;
        a = l2.selectFrom(v0, v4); b = h2.selectFrom(v0, v4); v0 = a; v4 = b;
        a = l2.selectFrom(v1, v5); b = h2.selectFrom(v1, v5); v1 = a; v5 = b;
        a = l2.selectFrom(v2, v6); b = h2.selectFrom(v2, v6); v2 = a; v6 = b;
        a = l2.selectFrom(v3, v7); b = h2.selectFrom(v3, v7); v3 = a; v7 = b;
        a = l2.selectFrom(v8, v12); b = h2.selectFrom(v8, v12); v8 = a; v12 = b;
        a = l2.selectFrom(v9, v13); b = h2.selectFrom(v9, v13); v9 = a; v13 = b;
        a = l2.selectFrom(v10, v14); b = h2.selectFrom(v10, v14); v10 = a; v14 = b;
        a = l2.selectFrom(v11, v15); b = h2.selectFrom(v11, v15); v11 = a; v15 = b;
        FloatVector l3 = LO3, h3 = HI3;
        a = l3.selectFrom(v0, v8); b = h3.selectFrom(v0, v8); v0 = a; v8 = b;
        a = l3.selectFrom(v1, v9); b = h3.selectFrom(v1, v9); v1 = a; v9 = b;
        a = l3.selectFrom(v2, v10); b = h3.selectFrom(v2, v10); v2 = a; v10 = b;
        a = l3.selectFrom(v3, v11); b = h3.selectFrom(v3, v11); v3 = a; v11 = b;
        a = l3.selectFrom(v4, v12); b = h3.selectFrom(v4, v12); v4 = a; v12 = b;
        a = l3.selectFrom(v5, v13); b = h3.selectFrom(v5, v13); v5 = a; v13 = b;
        a = l3.selectFrom(v6, v14); b = h3.selectFrom(v6, v14); v6 = a; v14 = b;
        a = l3.selectFrom(v7, v15); b = h3.selectFrom(v7, v15); v7 = a; v15 = b;
        v0.intoArray(dst, t);
        v1.intoArray(dst, t + 1 * stride);
        v2.intoArray(dst, t + 2 * stride);
        v3.intoArray(dst, t + 3 * stride);
        v4.intoArray(dst, t + 4 * stride);
        v5.intoArray(dst, t + 5 * stride);
        v6.intoArray(dst, t + 6 * stride);
        v7.intoArray(dst, t + 7 * stride);
        v8.intoArray(dst, t + 8 * stride);
        v9.intoArray(dst, t + 9 * stride);
        v10.intoArray(dst, t + 10 * stride);
        v11.intoArray(dst, t + 11 * stride);
        v12.intoArray(dst, t + 12 * stride);
        v13.intoArray(dst, t + 13 * stride);
        v14.intoArray(dst, t + 14 * stride);
        v15.intoArray(dst, t + 15 * stride);
    }
}
