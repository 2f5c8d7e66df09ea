package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reproduce} end to end on tiny sizes (the size overrides shrink each experiment to seconds): the printed
 * table with the papers' claims, and CSV, JSON and PNG files that exist and hold numbers.
 */
class ReproduceCommandTest {
    @TempDir
    Path dir;

    @Test
    void coherentGradients() throws Exception {
        Path out = dir.resolve("cg");
        CliRun r = CliRun.of("reproduce", "coherent-gradients", "--train-size", "200", "--epochs", "2", "--widths",
                "16,8", "--noises", "0,0.5", "--seeds", "2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        String o = r.out();
        assertTrue(o.contains("paper's claim") && o.contains("our measurement"), o);
        assertTrue(o.contains("784-16-8-10 ReLU") && o.contains("seeds 1..2 (2)"), o);
        assertTrue(o.contains("winsorize:4") && o.contains("+- "), o);
        assertTrue(!o.contains("not run:"), o);
        assertTrue(o.contains("fits the corrupt labels less than SGD") && o.contains("at equal pristine-set accuracy")
                && o.contains("real labels give more coherent"), o);
        assertTrue(o.contains("mean paired difference") && o.contains("2 seeds"), o);
        assertTrue(o.contains("Deviations from the paper:") && o.contains("784-2048-2048-2048-10"), o);
        assertTrue(o.matches("(?s).*\\d+ of \\d+ claims hold.*"), o);
        assertTrue(o.contains("Wrote ") && o.contains(out.toAbsolutePath().toString()), o);
        var runs = CliRun.numericCsv(out.resolve("runs.csv"), 2, 11);   // strategy, diverged (empty: did not)
        assertEquals(20, runs.size(), runs.toString());   // 2 noise levels x 2 seeds x 5 levels of c
        CliRun.numericCsv(out.resolve("epochs.csv"), 2);
        assertEquals(2 * 2 * 30, CliRun.numericCsv(out.resolve("coherence.csv")).size());   // 2 seeds, p = 0 and 1
        String json = Files.readString(out.resolve("result.json"));
        assertTrue(json.contains("\"claims\"") && json.contains("\"deviations\""), json.substring(0, 200));
        for (String png : List.of("final-accuracy-vs-c-p050.png", "corrupt-accuracy-p050.png",
                "pristine-accuracy-p000.png", "test-accuracy-p000.png", "m-coherence-early.png")) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
    }

    @Test
    void minNorm() throws Exception {
        Path out = dir.resolve("mn");
        CliRun r = CliRun.of("reproduce", "min-norm", "--train-size", "60", "--widths", "64,256", "--epochs", "400",
                "--noises", "0,1", "--seeds", "2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        String o = r.out();
        assertTrue(o.contains("paper's claim") && o.contains("GD run to convergence ends close to W*"), o);
        assertTrue(o.contains("the distance to W* shrinks as m grows"), o);
        assertTrue(o.contains("sqrt(2 y'Hinf^-1 y / n)") && o.contains("vacuous"), o);
        assertTrue(o.contains("Deviations from the papers") && o.contains("as we read it"), o);
        assertTrue(o.contains("2 seeds"), o);
        // 2 widths x 2 seeds, and p = 1 at the noise width (64) for 2 seeds; p = 0 there is the width run.
        assertEquals(6, CliRun.numericCsv(out.resolve("runs.csv")).size());
        CliRun.numericCsv(out.resolve("loss-curves.csv"));
        String json = Files.readString(out.resolve("result.json"));
        assertTrue(json.contains("\"deviations\"") && json.contains("\"linearRelativeDistance\""), json);
        for (String png : List.of("distance-vs-width.png", "loss-vs-steps.png", "distance-vs-noise.png")) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
    }

    @Test
    void minNormReportsARunAtTheStepCapAsNotConverged() throws Exception {
        Path out = dir.resolve("mn-cap");
        CliRun r = CliRun.of("reproduce", "min-norm", "--train-size", "40", "--widths", "32", "--epochs", "3",
                "--noises", "0", "--seeds", "1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        String o = r.out();
        assertTrue(o.contains("NOT converged after 3 steps"), o);
        assertTrue(o.contains("not converged (hit the step cap of 3)") && o.contains("not judged"), o);
    }

    @Test
    void gradientRegularization() throws Exception {
        Path out = dir.resolve("gr");
        CliRun r = CliRun.of("reproduce", "gradient-regularization", "--train-size", "256", "--epochs", "2",
                "--widths", "16", "--seeds", "2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        String o = r.out();
        assertTrue(o.contains("paper's claim") && o.contains("F-GR costs less per step than double backprop"), o);
        // The cost verdicts come from interleaved rounds, never from one comparison of two timings.
        assertTrue(o.contains("interleaved rounds"), o);
        assertTrue(o.contains("Diagonal linear network") && o.contains("B-GR"), o);
        assertTrue(o.contains("Deviations from the paper:") && o.contains("CIFAR-10"), o);
        // Two networks (the trained 784-16-10 and 3 hidden layers of 16) x 5 methods x 12 rounds.
        assertEquals(120, CliRun.numericCsv(out.resolve("cost.csv"), 0).size());
        assertTrue(o.contains("mean paired difference") && o.contains("2 seeds"), o);
        // 16 settings (plain, 2 DB, 2 x 3 F-GR and B-GR, flooding), one row per seed.
        assertEquals(32, CliRun.numericCsv(out.resolve("accuracy.csv"), 0).size());
        // Flooding's level is plain SGD's own loss, and whether it was reached is said either way.
        assertTrue(o.contains("Flooding level b ="), o);
        // 2 scales x 15 settings x 2 seeds.
        assertEquals(60, CliRun.numericCsv(out.resolve("sparsity.csv"), 1).size());
        String json = Files.readString(out.resolve("result.json"));
        assertTrue(json.contains("\"deviations\"") && json.contains("\"msByRound\""), json.substring(0, 200));
        for (String png : List.of("gradient-regularization-cost.png", "gradient-regularization-accuracy.png",
                "gradient-regularization-sparsity.png")) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
    }

    @Test
    void aDataDirectoryIsReadAndNamedInTheJson() throws Exception {
        // An IDX directory like /usr/share/datasets/fashion-mnist, made of the embedded subset's files.
        Path data = Files.createDirectories(dir.resolve("idx"));
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            try (var in = dev.simdgrad.nn.data.FashionMnist.class.getResourceAsStream(
                    "/dev/simdgrad/nn/data/fashion-mnist-subset/" + f)) {
                Files.copy(in, data.resolve(f));
            }
        }
        Path out = dir.resolve("mn-data");
        CliRun r = CliRun.of("reproduce", "min-norm", "--data", data.toString(), "--train-size", "60", "--widths",
                "32,64", "--epochs", "5", "--noises", "0", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains(data.toString()), r.out());
        assertTrue(Files.readString(out.resolve("result.json")).contains("\"data\": \"" + data + "\""));
    }

    @Test
    void unknownExperimentAndBadOverridesAreUsageErrors() {
        for (String[] args : new String[][] {
            {"reproduce", "nonsense"}, {"reproduce"}, {"reproduce", "min-norm", "--widths", "3"},
            {"reproduce", "coherent-gradients", "--noises", "2"}, {"reproduce", "min-norm", "--epochs", "0"},
            {"reproduce", "gradient-regularization", "--seeds", "0"},
            {"reproduce", "coherent-gradients", "--seeds", "0"},
            {"reproduce", "coherent-gradients", "--tolerance", "1e-3"}, {"reproduce", "min-norm", "--tolerance", "0"},
            {"reproduce", "gradient-regularization", "--tolerance", "1e-3"},
        }) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains("Usage: simdgrad reproduce"), r.err());
        }
        assertTrue(CliRun.of("reproduce", "nonsense").firstErrorLine().contains("unknown experiment 'nonsense'"));
    }

    @Test
    void aMissingDataDirectorySaysWhereItLooked() {
        Path missing = dir.resolve("nothing-here");
        for (String experiment : ReproduceCommand.EXPERIMENTS) {
            CliRun r = CliRun.of("reproduce", experiment, "--data", missing.toString(), "--out",
                    dir.resolve("x").toString());
            assertEquals(2, r.exitCode(), experiment + ": " + r.err());
            assertTrue(r.firstErrorLine().contains("looked at " + missing.toAbsolutePath()), r.err());
        }
    }
}
