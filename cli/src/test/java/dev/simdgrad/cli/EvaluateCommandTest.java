package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate}: a model saved by {@code train --save} evaluated from the command line; bad files refused. */
class EvaluateCommandTest {
    @TempDir
    Path dir;

    @Test
    void evaluatesASavedModelAsTrainingLeftIt() throws Exception {
        Path model = dir.resolve("m.sgnn");
        CliRun t = CliRun.of("train", "--train-size", "200", "--test-size", "100", "--hidden", "16", "--epochs", "2",
                "--batch", "50", "--noise", "0.5", "--seed", "4", "--out", dir.resolve("run").toString(), "--save",
                model.toString());
        assertEquals(0, t.exitCode(), t.err());
        CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--train-size", "200", "--test-size", "100",
                "--noise", "0.5", "--seed", "4");
        assertEquals(0, e.exitCode(), e.err());
        for (String line : new String[] {"train ", "train, clean examples", "train, corrupted examples", "test "}) {
            assertTrue(e.out().contains(line), e.out());
        }
        // The test accuracy is the one train printed after its last epoch.
        String lastEpoch = t.out().lines().filter(l -> l.contains("epoch 2/2")).findFirst().orElseThrow();
        String testAcc = lastEpoch.replaceAll(".*test acc (\\d\\.\\d{3}).*", "$1");
        String evaluated = e.out().lines().filter(l -> l.startsWith("test ")).findFirst().orElseThrow()
                .replaceAll(".*accuracy (\\d\\.\\d{4}).*", "$1");
        assertEquals(Double.parseDouble(testAcc), Double.parseDouble(evaluated), 0.0006, e.out());
    }

    @Test
    void aCorruptMissingOrMismatchedModelIsAOneLineUsageError() throws Exception {
        Path junk = Files.write(dir.resolve("junk.sgnn"), new byte[] {1, 2, 3, 4, 5});
        Path missing = dir.resolve("missing.sgnn");
        for (Path p : new Path[] {junk, missing, dir}) {
            CliRun r = CliRun.of("evaluate", "--model", p.toString());
            assertEquals(2, r.exitCode(), p + ": " + r.err());
            assertTrue(r.firstErrorLine().startsWith("--model: " + p), r.err());
            assertTrue(r.out().isBlank(), r.out());
        }
        assertEquals(2, CliRun.of("evaluate").exitCode());
    }
}
