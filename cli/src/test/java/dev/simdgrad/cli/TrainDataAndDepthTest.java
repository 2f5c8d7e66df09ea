package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.io.ModelFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} and {@code evaluate} at any depth and on the data formats researchers use: {@code --hidden A,B},
 * the embedded MNIST subset, an NPY directory, {@code --preprocess} and the binary task of {@code --classes}.
 */
class TrainDataAndDepthTest {
    @TempDir
    Path dir;

    private static String[] args(String... a) {
        List<String> l = new ArrayList<>(List.of("train", "--epochs", "2", "--batch", "50", "--test-size", "100"));
        l.addAll(List.of(a));
        return l.toArray(String[]::new);
    }

    @Test
    void aThreeLayerNetworkOnMnistTrainsSavesAndEvaluates() throws Exception {
        Path model = dir.resolve("deep.sgnn");
        CliRun r = CliRun.of(args("--hidden", "32,16", "--dataset", "mnist", "--train-size", "500", "--out",
                dir.resolve("run").toString(), "--save", model.toString()));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("784-32-16-10") && r.out().contains("MNIST"), r.out());
        DenseNetwork net = ModelFile.loadNetwork(model);
        assertEquals(3, net.layerCount());
        String lastTest = r.out().lines().filter(l -> l.startsWith("epoch 2/2")).findFirst().orElseThrow()
                .replaceAll(".*test acc (\\d\\.\\d{3}).*", "$1");
        // Two epochs on 500 digits: far above chance (0.1), which is all this checks.
        assertTrue(Double.parseDouble(lastTest) > 0.3, "learns digits: " + r.out());
        CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--dataset", "mnist", "--train-size", "500",
                "--test-size", "100");
        assertEquals(0, e.exitCode(), e.err());
        String evaluated = e.out().lines().filter(l -> l.startsWith("test ")).findFirst().orElseThrow()
                .replaceAll(".*accuracy (\\d\\.\\d{4}).*", "$1");
        assertEquals(Double.parseDouble(lastTest), Double.parseDouble(evaluated), 0.0006, e.out());
        // The same model against the Fashion-MNIST subset: same shapes, so it evaluates (a different dataset is the
        // user's call); against a binary task with one output it is refused.
        CliRun mismatch = CliRun.of("evaluate", "--model", model.toString(), "--classes", "1,2", "--loss", "squared",
                "--test-size", "10");
        assertEquals(2, mismatch.exitCode(), mismatch.err());
    }

    /** An .npy file as numpy.save writes it (version 1.0). */
    private static byte[] npy(String descr, String shape, byte[] payload) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(payload);
        return b.array();
    }

    /** Three Gaussian blobs in 5 dimensions as float32 NPY arrays, labels int64. */
    private void blobs(Path d, int n, String prefix, long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer x = ByteBuffer.allocate(4 * 5 * n).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer y = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            for (int j = 0; j < 5; j++) {
                x.putFloat((float) (100 + (j == c ? 40 : 0) + 5 * r.nextGaussian()));   // far from 0: preprocess
            }
            y.putLong(c);
        }
        Files.write(d.resolve(prefix + "_x.npy"), npy("<f4", n + ", 5", x.array()));
        Files.write(d.resolve(prefix + "_y.npy"), npy("<i8", n + ",", y.array()));
    }

    @Test
    void anNpyDirectoryWithThreeClassesTrainsAfterStandardizing() throws Exception {
        Path data = Files.createDirectories(dir.resolve("npy"));
        blobs(data, 300, "train", 1);
        blobs(data, 90, "test", 2);
        CliRun r = CliRun.of("train", "--data", data.toString(), "--preprocess", "standardize", "--hidden", "8",
                "--epochs", "5", "--batch", "30", "--out", dir.resolve("run").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("5-8-3") && r.out().contains("NPY, 3 classes"), r.out());
        String acc = r.out().lines().filter(l -> l.startsWith("epoch 5/5")).findFirst().orElseThrow()
                .replaceAll(".*test acc (\\d\\.\\d{3}).*", "$1");
        assertTrue(Double.parseDouble(acc) > 0.9, r.out());
        // A half-written NPY directory names what it lacks; a bad preprocessing or dataset name is a usage error.
        Files.delete(data.resolve("test_y.npy"));
        CliRun missing = CliRun.of("train", "--data", data.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.firstErrorLine().contains("test_y.npy"), missing.err());
        assertEquals(2, CliRun.of("train", "--preprocess", "whiten", "--out", dir.resolve("x").toString())
                .exitCode());
        assertEquals(2, CliRun.of("train", "--dataset", "cifar", "--out", dir.resolve("x").toString()).exitCode());
        assertEquals(2, CliRun.of("train", "--dataset", "mnist", "--data", data.toString(), "--out",
                dir.resolve("x").toString()).exitCode());
    }

    @Test
    void aBinaryTaskWithTheSquaredLossHasOneOutputAndPlusMinusOneTargets() {
        CliRun r = CliRun.of(args("--classes", "0,1", "--loss", "squared", "--lr", "0.5", "--preprocess",
                "unit-norm", "--train-size", "300", "--out", dir.resolve("run").toString()));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("784-256-1") && r.out().contains("classes 0 (+1) vs 1 (-1)"), r.out());
        String acc = r.out().lines().filter(l -> l.startsWith("epoch 2/2")).findFirst().orElseThrow()
                .replaceAll(".*test acc (\\d\\.\\d{3}).*", "$1");
        assertTrue(Double.parseDouble(acc) > 0.8, "T-shirts vs trousers: " + r.out());
        CliRun bad = CliRun.of(args("--classes", "0,12", "--out", dir.resolve("x").toString()));
        assertEquals(2, bad.exitCode());
        assertTrue(bad.firstErrorLine().startsWith("--classes"), bad.err());
    }
}
