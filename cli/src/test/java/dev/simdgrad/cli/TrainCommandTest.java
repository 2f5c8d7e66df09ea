package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.nn.io.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train} end to end on tiny sizes: output lines, files, saved model, and the usage errors. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private static final String[] TINY = {"train", "--train-size", "200", "--test-size", "100", "--hidden", "16",
        "--epochs", "2", "--batch", "50", "--seed", "3"};

    private CliRun train(String... extra) {
        String[] args = new String[TINY.length + extra.length];
        System.arraycopy(TINY, 0, args, 0, TINY.length);
        System.arraycopy(extra, 0, args, TINY.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void trainsPrintsAnEpochLineAndWritesMetricsChartsAndTheModel() throws Exception {
        Path out = dir.resolve("run");
        Path model = dir.resolve("model.sgnn");
        CliRun r = train("--noise", "0.5", "--out", out.toString(), "--save", model.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("epoch 1/2"), r.out());
        assertTrue(r.out().contains("epoch 2/2"), r.out());
        assertTrue(r.out().contains("corrupted"), r.out());
        assertEquals(2, CliRun.numericCsv(out.resolve("metrics.csv")).size());
        String json = Files.readString(out.resolve("metrics.json"));
        assertTrue(json.contains("\"testAccuracy\""), json);
        for (String png : new String[] {"accuracy.png", "loss.png"}) {
            assertTrue(Files.size(out.resolve(png)) > 1000, png);
        }
        var net = ModelFile.load(model);
        assertEquals(16, net.spec().hidden());
    }

    @Test
    void sameSeedSameMetrics() throws Exception {
        CliRun a = train("--out", dir.resolve("a").toString());
        CliRun b = train("--out", dir.resolve("b").toString(), "--threads", "1");
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(0, b.exitCode(), b.err());
        // Everything but the wall-clock column agrees bit for bit, whatever the thread count.
        var la = CliRun.numericCsv(dir.resolve("a/metrics.csv"));
        var lb = CliRun.numericCsv(dir.resolve("b/metrics.csv"));
        for (int i = 0; i < la.size(); i++) {
            assertEquals(la.get(i).substring(0, la.get(i).lastIndexOf(',')),
                    lb.get(i).substring(0, lb.get(i).lastIndexOf(',')));
        }
    }

    @Test
    void everyRegularizerAndARobustStrategyRun() {
        for (String reg : new String[] {"fgr", "bgr", "db", "sam", "flooding"}) {
            CliRun r = train("--regularizer", reg, "--out", dir.resolve(reg).toString());
            assertEquals(0, r.exitCode(), reg + ": " + r.err());
        }
        for (String strategy : new String[] {"sum", "median", "trim:2", "mom:5", "clip:1.0", "rm3"}) {
            CliRun r = train("--strategy", strategy, "--out", dir.resolve(strategy.replace(':', '-')).toString());
            assertEquals(0, r.exitCode(), strategy + ": " + r.err());
        }
        CliRun w = train("--strategy", "winsorize:2", "--momentum", "0.9", "--nesterov",
                "--schedule", "cosine", "--activation", "tanh", "--out", dir.resolve("w").toString());
        assertEquals(0, w.exitCode(), w.err());
        assertTrue(w.out().contains("winsorize(2)"), w.out());
    }

    @Test
    void badOptionsAreOneLineErrorsWithUsageAndExitCode2() {
        String[][] cases = {
            {"--hidden", "0"}, {"--strategy", "bogus"}, {"--activation", "sigmoid"}, {"--noise", "1.5"},
            {"--schedule", "step:x:1"}, {"--regularizer", "l2"}, {"--nesterov"}, {"--no-such-option"},
            {"--epochs", "many"}, {"--gamma", "-1", "--regularizer", "fgr"}, {"--strategy", "clip:0"},
            {"--strategy", "winsorize"}, {"--strategy", "mom:x"},
        };
        for (String[] c : cases) {
            CliRun r = train(c);
            assertEquals(2, r.exitCode(), String.join(" ", c) + ": " + r.out() + r.err());
            assertTrue(r.err().contains("Usage: simdgrad train"), r.err());
            assertTrue(!r.firstErrorLine().isBlank() && !r.firstErrorLine().startsWith("Usage"), r.err());
        }
    }

    @Test
    void aMissingDataDirectorySaysWhereItLooked() {
        Path missing = dir.resolve("no-such-data");
        CliRun r = train("--data", missing.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.firstErrorLine().contains("looked at " + missing.toAbsolutePath()), r.err());
    }

    @Test
    void aDataDirectoryWithoutTheFilesNamesTheMissingFile() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun r = train("--data", empty.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("train-images-idx3-ubyte") && r.err().contains(empty.toString()), r.err());
    }
}
