package dev.simdgrad.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code --json} file of every {@code bench} suite: {@code {"suite": "gemm", "machine": {...}, "plan": {...},
 * "jmh": [...]}}, where {@code jmh} is JMH's own JSON result array (the runs' arrays concatenated, untouched), so any
 * JMH tool such as jmh.morethan.io reads it after taking that member. {@link BenchRun} reads it back.
 */
final class BenchJsonReport {
    private BenchJsonReport() {
    }

    /**
     * Writes the report (see {@link #json}).
     *
     * @throws IOException if the file cannot be written
     */
    static void write(Path file, BenchSuite suite, MachineInfo m, Map<String, String> plan, List<String> jmhArrays)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, json(suite, m, plan, jmhArrays));
    }

    /**
     * The report.
     *
     * @param plan      member names to JSON values (already rendered), in order: what the suite ran
     * @param jmhArrays the JSON text JMH wrote for each run, each a top-level array
     */
    static String json(BenchSuite suite, MachineInfo m, Map<String, String> plan, List<String> jmhArrays) {
        List<String> elements = new ArrayList<>();
        for (String array : jmhArrays) {
            String a = array.strip();
            if (a.length() < 2 || a.charAt(0) != '[' || a.charAt(a.length() - 1) != ']') {
                throw new IllegalArgumentException("not a JMH JSON result array: "
                        + a.substring(0, Math.min(40, a.length())));
            }
            String inner = a.substring(1, a.length() - 1).strip();
            if (!inner.isEmpty()) {
                elements.add(inner);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"suite\": ").append(str(suite.command)).append(",\n  \"machine\": {\n");
        field(sb, "cpuModel", str(m.cpuModel()), true);
        field(sb, "cpuFlags", "[" + String.join(", ", m.cpuFlags().stream().map(BenchJsonReport::str).toList())
                + "]", true);
        field(sb, "cores", Integer.toString(m.cores()), true);
        field(sb, "os", str(m.os()), true);
        field(sb, "jdk", str(m.jdk()), true);
        field(sb, "jdkVendor", str(m.jdkVendor()), true);
        field(sb, "simd", str(m.simd()), true);
        field(sb, "vectorBits", Integer.toString(m.vectorBits()), true);
        field(sb, "preferredBits", Integer.toString(m.preferredBits()), true);
        field(sb, "fma", Boolean.toString(m.fma()), true);
        field(sb, "threads", Integer.toString(m.threads()), true);
        field(sb, "fmaPeakGflopsPerCore", num(m.peakGflopsPerCore()), true);
        field(sb, "fmaPeakNote", str(m.peakNote()), true);
        field(sb, "readPeakGbPerSecond", num(m.peakReadGbPerSecond()), true);
        field(sb, "readPeakNote", str(m.readPeakNote()), false);
        sb.append("  },\n  \"plan\": {\n");
        int left = plan.size();
        for (Map.Entry<String, String> e : plan.entrySet()) {
            field(sb, e.getKey(), e.getValue(), --left > 0);
        }
        sb.append("  },\n  \"jmh\": [\n").append(String.join(",\n", elements)).append("\n  ]\n}\n");
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, String value, boolean comma) {
        sb.append("    ").append(str(name)).append(": ").append(value).append(comma ? ",\n" : "\n");
    }

    /** JSON has no NaN: an unmeasured number is null. */
    private static String num(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.3f", x) : "null";
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
