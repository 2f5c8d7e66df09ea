package dev.simdgrad.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code --json} file of {@code bench gemm}: {@code {"machine": {...}, "plan": {...}, "jmh": [...]}}, where
 * {@code jmh} is JMH's own JSON result array (the runs' arrays concatenated, untouched), so any JMH tool such as
 * jmh.morethan.io reads it after taking that member.
 */
final class GemmJsonReport {
    private GemmJsonReport() {
    }

    /**
     * Writes the report.
     *
     * @param jmhArrays the JSON text JMH wrote for each run, each a top-level array
     * @throws IOException if the file cannot be written
     */
    static void write(Path file, MachineInfo m, GemmPlan plan, List<String> jmhArrays) throws IOException {
        Files.writeString(file, json(m, plan, jmhArrays));
    }

    /** Writes the report of another suite; see {@link #json(MachineInfo, Map, List)}. */
    static void write(Path file, MachineInfo m, Map<String, String> plan, List<String> jmhArrays)
            throws IOException {
        Files.writeString(file, json(m, plan, jmhArrays));
    }

    static String json(MachineInfo m, GemmPlan plan, List<String> jmhArrays) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("quick", Boolean.toString(plan.quick()));
        fields.put("shapes", "[" + String.join(", ", plan.shapes().stream().map(s -> str(s.toString())).toList())
                + "]");
        fields.put("threads", plan.threads().toString());
        fields.put("forks", Integer.toString(plan.forks()));
        fields.put("warmupIterations", Integer.toString(plan.warmupIterations()));
        fields.put("warmupTime", str(plan.warmupTime().toString()));
        fields.put("iterations", Integer.toString(plan.iterations()));
        fields.put("iterationTime", str(plan.iterationTime().toString()));
        fields.put("peerMaxFlops", plan.peerMaxFlops() == Long.MAX_VALUE ? "null"
                : Long.toString(plan.peerMaxFlops()));
        return json(m, fields, jmhArrays);
    }

    /**
     * The report with any plan: {@code plan} maps member names to JSON values (already rendered), in order. Shared
     * by the other suites ({@link SuitePlan#jsonFields()}).
     */
    static String json(MachineInfo m, Map<String, String> plan, List<String> jmhArrays) {
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
        sb.append("{\n  \"machine\": {\n");
        field(sb, "cpuModel", str(m.cpuModel()), true);
        field(sb, "cpuFlags", "[" + String.join(", ", m.cpuFlags().stream().map(GemmJsonReport::str).toList())
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
        field(sb, "fmaPeakNote", str(m.peakNote()), false);
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
