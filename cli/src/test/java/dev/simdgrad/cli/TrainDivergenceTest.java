package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.nn.io.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A diverged run is reported as diverged, never as a result: {@code train --lr 1e6 --loss squared} used to print
 * "train acc 0.107 test acc 0.100", exit 0 and save an all-NaN model. Now it stops at the first non-finite loss,
 * prints one line with the epoch, the step and the last finite loss, keeps the metrics of the epochs it completed,
 * saves no model unless asked to, and exits with {@link TrainCommand#EXIT_DIVERGED}.
 */
class TrainDivergenceTest {
    @TempDir
    Path dir;

    private static String[] args(String... extra) {
        return argsAt("1e6", extra);
    }

    private static String[] argsAt(String lr, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--train-size", "200", "--test-size", "50",
                "--hidden", "16", "--epochs", "3", "--batch", "50", "--loss", "squared", "--lr", lr));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void aDivergedRunStopsSaysWhereKeepsItsMetricsAndSavesNoModel() throws Exception {
        Path out = dir.resolve("run"), model = dir.resolve("model.sgnn");
        CliRun r = CliRun.of(args("--out", out.toString(), "--save", model.toString()));
        assertEquals(TrainCommand.EXIT_DIVERGED, r.exitCode(), r.out() + r.err());
        assertTrue(r.firstErrorLine().startsWith("simdgrad train: diverged at epoch 1, step "), r.err());
        assertTrue(r.firstErrorLine().contains("last finite loss") && r.firstErrorLine().contains("no model saved"),
                r.err());
        assertFalse(r.out().contains("train acc"), "a diverged epoch was reported as a result: " + r.out());
        assertFalse(Files.exists(model), "the diverged model was saved");
        // The metrics written so far are kept (here: the header, no completed epoch) with the divergence noted.
        assertTrue(Files.readAllLines(out.resolve("metrics.csv")).getFirst().startsWith("epoch,"));
        assertTrue(Files.readString(out.resolve("metrics.json")).contains("diverged at epoch 1"));
    }

    @Test
    void saveDivergedKeepsTheModelOnRequest() throws Exception {
        Path model = dir.resolve("nan.sgnn");
        CliRun r = CliRun.of(args("--out", dir.resolve("run").toString(), "--save", model.toString(),
                "--save-diverged"));
        assertEquals(TrainCommand.EXIT_DIVERGED, r.exitCode(), r.err());
        assertTrue(r.firstErrorLine().contains("model saved anyway"), r.err());
        float[] theta = ModelFile.load(model).parameters();
        boolean nonFinite = false;
        for (float v : theta) {
            nonFinite |= !Float.isFinite(v);
        }
        assertTrue(nonFinite, "expected the diverged parameters");
        // evaluate refuses it rather than printing NaN accuracies.
        CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--train-size", "50", "--test-size", "50");
        assertEquals(2, e.exitCode(), e.out() + e.err());
        assertTrue(e.firstErrorLine().contains("non-finite parameters"), e.err());
    }

    @Test
    void aConvergingRunIsUntouched() {
        CliRun r = CliRun.of(argsAt("0.1", "--out", dir.resolve("ok").toString()));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("epoch 3/3"), r.out());
    }
}
