package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.FmaPeak;
import dev.simdgrad.benchmarks.ReadBandwidth;
import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.Simd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a benchmark result depends on: JDK, OS, CPU, cores, the SIMD path the kernels chose, the thread budget, and
 * the measured single-core FP32 FMA peak ({@link FmaPeak}). Printed by {@code info}, recorded in {@code --json}.
 *
 * @param jdk              Java runtime version, e.g. "25.0.1+8-LTS"
 * @param jdkVendor        Java vendor and VM name
 * @param os               OS name, version and architecture
 * @param cpuModel         the "model name" of /proc/cpuinfo, or the architecture when it is unavailable
 * @param cpuFlags         the SIMD-relevant CPU flags present (from /proc/cpuinfo), empty when unknown
 * @param cores            available processors
 * @param simd             {@link Simd#describe()}
 * @param vectorBits       the kernels' vector width in bits (0 = scalar)
 * @param preferredBits    the CPU's preferred vector width in bits
 * @param fma              whether the JVM uses hardware FMA
 * @param threads          {@link Parallelism#threads()}
 * @param peakGflopsPerCore measured single-core FP32 FMA peak in GFLOP/s, NaN when not measured
 * @param peakNote         how the peak was measured, or why it was not
 * @param peakReadGbPerSecond measured single-core read bandwidth from memory in GB/s ({@link ReadBandwidth}), NaN
 *                         when not measured
 * @param readPeakNote     how the bandwidth was measured, or why it was not
 */
record MachineInfo(String jdk, String jdkVendor, String os, String cpuModel, List<String> cpuFlags, int cores,
                   String simd, int vectorBits, int preferredBits, boolean fma, int threads,
                   double peakGflopsPerCore, String peakNote, double peakReadGbPerSecond, String readPeakNote) {

    /** The flags worth reporting for float SIMD kernels, in this order. */
    private static final List<String> SIMD_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512vl",
            "avx512bw", "avx512_fp16", "amx_tile", "asimd", "sve", "sve2");

    /**
     * Reads the machine; with {@code measurePeak} also measures the FMA peak and the read bandwidth on this thread
     * (about a second each). Without the {@code jdk.incubator.vector} module the peaks are NaN and the notes say how
     * to enable it.
     */
    static MachineInfo detect(boolean measurePeak) {
        List<String> cpuinfo = readCpuinfo();
        String model = field(cpuinfo, "model name");
        if (model == null) {
            model = System.getProperty("os.arch") + " (no /proc/cpuinfo model name)";
        }
        String flagLine = field(cpuinfo, "flags");
        if (flagLine == null) {
            flagLine = field(cpuinfo, "Features"); // aarch64 spelling
        }
        Set<String> present = flagLine == null ? Set.of() : Set.of(flagLine.trim().split("\\s+"));
        List<String> flags = new ArrayList<>();
        for (String f : SIMD_FLAGS) {
            if (present.contains(f)) {
                flags.add(f);
            }
        }
        double peak = Double.NaN;
        String note = "not measured";
        double read = Double.NaN;
        String readNote = "not measured";
        if (measurePeak) {
            String missing = "not measured: the jdk.incubator.vector module is missing (java --add-modules"
                    + " jdk.incubator.vector)";
            try {
                FmaPeak.Result r = FmaPeak.measure();
                peak = r.gflopsPerCore();
                note = "FP32 FMA, " + r.vectorBits() + "-bit vectors, " + r.chains() + " chains, best of 7 runs";
            } catch (LinkageError e) {
                // FmaPeak links against jdk.incubator.vector; without the module the class cannot load.
                note = missing;
            }
            try {
                ReadBandwidth.Result r = ReadBandwidth.measure();
                read = r.gbPerSecond();
                readNote = r.describe();
            } catch (LinkageError e) {
                readNote = missing;
            } catch (OutOfMemoryError e) {
                // The array is at most a quarter of the heap, but other live data may leave less than that.
                readNote = "not measured: no heap for the array (" + e.getMessage() + ")";
            }
        }
        Runtime.Version v = Runtime.version();
        return new MachineInfo(v.toString(),
                System.getProperty("java.vendor") + ", " + System.getProperty("java.vm.name"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                model, List.copyOf(flags), Runtime.getRuntime().availableProcessors(), Simd.describe(),
                Simd.vectorBits(), Simd.preferredBits(), Simd.fma(), Parallelism.threads(), peak, note, read, readNote);
    }

    private static List<String> readCpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException | SecurityException e) {
            return List.of(); // not Linux, or not readable: the report says "unknown" instead
        }
    }

    /** The value of the first "key : value" line for {@code key}, or null. */
    private static String field(List<String> lines, String key) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** The human-readable report of {@code simdgrad info}, one "label: value" per line. */
    String report() {
        StringBuilder sb = new StringBuilder();
        line(sb, "JDK", jdk + " (" + jdkVendor + ")");
        line(sb, "OS", os);
        line(sb, "CPU", cpuModel);
        line(sb, "CPU flags", cpuFlags.isEmpty() ? "unknown" : String.join(" ", cpuFlags));
        line(sb, "Cores", Integer.toString(cores));
        line(sb, "SIMD path", simd);
        line(sb, "Vector width", vectorBits == 0
                ? "0 bits (scalar kernels; CPU prefers " + preferredBits + " bits)"
                : vectorBits + " bits (" + vectorBits / Float.SIZE + " floats)");
        line(sb, "FMA", fma ? "on" : "off");
        line(sb, "SGEMM blocks", Simd.sgemmBlocking().toString());
        line(sb, "Threads", threads + " (simdgrad.threads, default: available processors)");
        if (Double.isNaN(peakGflopsPerCore)) {
            line(sb, "FMA peak", peakNote);
        } else {
            line(sb, "FMA peak", String.format(Locale.ROOT, "%.1f GFLOP/s per core (%s); x %d cores = %.1f GFLOP/s",
                    peakGflopsPerCore, peakNote, cores, peakGflopsPerCore * cores));
        }
        line(sb, "Read peak", Double.isNaN(peakReadGbPerSecond) ? readPeakNote
                : String.format(Locale.ROOT, "%.1f GB/s per core (%s)", peakReadGbPerSecond, readPeakNote));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(String.format(Locale.ROOT, "%-13s %s%n", label + ":", value));
    }
}
