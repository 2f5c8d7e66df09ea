package dev.simdgrad.cli;

import java.util.Map;
import org.openjdk.jmh.results.RunResult;

/**
 * One measured cell of an average-time JMH suite ({@code bench aggregate}, {@code bench train-step}).
 *
 * @param method the benchmark method's simple name
 * @param params the JMH parameters of the cell, by name
 * @param ms     mean time per operation in milliseconds
 * @param msError half-width of JMH's 99.9% confidence interval in ms, NaN when JMH had too few iterations
 */
record SuiteResult(String method, Map<String, String> params, double ms, double msError) {
    SuiteResult {
        params = Map.copyOf(params);
    }

    String param(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter " + name + " in " + method + " " + params);
        }
        return v;
    }

    /** The cell of a JMH result (the suites report ms/op). */
    static SuiteResult of(RunResult r) {
        String bench = r.getParams().getBenchmark();
        Map<String, String> params = new java.util.LinkedHashMap<>();
        for (String k : r.getParams().getParamsKeys()) {
            params.put(k, r.getParams().getParam(k));
        }
        var primary = r.getPrimaryResult();
        return new SuiteResult(bench.substring(bench.lastIndexOf('.') + 1), params, primary.getScore(),
                primary.getScoreError());
    }
}
