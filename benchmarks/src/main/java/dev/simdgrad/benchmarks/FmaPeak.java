package dev.simdgrad.benchmarks;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures this machine's single-core FP32 FMA throughput in GFLOP/s with the Vector API: the ceiling against which
 * "percent of peak" is reported. It is a measurement, not a datasheet number, so it reflects the clock the core
 * actually runs vector code at (wide vectors may lower it) and what the JIT makes of {@code FloatVector.fma}.
 *
 * <p>The kernel runs {@link #CHAINS} independent accumulator chains {@code acc = acc * x + y} on the preferred
 * species. Why 12: an FMA has a latency of about 4 cycles and a core issues up to 2 per cycle, so at least 8 must be
 * in flight to keep both ports busy; 12 leaves headroom and still fits the 16 (32 with AVX-512) vector registers
 * with x and y. x is just below 1 and y tiny, so every chain converges to a normal number: no overflow, no
 * subnormals (which would slow some cores). Each FMA counts as 2 flops per lane.
 *
 * <p>Not a JMH benchmark because the CLI needs the number in-process, in about a second: the kernel is first called
 * with short counts until C2 has compiled it, then timed on longer runs, and the best run is kept (noise on a shared
 * machine only ever makes a run slower). Requires {@code --add-modules jdk.incubator.vector}.
 */
public final class FmaPeak {
    /** Independent FMA chains; see the class comment. */
    public static final int CHAINS = 12;

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Sink for kernel results, so the JIT cannot drop the work. */
    private static volatile float sink;

    /**
     * The outcome of {@link #measure}.
     *
     * @param gflopsPerCore best single-thread FP32 FMA throughput observed, in GFLOP/s
     * @param vectorBits    width of the species measured
     * @param chains        independent accumulator chains used
     */
    public record Result(double gflopsPerCore, int vectorBits, int chains) {
    }

    private FmaPeak() {
    }

    /** Width of the species the peak is measured with (the preferred one), in bits. */
    public static int vectorBits() {
        return SPECIES.vectorBitSize();
    }

    /** Measures the peak with the default effort: about a second on a 2 GHz AVX-512 core. */
    public static Result measure() {
        return measure(7, 50_000_000L);
    }

    /**
     * Measures the peak: warms the kernel up, then times {@code runs} runs of about {@code flopsPerRun} flops each
     * on the calling thread and keeps the fastest.
     *
     * @throws IllegalArgumentException if {@code runs < 1} or {@code flopsPerRun < 1}
     */
    public static Result measure(int runs, long flopsPerRun) {
        if (runs < 1 || flopsPerRun < 1) {
            throw new IllegalArgumentException("runs=" + runs + " and flopsPerRun=" + flopsPerRun + " must be >= 1");
        }
        long flopsPerIteration = 2L * CHAINS * SPECIES.length();
        // Short calls first: the method gets C2-compiled as a whole instead of only through on-stack replacement,
        // and no single call spends long in the interpreter, where every vector operation allocates.
        for (int w = 0; w < 20_000; w++) {
            sink = kernel(200);
        }
        int iterations = Math.clamp(flopsPerRun / flopsPerIteration, 1, Integer.MAX_VALUE);
        long best = Long.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            sink = kernel(iterations);
            best = Math.min(best, Math.max(1, System.nanoTime() - t0));
        }
        double gflops = (double) iterations * flopsPerIteration / best;
        return new Result(gflops, SPECIES.vectorBitSize(), CHAINS);
    }

    /** {@code iterations} rounds of one FMA on each of the 12 chains; returns a value that depends on all. */
    private static float kernel(int iterations) {
        FloatVector x = FloatVector.broadcast(SPECIES, 0.999_999f);
        FloatVector y = FloatVector.broadcast(SPECIES, 1e-6f);
        FloatVector a0 = FloatVector.broadcast(SPECIES, 0.01f);
        FloatVector a1 = FloatVector.broadcast(SPECIES, 0.02f);
        FloatVector a2 = FloatVector.broadcast(SPECIES, 0.03f);
        FloatVector a3 = FloatVector.broadcast(SPECIES, 0.04f);
        FloatVector a4 = FloatVector.broadcast(SPECIES, 0.05f);
        FloatVector a5 = FloatVector.broadcast(SPECIES, 0.06f);
        FloatVector a6 = FloatVector.broadcast(SPECIES, 0.07f);
        FloatVector a7 = FloatVector.broadcast(SPECIES, 0.08f);
        FloatVector a8 = FloatVector.broadcast(SPECIES, 0.09f);
        FloatVector a9 = FloatVector.broadcast(SPECIES, 0.10f);
        FloatVector a10 = FloatVector.broadcast(SPECIES, 0.11f);
        FloatVector a11 = FloatVector.broadcast(SPECIES, 0.12f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10)
                .add(a11);
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
