package dev.simdgrad.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a {@code bench} suite as the tables, the comparison and the charts need it: which suite, where it ran
 * (the machine and its measured peaks) and what it measured. Read back from a {@code --json} file
 * ({@link BenchJsonReport}), or made from the run in progress.
 *
 * @param suite               the suite
 * @param cpuModel            CPU model name
 * @param jdk                 Java runtime version
 * @param vectorBits          the kernels' vector width (0 = scalar)
 * @param cores               available processors
 * @param peakGflopsPerCore   measured single-core FMA peak in GFLOP/s, NaN if unknown
 * @param peakReadGbPerSecond measured single-core read bandwidth in GB/s, NaN if unknown
 * @param forks               JMH forks per cell (0: measured inside the CLI's JVM), -1 if unknown
 * @param order               the plan's lists (e.g. "shape" or "shapes"), for the order of table rows
 * @param results             every measured cell
 */
record BenchRun(BenchSuite suite, String cpuModel, String jdk, int vectorBits, int cores, double peakGflopsPerCore,
                double peakReadGbPerSecond, int forks, Map<String, List<String>> order, List<BenchResult> results) {
    /** What every parse failure says first; the command line prefixes the file name. */
    static final String NOT_A_RUN = "not a saved bench run (a file written by ./simdgrad bench SUITE --json)";

    BenchRun {
        order = Collections.unmodifiableMap(new LinkedHashMap<>(order));
        results = List.copyOf(results);
    }

    /** The run in progress. */
    static BenchRun of(BenchSuite suite, MachineInfo m, int forks, Map<String, List<String>> order,
                       List<BenchResult> results) {
        return new BenchRun(suite, m.cpuModel(), m.jdk(), m.vectorBits(), m.cores(), m.peakGflopsPerCore(),
                m.peakReadGbPerSecond(), forks, order, results);
    }

    /** The plan's list {@code name}, empty when the plan has none. */
    List<String> order(String name) {
        return order.getOrDefault(name, List.of());
    }

    /**
     * Reads a saved run of any suite.
     *
     * @throws IOException              if it cannot be read
     * @throws IllegalArgumentException if it is not a saved run (the message says why)
     */
    static BenchRun read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /**
     * Parses the text of a saved run. The suite is the file's {@code "suite"} member, or, in files written before
     * it existed, the JMH class of its results; every result must belong to that suite and be in its JMH unit.
     */
    static BenchRun parse(String json) {
        try {
            JsonElement parsed = JsonParser.parseString(json);
            if (parsed.isJsonArray()) {
                throw new IllegalArgumentException(NOT_A_RUN + ": a raw JMH result array, without the machine"
                        + " record");
            }
            if (!parsed.isJsonObject()) {
                throw new IllegalArgumentException(NOT_A_RUN + ": not a JSON object");
            }
            JsonObject root = parsed.getAsJsonObject();
            JsonObject m = object(root, "machine");
            JsonArray jmh = array(root, "jmh");
            BenchSuite suite = null;
            if (root.has("suite")) {
                String name = text(root, "suite");
                suite = BenchSuite.ofCommand(name);
                if (suite == null) {
                    throw new IllegalArgumentException(NOT_A_RUN + ": unknown suite \"" + name + "\"");
                }
            }
            List<BenchResult> results = new ArrayList<>();
            for (JsonElement e : jmh) {
                if (!e.isJsonObject()) {
                    throw new IllegalArgumentException(NOT_A_RUN + ": an element of \"jmh\" is " + kind(e)
                            + ", not an object");
                }
                JsonObject b = e.getAsJsonObject();
                String bench = text(b, "benchmark");
                BenchSuite of = BenchSuite.ofBenchmark(bench);
                if (of == null) {
                    throw new IllegalArgumentException(NOT_A_RUN + ": " + bench + " belongs to no bench suite");
                }
                if (suite != null && of != suite) {
                    throw new IllegalArgumentException(NOT_A_RUN + ": it mixes bench " + suite.command + " and bench "
                            + of.command + " results");
                }
                suite = of;
                JsonObject metric = object(b, "primaryMetric");
                String unit = metric.has("scoreUnit") ? text(metric, "scoreUnit") : null;
                if (unit != null && !unit.equals(suite.jmhUnit)) {
                    throw new IllegalArgumentException(NOT_A_RUN + ": " + bench + " is in " + unit
                            + ", the suite reports " + suite.jmhUnit);
                }
                Map<String, String> params = new LinkedHashMap<>();
                JsonObject p = optionalObject(b, "params");
                if (p != null) {
                    p.entrySet().forEach(x -> params.put(x.getKey(), x.getValue().getAsString()));
                }
                // JMH writes an error it could not estimate as the string "NaN", which parses to NaN.
                results.add(new BenchResult(bench.substring(bench.lastIndexOf('.') + 1), params,
                        required(metric, "score", bench), required(metric, "scoreError", bench)));
            }
            if (suite == null) {
                throw new IllegalArgumentException(NOT_A_RUN + ": no results and no \"suite\" member");
            }
            for (BenchResult r : results) {
                try {
                    suite.check(r);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(NOT_A_RUN + ": " + e.getMessage(), e);
                }
            }
            JsonObject plan = optionalObject(root, "plan");
            Map<String, List<String>> order = new LinkedHashMap<>();
            int forks = -1;
            if (plan != null) {
                for (Map.Entry<String, JsonElement> e : plan.entrySet()) {
                    if (e.getValue().isJsonArray()) {
                        List<String> values = new ArrayList<>();
                        e.getValue().getAsJsonArray().forEach(v -> values.add(v.getAsString()));
                        order.put(e.getKey(), values);
                    }
                }
                forks = integer(plan, "forks");
            }
            return new BenchRun(suite, string(m, "cpuModel"), string(m, "jdk"), integer(m, "vectorBits"),
                    integer(m, "cores"), number(m, "fmaPeakGflopsPerCore"), number(m, "readPeakGbPerSecond"), forks,
                    order, results);
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
                 | NumberFormatException | ClassCastException e) {
            // A backstop: the helpers below name what is wrong; Gson's own exceptions say less.
            throw new IllegalArgumentException(NOT_A_RUN + ": " + e.getMessage(), e);
        }
    }

    private static JsonObject object(JsonObject o, String name) {
        JsonObject x = optionalObject(o, name);
        if (x == null) {
            throw new IllegalArgumentException(NOT_A_RUN + ": no \"" + name + "\" object");
        }
        return x;
    }

    /** Member {@code name} if it is an object, null if absent; any other value (null included) is an error. */
    private static JsonObject optionalObject(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(NOT_A_RUN + ": \"" + name + "\" is " + kind(e) + ", not an object");
        }
        return e.getAsJsonObject();
    }

    private static JsonArray array(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null) {
            throw new IllegalArgumentException(NOT_A_RUN + ": no \"" + name + "\" array");
        }
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException(NOT_A_RUN + ": \"" + name + "\" is " + kind(e) + ", not an array");
        }
        return e.getAsJsonArray();
    }

    private static String text(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalArgumentException(NOT_A_RUN + ": \"" + name + "\" is " + kind(e) + ", not a string");
        }
        return e.getAsString();
    }

    /** A number JMH always writes (it writes an error it could not estimate as the string "NaN"). */
    private static double required(JsonObject metric, String name, String bench) {
        JsonElement e = metric.get(name);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalArgumentException(NOT_A_RUN + ": " + bench + ": \"" + name + "\" is " + kind(e)
                    + ", not a number");
        }
        return e.getAsDouble();
    }

    /** What a JSON value is, for messages. */
    private static String kind(JsonElement e) {
        return e == null ? "missing" : e.isJsonNull() ? "null" : e.isJsonArray() ? "an array"
                : e.isJsonObject() ? "an object" : "the value " + e;
    }

    private static String string(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? "unknown" : e.getAsString();
    }

    private static int integer(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? -1 : e.getAsInt();
    }

    private static double number(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    /** The machine in one line, for headings. */
    String machine() {
        return cpuModel + ", " + cores + " cores, JDK " + jdk + ", " + (vectorBits == 0 ? "scalar"
                : vectorBits + "-bit vectors");
    }
}
