package dev.simdgrad.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes results as CSV (one header line, then one line per row, numbers in full precision with '.' decimals) and
 * as JSON (the result records themselves, through Gson; NaN and infinities written as the bare words JavaScript
 * uses, since a missing measurement is NaN here and must survive the round trip).
 */
final class ResultFiles {
    private ResultFiles() {
    }

    /** Writes {@code header} and {@code rows} as CSV into {@code file}, creating parent directories. */
    static Path csv(Path file, List<String> header, List<List<?>> rows) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (List<?> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("row has " + r.size() + " cells, header " + header.size());
            }
            sb.append(r.stream().map(ResultFiles::cell).collect(Collectors.joining(","))).append('\n');
        }
        return write(file, sb.toString());
    }

    /** Writes {@code value} (typically a result record) as pretty-printed JSON into {@code file}. */
    static Path json(Path file, Object value) throws IOException {
        // A path (an experiment's --data directory) is written as its string: Gson cannot reflect into the JDK's
        // file-system classes.
        String text = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .registerTypeHierarchyAdapter(Path.class,
                        (JsonSerializer<Path>) (path, type, context) -> new JsonPrimitive(path.toString()))
                .create().toJson(value);
        return write(file, text + "\n");
    }

    private static Path write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text);
        return file;
    }

    private static String cell(Object o) {
        if (o == null) {
            return "";
        }
        if (o instanceof Double || o instanceof Float) {
            return String.format(Locale.ROOT, "%s", o);
        }
        String s = o.toString();
        // Quote text that would break the CSV grammar (commas in labels such as "F-GR(γ=0.1, ε=0.01)").
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
