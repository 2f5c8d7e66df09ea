package dev.simdgrad.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import dev.simdgrad.verify.check.CheckResult;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@code verify-worker} JVM reports to {@code verify}: JSON objects, one per line, on its stdout. First
 * {@code {"type":"width","vectorBits":...,"simd":"..."}}, then one {@code {"type":"check",...}} per kernel check
 * as it finishes, then {@code {"type":"done"}}. Lines that are not such objects are ignored, so a stray print of a
 * library cannot corrupt the report; a missing {@code done} means the worker died half-way.
 */
final class WorkerProtocol {
    /** Infinity is a legal worst ratio (an unbounded error); Gson writes it as a bare token only when told to. */
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping()
            .create();

    private WorkerProtocol() {
    }

    /** The first line: the width the worker's kernels use. */
    static String widthLine(int vectorBits, String simd) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "width");
        o.addProperty("vectorBits", vectorBits);
        o.addProperty("simd", simd);
        return GSON.toJson(o);
    }

    /** One line per finished check. */
    static String checkLine(CheckResult r) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "check");
        o.addProperty("kernel", r.kernel());
        o.addProperty("cases", r.cases());
        o.addProperty("failures", r.failures());
        o.addProperty("worstRatio", r.worstRatio());
        o.addProperty("worstCase", r.worstCase());
        return GSON.toJson(o);
    }

    /** The last line. */
    static String doneLine() {
        return "{\"type\":\"done\"}";
    }

    /**
     * Reads a worker's stdout.
     *
     * @param requestedBits the width the worker was started with
     * @param lines         its stdout, line by line
     * @return the report; {@link WidthReport#error()} says what is missing if the output is incomplete
     */
    static WidthReport parse(int requestedBits, List<String> lines) {
        int bits = -1;
        String simd = "";
        List<CheckResult> results = new ArrayList<>();
        boolean done = false;
        for (String line : lines) {
            String t = line.strip();
            if (!t.startsWith("{\"type\"")) {
                continue;
            }
            JsonObject o;
            try {
                JsonReader reader = new JsonReader(new StringReader(t));
                reader.setStrictness(Strictness.LENIENT); // reads the bare Infinity token
                o = JsonParser.parseReader(reader).getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                return WidthReport.failed(requestedBits, "unreadable worker line: " + t);
            }
            switch (o.get("type").getAsString()) {
                case "width" -> {
                    bits = o.get("vectorBits").getAsInt();
                    simd = o.get("simd").getAsString();
                }
                case "check" -> results.add(new CheckResult(o.get("kernel").getAsString(), o.get("cases").getAsInt(),
                        o.get("failures").getAsInt(), o.get("worstRatio").getAsDouble(),
                        o.get("worstCase").getAsString()));
                case "done" -> done = true;
                default -> {
                    // a newer worker's line type: not ours to judge
                }
            }
        }
        String error = bits < 0 ? "the worker reported no width" : done ? null : "the worker stopped before the end";
        return new WidthReport(requestedBits, bits, simd, results, error);
    }
}
