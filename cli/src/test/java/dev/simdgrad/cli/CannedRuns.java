package dev.simdgrad.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hand-made {@code bench gemm --json} files for tests: JMH's result format (the members {@code --compare} reads),
 * with scores in calls per second as JMH writes them.
 */
final class CannedRuns {
    private CannedRuns() {
    }

    /** One JMH result element: benchmark method, shape, threads, GFLOP/s and its error (NaN as JMH's "NaN"). */
    static String cell(String method, String shape, int threads, double gflops, double error) {
        double flops = dev.simdgrad.benchmarks.GemmShape.parse(shape).flops() / 1e9;
        String err = Double.isNaN(error) ? "\"NaN\"" : String.format(Locale.ROOT, "%.6f", error / flops);
        return String.format(Locale.ROOT, """
                {"jmhVersion": "1.37", "benchmark": "dev.simdgrad.benchmarks.SgemmBenchmark.%s", "mode": "thrpt",
                 "threads": 1, "forks": 1,
                 "params": {"shape": "%s", "threads": "%d"},
                 "primaryMetric": {"score": %.6f, "scoreError": %s, "scoreUnit": "ops/s"}}""",
                method, shape, threads, gflops / flops, err);
    }

    /** A whole file around {@code cells}, on a machine with the given CPU name and a 170 GFLOP/s per core peak. */
    static String file(String cpu, String... cells) {
        MachineInfo m = new MachineInfo("25.0.3", "Test", "Linux", cpu, List.of("avx2"), 2, "vector 512-bit",
                512, 512, true, 2, 170.0, "test", 12.0, "test");
        List<String> arrays = new ArrayList<>();
        arrays.add("[" + String.join(",\n", cells) + "]");
        return BenchJsonReport.json(BenchSuite.GEMM, m, GemmPlan.defaults(true, List.of(1, 2)).jsonFields(), arrays);
    }

    /** A quick-run-like result set: simdgrad at 1 and 2 threads, peers at 1 thread on the small shapes only. */
    static String typical(String cpu, double scale) {
        List<String> cells = new ArrayList<>();
        String[] shapes = {"NN:128x128x128", "NN:512x512x512", "NN:1024x1024x1024", "NN:256x784x512",
            "TN:784x256x512", "NT:256x512x784"};
        double[] one = {55, 120, 135, 118, 110, 112};
        for (int i = 0; i < shapes.length; i++) {
            cells.add(cell("simdgrad", shapes[i], 1, one[i] * scale, 2.5));
            cells.add(cell("simdgrad", shapes[i], 2, one[i] * 1.8 * scale, 6.0));
            if (i != 2) {
                cells.add(cell("ejml", shapes[i], 1, 4.0 + i * 0.3, 0.2));
                cells.add(cell("ojalgo", shapes[i], 1, 9.0 + i * 0.5, 0.4));
            }
        }
        cells.add(cell("reference", "NN:128x128x128", 1, 1.1, Double.NaN));
        return file(cpu, cells.toArray(String[]::new));
    }
}
