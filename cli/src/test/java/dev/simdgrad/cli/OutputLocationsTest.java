package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every output location of every command is checked before any work: an {@code --out} that is a file or lies
 * under one, a {@code --save} whose directory is missing or that is a directory, a {@code --json}/{@code --chart}
 * under a file. Each must be a usage error (exit 2) whose first line names the option and the path, with nothing
 * trained, measured or reproduced first (no progress line on stdout) and nothing written.
 */
class OutputLocationsTest {
    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void aFile() throws Exception {
        file = Files.writeString(dir.resolve("a-file"), "not a directory");
    }

    private static final List<String> TINY_TRAIN = List.of("train", "--train-size", "200", "--test-size", "50",
            "--hidden", "8", "--epochs", "1", "--batch", "50");

    private static String[] train(String... extra) {
        List<String> a = new java.util.ArrayList<>(TINY_TRAIN);
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private void refused(String option, Path path, String problem, String... args) throws Exception {
        long before;
        try (var s = Files.list(dir)) {
            before = s.count();
        }
        CliRun r = CliRun.of(args);
        String what = String.join(" ", args);
        assertEquals(2, r.exitCode(), what + ": " + r.out() + r.err());
        assertTrue(r.firstErrorLine().startsWith(option + ": " + path), what + ": " + r.err());
        assertTrue(r.firstErrorLine().contains(problem), what + ": " + r.err());
        // Nothing ran: no data line, epoch line, machine report or verify table on stdout.
        assertTrue(r.out().isBlank(), what + " did work first: " + r.out());
        try (var s = Files.list(dir)) {
            assertEquals(before, s.count(), what + " wrote into " + dir);
        }
    }

    @Test
    void trainOutThatIsAFileOrLiesUnderOne() throws Exception {
        refused("--out", file, "is a file", train("--out", file.toString()));
        Path under = file.resolve("run");
        refused("--out", under, "lies under " + file, train("--out", under.toString()));
    }

    @Test
    void trainSaveWithoutItsDirectoryOrThatIsADirectory() throws Exception {
        Path out = dir.resolve("out");
        Path missing = dir.resolve("missing").resolve("model.sgnn");
        refused("--save", missing, "does not exist", train("--out", out.toString(), "--save", missing.toString()));
        refused("--save", dir, "is a directory", train("--out", out.toString(), "--save", dir.toString()));
        Path underFile = file.resolve("model.sgnn");
        refused("--save", underFile, "which is a file", train("--out", out.toString(), "--save",
                underFile.toString()));
        assertFalse(Files.exists(out), "train created --out before refusing --save");
    }

    @Test
    void reproduceOut() throws Exception {
        refused("--out", file, "is a file", "reproduce", "min-norm", "--out", file.toString());
        refused("--out", file.resolve("x"), "lies under", "reproduce", "coherent-gradients", "--out",
                file.resolve("x").toString());
    }

    @Test
    void benchJsonAndChart() throws Exception {
        Path json = file.resolve("run.json");
        refused("--json", json, "lies under " + file, "bench", "gemm", "--quick", "--json", json.toString());
        refused("--json", json, "lies under " + file, "bench", "aggregate", "--quick", "--json", json.toString());
        refused("--chart", json, "lies under " + file, "bench", "train-step", "--quick", "--chart",
                json.toString());
        refused("--chart", dir, "is a directory", "bench", "gemm", "--quick", "--chart", dir.toString());
        Path saved = Path.of("..", "benchmarks", "results", "gemm-2026-11-22.json");
        refused("--chart", json, "lies under " + file, "bench", "report", saved.toString(), "--chart",
                json.toString());
    }

    @Test
    void verifyJson() throws Exception {
        Path json = dir.resolve("missing").resolve("verify.json");
        refused("--json", json, "does not exist", "verify", "--widths", "0", "--cases", "1", "--json",
                json.toString());
    }

    @Test
    void aNewDirectoryUnderAnExistingOneIsFine() {
        Path out = dir.resolve("new").resolve("deeper");
        CliRun r = CliRun.of(train("--out", out.toString()));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("metrics.csv")));
    }
}
