package dev.simdgrad.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.simdgrad.benchmarks.GemmShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code bench gemm} run as {@code --compare} and the chart need it: where it ran and what it measured. Read
 * back from the {@code --json} file ({@link GemmJsonReport}), or made from the run in progress.
 *
 * @param cpuModel          CPU model name
 * @param jdk               Java runtime version
 * @param vectorBits        the kernels' vector width (0 = scalar)
 * @param cores             available processors
 * @param peakGflopsPerCore measured single-core FMA peak, NaN if unknown
 * @param results           every measured cell
 */
record GemmRun(String cpuModel, String jdk, int vectorBits, int cores, double peakGflopsPerCore,
               List<GemmResult> results) {
    GemmRun {
        results = List.copyOf(results);
    }

    /** The run in progress. */
    static GemmRun of(MachineInfo m, List<GemmResult> results) {
        return new GemmRun(m.cpuModel(), m.jdk(), m.vectorBits(), m.cores(), m.peakGflopsPerCore(), results);
    }

    /**
     * Reads a {@code bench gemm --json} file.
     *
     * @throws IOException              if it cannot be read
     * @throws IllegalArgumentException if it is not such a file (the message says what is wrong)
     */
    static GemmRun read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** Parses the text of a {@code bench gemm --json} file; see {@link #read}. */
    static GemmRun parse(String json) {
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            JsonObject m = object(root, "machine");
            JsonArray jmh = root.getAsJsonArray("jmh");
            if (jmh == null) {
                throw new IllegalArgumentException("no \"jmh\" array: not a bench gemm --json file");
            }
            List<GemmResult> results = new ArrayList<>();
            for (JsonElement e : jmh) {
                JsonObject b = e.getAsJsonObject();
                String bench = b.get("benchmark").getAsString();
                JsonObject params = object(b, "params");
                JsonObject metric = object(b, "primaryMetric");
                GemmShape shape = GemmShape.parse(params.get("shape").getAsString());
                // JMH writes an error it could not estimate as the string "NaN", which parses to NaN.
                results.add(GemmResult.fromThroughput(shape, params.get("threads").getAsInt(),
                        bench.substring(bench.lastIndexOf('.') + 1), metric.get("score").getAsDouble(),
                        metric.get("scoreError").getAsDouble()));
            }
            return new GemmRun(string(m, "cpuModel"), string(m, "jdk"), integer(m, "vectorBits"),
                    integer(m, "cores"), number(m, "fmaPeakGflopsPerCore"), results);
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
                 | NumberFormatException e) {
            throw new IllegalArgumentException("not a bench gemm --json file: " + e.getMessage(), e);
        }
    }

    private static JsonObject object(JsonObject o, String name) {
        JsonObject x = o.getAsJsonObject(name);
        if (x == null) {
            throw new IllegalArgumentException("no \"" + name + "\" object: not a bench gemm --json file");
        }
        return x;
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
