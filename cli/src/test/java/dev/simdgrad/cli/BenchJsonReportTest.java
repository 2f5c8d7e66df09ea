package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchJsonReportTest {
    @Test
    void concatenatesJmhArraysAndEscapesStrings() {
        MachineInfo m = new MachineInfo("25", "Vendor \"X\"", "Linux", "CPU\\1", List.of("avx2"), 2, "vector 512-bit",
                512, 512, true, 2, Double.NaN, "not measured", Double.NaN, "not measured");
        String json = BenchJsonReport.json(BenchSuite.GEMM, m, GemmPlan.defaults(true, List.of(1)).jsonFields(),
                List.of("[\n{\"benchmark\": \"a\"}\n]", "[]", "[{\"benchmark\": \"b\"}]"));
        assertTrue(json.contains("\"jdkVendor\": \"Vendor \\\"X\\\"\""), json);
        assertTrue(json.contains("\"cpuModel\": \"CPU\\\\1\""), json);
        assertTrue(json.contains("\"fmaPeakGflopsPerCore\": null"), json);
        assertTrue(json.contains("\"readPeakGbPerSecond\": null"), json);
        assertTrue(json.startsWith("{\n  \"suite\": \"gemm\",\n"), json);
        assertTrue(json.contains("{\"benchmark\": \"a\"},\n{\"benchmark\": \"b\"}"), json);
    }
}
