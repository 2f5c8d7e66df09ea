package dev.simdgrad.cli;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;

/**
 * One measured cell of a JMH suite: a benchmark method on one combination of its parameters, with JMH's primary score
 * and error as JMH reports them (calls/s for {@code bench gemm}, ms per call for {@code bench aggregate} and
 * {@code bench train-step}; {@link BenchSuite} converts to the unit a table prints). The comparison of two runs
 * matches cells by (method, params).
 *
 * @param method the benchmark method's simple name
 * @param params the JMH parameters of the cell, by name (sorted, as JMH writes them)
 * @param score  JMH's mean score
 * @param error  half-width of JMH's 99.9% confidence interval, NaN when JMH had too few iterations to give one
 */
record BenchResult(String method, Map<String, String> params, double score, double error) {
    BenchResult {
        params = Collections.unmodifiableMap(new TreeMap<>(params));
    }

    String param(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter " + name + " in " + method + " " + params);
        }
        return v;
    }

    /** The cell of a JMH result. */
    static BenchResult of(RunResult r) {
        String bench = r.getParams().getBenchmark();
        Map<String, String> params = new TreeMap<>();
        for (String k : r.getParams().getParamsKeys()) {
            params.put(k, r.getParams().getParam(k));
        }
        var primary = r.getPrimaryResult();
        return new BenchResult(bench.substring(bench.lastIndexOf('.') + 1), params, primary.getScore(),
                primary.getScoreError());
    }
}
