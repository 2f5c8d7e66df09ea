package dev.simdgrad.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures this machine's single-core streaming read bandwidth from memory in GB/s with the Vector API: the ceiling
 * against which the aggregation suite's "percent of peak" is reported (an explicit aggregator has to read the B x P
 * per-example gradient matrix at least once). Like {@link FmaPeak} it is a measurement on this core, not a datasheet
 * number, and it runs in-process in about a second.
 *
 * <p>The kernel sums a float array with four independent vector accumulators (one would make the loop
 * latency-bound on the adds instead of bandwidth-bound). The array is four times the last-level cache (read from
 * sysfs; 256 MiB when unknown), between 256 MiB and 1 GiB and at most a quarter of the heap, so that the passes
 * stream from DRAM rather than from a large L3. The kernel is first called on a short prefix until C2 has compiled it,
 * then timed over the whole array, and the fastest pass is kept (noise on a shared machine only slows a pass).
 * Requires {@code --add-modules jdk.incubator.vector}.
 */
public final class ReadBandwidth {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final long MIN_BYTES = 256L << 20;
    private static final long MAX_BYTES = 1L << 30;

    /** Sink for kernel results, so the JIT cannot drop the reads. */
    private static volatile float sink;

    /**
     * The outcome of {@link #measure}.
     *
     * @param gbPerSecond         best single-thread read bandwidth observed, in GB/s (10^9 bytes per second)
     * @param bytes               size of the array read
     * @param lastLevelCacheBytes size of the last-level cache, 0 when unknown
     * @param passes              timed passes over the array
     */
    public record Result(double gbPerSecond, long bytes, long lastLevelCacheBytes, int passes) {
        /** How it was measured, for reports. */
        public String describe() {
            return String.format(Locale.ROOT, "1 core, sum of a %d MiB float array%s, best of %d passes",
                    bytes >> 20, lastLevelCacheBytes > 0 ? " (last-level cache " + (lastLevelCacheBytes >> 20)
                            + " MiB)" : "", passes);
        }
    }

    private ReadBandwidth() {
    }

    /** Measures with the default array size (see the class comment) and 5 passes. */
    public static Result measure() {
        long llc = lastLevelCacheBytes();
        long bytes = Math.clamp(llc > 0 ? 4 * llc : MIN_BYTES, MIN_BYTES, MAX_BYTES);
        bytes = Math.min(bytes, Runtime.getRuntime().maxMemory() / 4);
        return measure(bytes, 5, llc);
    }

    /**
     * Measures over an array of about {@code bytes} bytes, keeping the fastest of {@code passes} passes.
     *
     * @throws IllegalArgumentException if {@code passes < 1} or the array would hold fewer than 4 vectors
     */
    public static Result measure(long bytes, int passes, long lastLevelCacheBytes) {
        int block = 4 * SPECIES.length();
        long floats = Math.min(bytes / Float.BYTES, Integer.MAX_VALUE - block) / block * block;
        if (passes < 1 || floats < block) {
            throw new IllegalArgumentException("passes=" + passes + " and bytes=" + bytes + " are too small");
        }
        float[] a = new float[(int) floats];
        // Written once, so every page is backed by memory before it is timed.
        java.util.Arrays.fill(a, 1f);
        // Short calls first, so that C2 compiles the whole method rather than only through on-stack replacement.
        int prefix = Math.min(a.length, 1 << 12);
        for (int w = 0; w < 10_000; w++) {
            sink = kernel(a, prefix);
        }
        long best = Long.MAX_VALUE;
        for (int p = 0; p < passes; p++) {
            long t0 = System.nanoTime();
            sink = kernel(a, a.length);
            best = Math.min(best, Math.max(1, System.nanoTime() - t0));
        }
        long read = (long) a.length * Float.BYTES;
        return new Result((double) read / best, read, lastLevelCacheBytes, passes);
    }

    /** Floats per vector of {@link #kernel}: n must be a multiple of four times this. */
    static int lanes() {
        return SPECIES.length();
    }

    /** Sum of {@code a[0, n)}, n a multiple of 4 vectors. */
    static float kernel(float[] a, int n) {
        int len = SPECIES.length();
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
        for (int i = 0; i < n; i += 4 * len) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, a, i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, a, i + len));
            s2 = s2.add(FloatVector.fromArray(SPECIES, a, i + 2 * len));
            s3 = s3.add(FloatVector.fromArray(SPECIES, a, i + 3 * len));
        }
        return s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD);
    }

    /** The largest cache of cpu0 in sysfs (Linux), in bytes; 0 when unknown. */
    static long lastLevelCacheBytes() {
        long best = 0;
        for (int i = 0; i < 8; i++) {
            Path size = Path.of("/sys/devices/system/cpu/cpu0/cache/index" + i + "/size");
            try {
                String s = Files.readString(size).strip().toUpperCase(Locale.ROOT);
                long unit = s.endsWith("K") ? 1L << 10 : s.endsWith("M") ? 1L << 20 : s.endsWith("G") ? 1L << 30 : 1;
                best = Math.max(best, Long.parseLong(s.replaceAll("[KMG]$", "")) * unit);
            } catch (IOException | NumberFormatException | SecurityException e) {
                // no such level, or not Linux: the levels found so far decide
            }
        }
        return best;
    }
}
