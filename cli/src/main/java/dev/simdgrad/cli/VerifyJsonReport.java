package dev.simdgrad.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.simdgrad.verify.check.CheckResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code --json} file of {@code verify}: the machine, the seed and cases, the verdict, and per requested width
 * the width used and each check's cases, failures and worst error/bound ratio (null when unbounded: JSON has no
 * infinity) with the worst case.
 */
final class VerifyJsonReport {
    private VerifyJsonReport() {
    }

    /** @throws IOException if the file cannot be written */
    static void write(Path file, MachineInfo m, List<WidthReport> widths, int cases, long seed) throws IOException {
        Files.writeString(file, json(m, widths, cases, seed));
    }

    static String json(MachineInfo m, List<WidthReport> widths, int cases, long seed) {
        JsonObject root = new JsonObject();
        JsonObject machine = new JsonObject();
        machine.addProperty("cpuModel", m.cpuModel());
        JsonArray flags = new JsonArray();
        m.cpuFlags().forEach(flags::add);
        machine.add("cpuFlags", flags);
        machine.addProperty("cores", m.cores());
        machine.addProperty("os", m.os());
        machine.addProperty("jdk", m.jdk());
        machine.addProperty("jdkVendor", m.jdkVendor());
        machine.addProperty("preferredBits", m.preferredBits());
        machine.addProperty("fma", m.fma());
        machine.addProperty("threads", m.threads());
        root.add("machine", machine);
        root.addProperty("seed", seed);
        root.addProperty("randomCasesPerKernel", cases);
        root.addProperty("pass", widths.stream().allMatch(WidthReport::passed));
        JsonArray ws = new JsonArray();
        for (WidthReport w : widths) {
            JsonObject o = new JsonObject();
            o.addProperty("requestedBits", w.requestedBits());
            o.addProperty("vectorBits", w.vectorBits());
            o.addProperty("simd", w.simd());
            o.addProperty("pass", w.passed());
            o.addProperty("error", w.error());
            JsonArray checks = new JsonArray();
            for (CheckResult r : w.results()) {
                JsonObject c = new JsonObject();
                c.addProperty("kernel", r.kernel());
                c.addProperty("cases", r.cases());
                c.addProperty("failures", r.failures());
                c.addProperty("worstRatio", Double.isFinite(r.worstRatio()) ? r.worstRatio() : null);
                c.addProperty("worstCase", r.worstCase());
                c.addProperty("pass", r.passed());
                checks.add(c);
            }
            o.add("checks", checks);
            ws.add(o);
        }
        root.add("widths", ws);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create()
                .toJson(root) + "\n";
    }
}
