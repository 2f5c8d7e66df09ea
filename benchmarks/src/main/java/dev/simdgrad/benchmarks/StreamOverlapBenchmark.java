package dev.simdgrad.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What overlaps the read of a matrix on one core: the measurement behind the one-thread floor of the explicit Krum
 * and geometric median ({@code Aggregate}'s cost paragraph, issue 12). The distance kernel reads the 32 x 4,000,000
 * matrix in groups of rows streamed together, and computes the sums among a group's rows as it reads them; the sums
 * between groups (4 x 4 tiles) come after, from the cache. This suite asks how much arithmetic the read can carry
 * for free, and of which kind.
 *
 * <p>Each {@code kernel} streams K rows together in runs of 16,384 columns (64 KiB per row, as the distance kernel
 * reads them), 512-bit vectors, and per step of 16 columns computes:
 * <ul>
 *   <li>{@code group4}, {@code group6}, {@code group8}: the K(K+1)/2 sums among the K rows (K norms {@code x.x}, and
 *   {@code (x - y)^2} for each pair), what the distance kernel's read pass does with K = 4. 32 rows make 8, 5 (30
 *   rows) and 4 groups. K = 8 needs 36 accumulators and 8 rows: more than the 32 vector registers, so C2
 *   spills.</li>
 *   <li>{@code group4+registers16}: {@code group4} and 16 more FMAs on the loaded rows (registers only, no
 *   load).</li>
 *   <li>{@code group4+cached2}, {@code group4+cached4}: {@code group4} and the 8 or 16 sums {@code (x - y)^2} against
 *   2 or 4 rows y of a 256 KiB buffer that stays in L2: a tile between groups moved into the read.</li>
 * </ul>
 * The kernels are spelled out one per variant, a local vector per accumulator so that C2 keeps them in registers
 * (as the distance kernel does; {@code group4} is its read-pass loop without the widening at chunk ends), and each
 * returns the sum of its accumulators so that none is dead code ({@code StreamOverlapBenchmarkTest} checks the sums).
 * {@link #stream} runs the kernel over the whole 512 MB matrix (each row read once); {@link #inCache} does the same
 * number of steps over K rows of 2,048 columns (in L1 and L2), which is the arithmetic alone; {@link #readMatrix} is
 * the plain read of the same matrix. Where the stream takes about the read, the arithmetic hid under it; where it
 * takes the read plus the in-cache time, nothing overlapped.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar StreamOverlapBenchmark -f 2 -wi 3 -w 1s -i 5 -r 1s}.
 * Measured on the Zen 4 (2026-12-06; numbers in the README's session-22 section): the arithmetic without loads
 * overlaps the read, the loads from L2 do not.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx3g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StreamOverlapBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = 16, ROWS = 32, COLS = 4_000_000, RUN = 16_384, SMALL = 2_048;
    private static final int CACHED = 16_384, CACHED_MASK = CACHED - 1;

    /** The matrix, a small copy of K rows for the in-cache runs, and the L2-resident rows of the cached kernels. */
    @State(Scope.Benchmark)
    public static class Data {
        @Param({"group4", "group6", "group8", "group4+registers16", "group4+cached2", "group4+cached4"})
        public String kernel;
        float[] g, small, cached;
        int k;

        @Setup(Level.Trial)
        public void setUp() {
            k = rows(kernel);
            SplittableRandom r = new SplittableRandom(5);
            g = new float[ROWS * COLS];
            for (int i = 0; i < g.length; i++) {
                g[i] = r.nextFloat() - 0.5f;
            }
            small = new float[k * SMALL];
            for (int i = 0; i < small.length; i++) {
                small[i] = r.nextFloat() - 0.5f;
            }
            cached = new float[4 * CACHED];
            for (int i = 0; i < cached.length; i++) {
                cached[i] = r.nextFloat() - 0.5f;
            }
        }
    }

    /** The plain read of the matrix ({@link ReadBandwidth}'s kernel): the time the stream cannot beat. */
    @Benchmark
    public float readMatrix(Data d) {
        return ReadBandwidth.kernel(d.g, d.g.length);
    }

    /** The kernel over the whole matrix, each group of K rows streamed along each run of 16,384 columns. */
    @Benchmark
    public float stream(Data d) {
        float s = 0;
        for (int c = 0; c < COLS; c += RUN) {
            int end = Math.min(COLS, c + RUN);
            for (int i0 = 0; i0 + d.k <= ROWS; i0 += d.k) {
                s += kernel(d.kernel, d.cached, d.g, i0 * COLS, COLS, c, end);
            }
        }
        return s;
    }

    /** The same number of steps over K rows of 2,048 columns that stay in cache: the arithmetic alone. */
    @Benchmark
    public float inCache(Data d) {
        float s = 0;
        int calls = (ROWS / d.k) * (COLS / SMALL);
        for (int q = 0; q < calls; q++) {
            s += kernel(d.kernel, d.cached, d.small, 0, SMALL, 0, SMALL);
        }
        return s;
    }

    /**
     * K, the rows the named kernel streams together.
     *
     * @throws IllegalArgumentException if the suite has no such kernel
     */
    static int rows(String kernel) {
        return switch (kernel) {
            case "group6" -> 6;
            case "group8" -> 8;
            case "group4", "group4+registers16", "group4+cached2", "group4+cached4" -> 4;
            default -> throw new IllegalArgumentException("kernel=" + kernel + " is not one of the suite's");
        };
    }

    /**
     * The named kernel over the K rows of g starting at p (row stride ld), columns [c, e), e - c a multiple of 16;
     * the cached kernels read their extra rows from cached (4 x 16,384 floats).
     */
    static float kernel(String kernel, float[] cached, float[] g, int p, int ld, int c, int e) {
        return switch (kernel) {
            case "group4" -> group4(g, p, ld, c, e);
            case "group6" -> group6(g, p, ld, c, e);
            case "group8" -> group8(g, p, ld, c, e);
            case "group4+registers16" -> registers16(g, p, ld, c, e);
            case "group4+cached2" -> cached2(g, p, ld, c, e, cached);
            case "group4+cached4" -> cached4(g, p, ld, c, e, cached);
            default -> throw new IllegalArgumentException("kernel=" + kernel + " is not one of the suite's");
        };
    }

    static float group4(float[] g, int p, int ld, int c, int e) {
        FloatVector z = FloatVector.zero(S);
        FloatVector n0 = z, n1 = z, n2 = z, n3 = z, c10 = z, c20 = z, c21 = z, c30 = z, c31 = z, c32 = z;
        for (int k = c; k < e; k += L) {
            FloatVector x0 = FloatVector.fromArray(S, g, p + k);
            FloatVector x1 = FloatVector.fromArray(S, g, p + ld + k);
            FloatVector x2 = FloatVector.fromArray(S, g, p + 2 * ld + k);
            FloatVector x3 = FloatVector.fromArray(S, g, p + 3 * ld + k);
            n0 = x0.fma(x0, n0);
            n1 = x1.fma(x1, n1);
            n2 = x2.fma(x2, n2);
            n3 = x3.fma(x3, n3);
            FloatVector d;
            d = x1.sub(x0);
            c10 = d.fma(d, c10);
            d = x2.sub(x0);
            c20 = d.fma(d, c20);
            d = x2.sub(x1);
            c21 = d.fma(d, c21);
            d = x3.sub(x0);
            c30 = d.fma(d, c30);
            d = x3.sub(x1);
            c31 = d.fma(d, c31);
            d = x3.sub(x2);
            c32 = d.fma(d, c32);
        }
        FloatVector s = n0;
        s = s.add(n1);
        s = s.add(n2);
        s = s.add(n3);
        s = s.add(c10);
        s = s.add(c20);
        s = s.add(c21);
        s = s.add(c30);
        s = s.add(c31);
        s = s.add(c32);
        return s.reduceLanes(VectorOperators.ADD);
    }

    static float group6(float[] g, int p, int ld, int c, int e) {
        FloatVector z = FloatVector.zero(S);
        FloatVector n0 = z, n1 = z, n2 = z, n3 = z, n4 = z, n5 = z, c10 = z, c20 = z, c21 = z, c30 = z, c31 = z,
                c32 = z, c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z, c54 = z;
        for (int k = c; k < e; k += L) {
            FloatVector x0 = FloatVector.fromArray(S, g, p + k);
            FloatVector x1 = FloatVector.fromArray(S, g, p + ld + k);
            FloatVector x2 = FloatVector.fromArray(S, g, p + 2 * ld + k);
            FloatVector x3 = FloatVector.fromArray(S, g, p + 3 * ld + k);
            FloatVector x4 = FloatVector.fromArray(S, g, p + 4 * ld + k);
            FloatVector x5 = FloatVector.fromArray(S, g, p + 5 * ld + k);
            n0 = x0.fma(x0, n0);
            n1 = x1.fma(x1, n1);
            n2 = x2.fma(x2, n2);
            n3 = x3.fma(x3, n3);
            n4 = x4.fma(x4, n4);
            n5 = x5.fma(x5, n5);
            FloatVector d;
            d = x1.sub(x0);
            c10 = d.fma(d, c10);
            d = x2.sub(x0);
            c20 = d.fma(d, c20);
            d = x2.sub(x1);
            c21 = d.fma(d, c21);
            d = x3.sub(x0);
            c30 = d.fma(d, c30);
            d = x3.sub(x1);
            c31 = d.fma(d, c31);
            d = x3.sub(x2);
            c32 = d.fma(d, c32);
            d = x4.sub(x0);
            c40 = d.fma(d, c40);
            d = x4.sub(x1);
            c41 = d.fma(d, c41);
            d = x4.sub(x2);
            c42 = d.fma(d, c42);
            d = x4.sub(x3);
            c43 = d.fma(d, c43);
            d = x5.sub(x0);
            c50 = d.fma(d, c50);
            d = x5.sub(x1);
            c51 = d.fma(d, c51);
            d = x5.sub(x2);
            c52 = d.fma(d, c52);
            d = x5.sub(x3);
            c53 = d.fma(d, c53);
            d = x5.sub(x4);
            c54 = d.fma(d, c54);
        }
        FloatVector s = n0;
        s = s.add(n1);
        s = s.add(n2);
        s = s.add(n3);
        s = s.add(n4);
        s = s.add(n5);
        s = s.add(c10);
        s = s.add(c20);
        s = s.add(c21);
        s = s.add(c30);
        s = s.add(c31);
        s = s.add(c32);
        s = s.add(c40);
        s = s.add(c41);
        s = s.add(c42);
        s = s.add(c43);
        s = s.add(c50);
        s = s.add(c51);
        s = s.add(c52);
        s = s.add(c53);
        s = s.add(c54);
        return s.reduceLanes(VectorOperators.ADD);
    }

    static float group8(float[] g, int p, int ld, int c, int e) {
        FloatVector z = FloatVector.zero(S);
        FloatVector n0 = z, n1 = z, n2 = z, n3 = z, n4 = z, n5 = z, n6 = z, n7 = z, c10 = z, c20 = z, c21 = z,
                c30 = z, c31 = z, c32 = z, c40 = z, c41 = z, c42 = z, c43 = z, c50 = z, c51 = z, c52 = z, c53 = z,
                c54 = z, c60 = z, c61 = z, c62 = z, c63 = z, c64 = z, c65 = z, c70 = z, c71 = z, c72 = z, c73 = z,
                c74 = z, c75 = z, c76 = z;
        for (int k = c; k < e; k += L) {
            FloatVector x0 = FloatVector.fromArray(S, g, p + k);
            FloatVector x1 = FloatVector.fromArray(S, g, p + ld + k);
            FloatVector x2 = FloatVector.fromArray(S, g, p + 2 * ld + k);
            FloatVector x3 = FloatVector.fromArray(S, g, p + 3 * ld + k);
            FloatVector x4 = FloatVector.fromArray(S, g, p + 4 * ld + k);
            FloatVector x5 = FloatVector.fromArray(S, g, p + 5 * ld + k);
            FloatVector x6 = FloatVector.fromArray(S, g, p + 6 * ld + k);
            FloatVector x7 = FloatVector.fromArray(S, g, p + 7 * ld + k);
            n0 = x0.fma(x0, n0);
            n1 = x1.fma(x1, n1);
            n2 = x2.fma(x2, n2);
            n3 = x3.fma(x3, n3);
            n4 = x4.fma(x4, n4);
            n5 = x5.fma(x5, n5);
            n6 = x6.fma(x6, n6);
            n7 = x7.fma(x7, n7);
            FloatVector d;
            d = x1.sub(x0);
            c10 = d.fma(d, c10);
            d = x2.sub(x0);
            c20 = d.fma(d, c20);
            d = x2.sub(x1);
            c21 = d.fma(d, c21);
            d = x3.sub(x0);
            c30 = d.fma(d, c30);
            d = x3.sub(x1);
            c31 = d.fma(d, c31);
            d = x3.sub(x2);
            c32 = d.fma(d, c32);
            d = x4.sub(x0);
            c40 = d.fma(d, c40);
            d = x4.sub(x1);
            c41 = d.fma(d, c41);
            d = x4.sub(x2);
            c42 = d.fma(d, c42);
            d = x4.sub(x3);
            c43 = d.fma(d, c43);
            d = x5.sub(x0);
            c50 = d.fma(d, c50);
            d = x5.sub(x1);
            c51 = d.fma(d, c51);
            d = x5.sub(x2);
            c52 = d.fma(d, c52);
            d = x5.sub(x3);
            c53 = d.fma(d, c53);
            d = x5.sub(x4);
            c54 = d.fma(d, c54);
            d = x6.sub(x0);
            c60 = d.fma(d, c60);
            d = x6.sub(x1);
            c61 = d.fma(d, c61);
            d = x6.sub(x2);
            c62 = d.fma(d, c62);
            d = x6.sub(x3);
            c63 = d.fma(d, c63);
            d = x6.sub(x4);
            c64 = d.fma(d, c64);
            d = x6.sub(x5);
            c65 = d.fma(d, c65);
            d = x7.sub(x0);
            c70 = d.fma(d, c70);
            d = x7.sub(x1);
            c71 = d.fma(d, c71);
            d = x7.sub(x2);
            c72 = d.fma(d, c72);
            d = x7.sub(x3);
            c73 = d.fma(d, c73);
            d = x7.sub(x4);
            c74 = d.fma(d, c74);
            d = x7.sub(x5);
            c75 = d.fma(d, c75);
            d = x7.sub(x6);
            c76 = d.fma(d, c76);
        }
        FloatVector s = n0;
        s = s.add(n1);
        s = s.add(n2);
        s = s.add(n3);
        s = s.add(n4);
        s = s.add(n5);
        s = s.add(n6);
        s = s.add(n7);
        s = s.add(c10);
        s = s.add(c20);
        s = s.add(c21);
        s = s.add(c30);
        s = s.add(c31);
        s = s.add(c32);
        s = s.add(c40);
        s = s.add(c41);
        s = s.add(c42);
        s = s.add(c43);
        s = s.add(c50);
        s = s.add(c51);
        s = s.add(c52);
        s = s.add(c53);
        s = s.add(c54);
        s = s.add(c60);
        s = s.add(c61);
        s = s.add(c62);
        s = s.add(c63);
        s = s.add(c64);
        s = s.add(c65);
        s = s.add(c70);
        s = s.add(c71);
        s = s.add(c72);
        s = s.add(c73);
        s = s.add(c74);
        s = s.add(c75);
        s = s.add(c76);
        return s.reduceLanes(VectorOperators.ADD);
    }

    static float registers16(float[] g, int p, int ld, int c, int e) {
        FloatVector z = FloatVector.zero(S);
        FloatVector n0 = z, n1 = z, n2 = z, n3 = z, c10 = z, c20 = z, c21 = z, c30 = z, c31 = z, c32 = z, r0 = z,
                r1 = z, r2 = z, r3 = z, r4 = z, r5 = z, r6 = z, r7 = z, r8 = z, r9 = z, r10 = z, r11 = z, r12 = z,
                r13 = z, r14 = z, r15 = z;
        for (int k = c; k < e; k += L) {
            FloatVector x0 = FloatVector.fromArray(S, g, p + k);
            FloatVector x1 = FloatVector.fromArray(S, g, p + ld + k);
            FloatVector x2 = FloatVector.fromArray(S, g, p + 2 * ld + k);
            FloatVector x3 = FloatVector.fromArray(S, g, p + 3 * ld + k);
            n0 = x0.fma(x0, n0);
            n1 = x1.fma(x1, n1);
            n2 = x2.fma(x2, n2);
            n3 = x3.fma(x3, n3);
            FloatVector d;
            d = x1.sub(x0);
            c10 = d.fma(d, c10);
            d = x2.sub(x0);
            c20 = d.fma(d, c20);
            d = x2.sub(x1);
            c21 = d.fma(d, c21);
            d = x3.sub(x0);
            c30 = d.fma(d, c30);
            d = x3.sub(x1);
            c31 = d.fma(d, c31);
            d = x3.sub(x2);
            c32 = d.fma(d, c32);
            r0 = x0.fma(x0, r0);
            r1 = x0.fma(x1, r1);
            r2 = x0.fma(x2, r2);
            r3 = x0.fma(x3, r3);
            r4 = x1.fma(x0, r4);
            r5 = x1.fma(x1, r5);
            r6 = x1.fma(x2, r6);
            r7 = x1.fma(x3, r7);
            r8 = x2.fma(x0, r8);
            r9 = x2.fma(x1, r9);
            r10 = x2.fma(x2, r10);
            r11 = x2.fma(x3, r11);
            r12 = x3.fma(x0, r12);
            r13 = x3.fma(x1, r13);
            r14 = x3.fma(x2, r14);
            r15 = x3.fma(x3, r15);
        }
        FloatVector s = n0;
        s = s.add(n1);
        s = s.add(n2);
        s = s.add(n3);
        s = s.add(c10);
        s = s.add(c20);
        s = s.add(c21);
        s = s.add(c30);
        s = s.add(c31);
        s = s.add(c32);
        s = s.add(r0);
        s = s.add(r1);
        s = s.add(r2);
        s = s.add(r3);
        s = s.add(r4);
        s = s.add(r5);
        s = s.add(r6);
        s = s.add(r7);
        s = s.add(r8);
        s = s.add(r9);
        s = s.add(r10);
        s = s.add(r11);
        s = s.add(r12);
        s = s.add(r13);
        s = s.add(r14);
        s = s.add(r15);
        return s.reduceLanes(VectorOperators.ADD);
    }

    static float cached2(float[] g, int p, int ld, int c, int e, float[] y) {
        FloatVector z = FloatVector.zero(S);
        FloatVector n0 = z, n1 = z, n2 = z, n3 = z, c10 = z, c20 = z, c21 = z, c30 = z, c31 = z, c32 = z, t00 = z,
                t01 = z, t10 = z, t11 = z, t20 = z, t21 = z, t30 = z, t31 = z;
        for (int k = c; k < e; k += L) {
            FloatVector x0 = FloatVector.fromArray(S, g, p + k);
            FloatVector x1 = FloatVector.fromArray(S, g, p + ld + k);
            FloatVector x2 = FloatVector.fromArray(S, g, p + 2 * ld + k);
            FloatVector x3 = FloatVector.fromArray(S, g, p + 3 * ld + k);
            n0 = x0.fma(x0, n0);
            n1 = x1.fma(x1, n1);
            n2 = x2.fma(x2, n2);
            n3 = x3.fma(x3, n3);
            FloatVector d;
            d = x1.sub(x0);
            c10 = d.fma(d, c10);
            d = x2.sub(x0);
            c20 = d.fma(d, c20);
            d = x2.sub(x1);
            c21 = d.fma(d, c21);
            d = x3.sub(x0);
            c30 = d.fma(d, c30);
            d = x3.sub(x1);
            c31 = d.fma(d, c31);
            d = x3.sub(x2);
            c32 = d.fma(d, c32);
            int h = k & CACHED_MASK;
            FloatVector y0 = FloatVector.fromArray(S, y, 0 * CACHED + h);
            d = x0.sub(y0);
            t00 = d.fma(d, t00);
            d = x1.sub(y0);
            t10 = d.fma(d, t10);
            d = x2.sub(y0);
            t20 = d.fma(d, t20);
            d = x3.sub(y0);
            t30 = d.fma(d, t30);
            FloatVector y1 = FloatVector.fromArray(S, y, 1 * CACHED + h);
            d = x0.sub(y1);
            t01 = d.fma(d, t01);
            d = x1.sub(y1);
            t11 = d.fma(d, t11);
            d = x2.sub(y1);
            t21 = d.fma(d, t21);
            d = x3.sub(y1);
            t31 = d.fma(d, t31);
        }
        FloatVector s = n0;
        s = s.add(n1);
        s = s.add(n2);
        s = s.add(n3);
        s = s.add(c10);
        s = s.add(c20);
        s = s.add(c21);
        s = s.add(c30);
        s = s.add(c31);
        s = s.add(c32);
        s = s.add(t00);
        s = s.add(t01);
        s = s.add(t10);
        s = s.add(t11);
        s = s.add(t20);
        s = s.add(t21);
        s = s.add(t30);
        s = s.add(t31);
        return s.reduceLanes(VectorOperators.ADD);
    }

    static float cached4(float[] g, int p, int ld, int c, int e, float[] y) {
        FloatVector z = FloatVector.zero(S);
        FloatVector n0 = z, n1 = z, n2 = z, n3 = z, c10 = z, c20 = z, c21 = z, c30 = z, c31 = z, c32 = z, t00 = z,
                t01 = z, t02 = z, t03 = z, t10 = z, t11 = z, t12 = z, t13 = z, t20 = z, t21 = z, t22 = z, t23 = z,
                t30 = z, t31 = z, t32 = z, t33 = z;
        for (int k = c; k < e; k += L) {
            FloatVector x0 = FloatVector.fromArray(S, g, p + k);
            FloatVector x1 = FloatVector.fromArray(S, g, p + ld + k);
            FloatVector x2 = FloatVector.fromArray(S, g, p + 2 * ld + k);
            FloatVector x3 = FloatVector.fromArray(S, g, p + 3 * ld + k);
            n0 = x0.fma(x0, n0);
            n1 = x1.fma(x1, n1);
            n2 = x2.fma(x2, n2);
            n3 = x3.fma(x3, n3);
            FloatVector d;
            d = x1.sub(x0);
            c10 = d.fma(d, c10);
            d = x2.sub(x0);
            c20 = d.fma(d, c20);
            d = x2.sub(x1);
            c21 = d.fma(d, c21);
            d = x3.sub(x0);
            c30 = d.fma(d, c30);
            d = x3.sub(x1);
            c31 = d.fma(d, c31);
            d = x3.sub(x2);
            c32 = d.fma(d, c32);
            int h = k & CACHED_MASK;
            FloatVector y0 = FloatVector.fromArray(S, y, 0 * CACHED + h);
            d = x0.sub(y0);
            t00 = d.fma(d, t00);
            d = x1.sub(y0);
            t10 = d.fma(d, t10);
            d = x2.sub(y0);
            t20 = d.fma(d, t20);
            d = x3.sub(y0);
            t30 = d.fma(d, t30);
            FloatVector y1 = FloatVector.fromArray(S, y, 1 * CACHED + h);
            d = x0.sub(y1);
            t01 = d.fma(d, t01);
            d = x1.sub(y1);
            t11 = d.fma(d, t11);
            d = x2.sub(y1);
            t21 = d.fma(d, t21);
            d = x3.sub(y1);
            t31 = d.fma(d, t31);
            FloatVector y2 = FloatVector.fromArray(S, y, 2 * CACHED + h);
            d = x0.sub(y2);
            t02 = d.fma(d, t02);
            d = x1.sub(y2);
            t12 = d.fma(d, t12);
            d = x2.sub(y2);
            t22 = d.fma(d, t22);
            d = x3.sub(y2);
            t32 = d.fma(d, t32);
            FloatVector y3 = FloatVector.fromArray(S, y, 3 * CACHED + h);
            d = x0.sub(y3);
            t03 = d.fma(d, t03);
            d = x1.sub(y3);
            t13 = d.fma(d, t13);
            d = x2.sub(y3);
            t23 = d.fma(d, t23);
            d = x3.sub(y3);
            t33 = d.fma(d, t33);
        }
        FloatVector s = n0;
        s = s.add(n1);
        s = s.add(n2);
        s = s.add(n3);
        s = s.add(c10);
        s = s.add(c20);
        s = s.add(c21);
        s = s.add(c30);
        s = s.add(c31);
        s = s.add(c32);
        s = s.add(t00);
        s = s.add(t01);
        s = s.add(t02);
        s = s.add(t03);
        s = s.add(t10);
        s = s.add(t11);
        s = s.add(t12);
        s = s.add(t13);
        s = s.add(t20);
        s = s.add(t21);
        s = s.add(t22);
        s = s.add(t23);
        s = s.add(t30);
        s = s.add(t31);
        s = s.add(t32);
        s = s.add(t33);
        return s.reduceLanes(VectorOperators.ADD);
    }
}
