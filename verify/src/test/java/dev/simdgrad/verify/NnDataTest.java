package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.BinarySubset;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.data.Idx;
import dev.simdgrad.nn.data.IdxFormatException;
import dev.simdgrad.nn.data.LabelCorruption;
import dev.simdgrad.nn.data.TeacherDataset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IDX reading and its errors, the embedded subset, label corruption, binary subsets, teacher data. */
class NnDataTest {
    @TempDir
    Path dir;

    private static byte[] idx(int type, int[] dims, int payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(type);
        out.write(dims.length);
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
        }
        for (int i = 0; i < payload; i++) {
            out.write(i * 7);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] b) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, b);
        return f;
    }

    @Test
    void readsRawAndGzip() throws IOException {
        byte[] raw = idx(0x08, new int[] {3, 2, 4}, 24);
        Idx a = Idx.read(write("a", raw)), b = Idx.read(write("b.gz", gzip(raw)));
        assertArrayEquals(new int[] {3, 2, 4}, a.dimensions());
        assertEquals(3, a.items());
        assertEquals(8, a.itemSize());
        assertArrayEquals(Arrays.copyOfRange(raw, 16, raw.length), a.data());
        assertArrayEquals(a.data(), b.data());
    }

    private void rejects(byte[] bytes, String expectedFragment) throws IOException {
        Path f = write("bad", bytes);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), "the message names the file: " + e.getMessage());
    }

    @Test
    void clearErrorsForMalformedFiles() throws IOException {
        byte[] good = idx(0x08, new int[] {2, 3}, 6);
        byte[] badMagic = good.clone();
        badMagic[1] = 1;
        rejects(badMagic, "bad magic");
        rejects(idx(0x0D, new int[] {2}, 8), "not supported");
        rejects(idx(0x08, new int[] {}, 0), "zero dimensions");
        rejects(idx(0x08, new int[] {2, 0}, 0), "dimension 1 is 0");
        rejects(Arrays.copyOf(good, 6), "truncated header");
        rejects(Arrays.copyOf(good, good.length - 1), "truncated");
        rejects(Arrays.copyOf(good, good.length + 3), "trailing");
        rejects(new byte[] {0, 0}, "too short");
        byte[] gz = gzip(idx(0x08, new int[] {100}, 100));
        rejects(Arrays.copyOf(gz, gz.length / 2), "truncated gzip");
        byte[] corrupt = gz.clone();
        corrupt[12] ^= 0x5a;
        corrupt[13] ^= 0x5a;
        Path f = write("corrupt.gz", corrupt);
        assertThrows(IdxFormatException.class, () -> Idx.read(f));
    }

    @Test
    void embeddedSubsetIsClassBalanced() throws IOException {
        FashionMnist.Split s = FashionMnist.embedded();
        assertEquals(5000, s.train().size());
        assertEquals(1000, s.test().size());
        assertEquals(784, s.train().features());
        int[] train = new int[10], test = new int[10];
        for (int i = 0; i < 5000; i++) {
            train[s.train().label(i)]++;
        }
        for (int i = 0; i < 1000; i++) {
            test[s.test().label(i)]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(500, train[c]);
            assertEquals(100, test[c]);
        }
        float max = 0;
        for (int j = 0; j < 784; j++) {
            assertTrue(s.train().x(7, j) >= 0 && s.train().x(7, j) <= 1);
            max = Math.max(max, s.train().x(7, j));
        }
        assertTrue(max > 0.5f, "pixels scaled to [0, 1]");
    }

    @Test
    void embeddedSubsetIsTheFirstExamplesOfEachClassOfTheInstalledDataset() throws IOException {
        Path system = Path.of(FashionMnist.SYSTEM_DIR);
        Assumptions.assumeTrue(Files.isDirectory(system), "Fashion-MNIST not installed");
        Dataset full = FashionMnist.load(system, 10_000, 1).train();
        Dataset sub = FashionMnist.embedded().train();
        int[] seen = new int[10];
        int r = 0;
        for (int i = 0; i < full.size() && r < 1000; i++) {
            int c = full.label(i);
            if (seen[c]++ < 500) {
                assertEquals(c, sub.label(r));
                for (int j = 0; j < 784; j += 13) {
                    assertEquals(full.x(i, j), sub.x(r, j));
                }
                r++;
            }
        }
        assertEquals(1000, r);
    }

    @Test
    void locateRejectsAMissingExplicitDirectory() {
        assertThrows(IOException.class, () -> FashionMnist.locate(dir.resolve("nope")));
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(dir, 1, 1));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }

    private static Dataset labelled(int n, int classes, long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        int[] y = new int[n];
        float[] x = new float[n * 2];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(classes);
            x[2 * i] = i;
            x[2 * i + 1] = -i;
        }
        return Dataset.classification(n, 2, x, y, classes);
    }

    @Test
    void labelCorruptionPermutesTheSelectedLabels() {
        Dataset clean = labelled(1000, 10, 1);
        for (double p : new double[] {0, 0.013, 0.2, 0.5, 1}) {
            LabelCorruption lc = LabelCorruption.apply(clean, p, 99);
            assertEquals(Math.round(p * 1000), lc.corruptedCount());
            int[] before = new int[10], after = new int[10], selBefore = new int[10], selAfter = new int[10];
            for (int i = 0; i < 1000; i++) {
                before[clean.label(i)]++;
                after[lc.data().label(i)]++;
                if (lc.corrupted()[i]) {
                    selBefore[clean.label(i)]++;
                    selAfter[lc.data().label(i)]++;
                } else {
                    assertEquals(clean.label(i), lc.data().label(i), "unselected labels are untouched");
                }
                assertEquals(clean.x(i, 0), lc.data().x(i, 0), "inputs are untouched");
            }
            assertArrayEquals(before, after);
            assertArrayEquals(selBefore, selAfter, "a permutation among the selected examples");
            boolean[] changed = lc.changed(clean);
            for (int i = 0; i < 1000; i++) {
                assertTrue(!changed[i] || lc.corrupted()[i]);
            }
            assertArrayEquals(lc.corrupted(), LabelCorruption.apply(clean, p, 99).corrupted(), "same seed");
            assertArrayEquals(lc.data().labels(), LabelCorruption.apply(clean, p, 99).data().labels());
        }
        LabelCorruption half = LabelCorruption.apply(clean, 0.5, 99);
        int changed = 0;
        for (boolean b : half.changed(clean)) {
            changed += b ? 1 : 0;
        }
        // A random permutation of 500 labels over 10 classes changes about 90 % of them.
        assertTrue(changed > 400 && changed < 490, "changed " + changed);
        assertFalse(Arrays.equals(half.corrupted(), LabelCorruption.apply(clean, 0.5, 100).corrupted()));
        assertThrows(IllegalArgumentException.class, () -> LabelCorruption.apply(clean, 1.5, 1));
    }

    @Test
    void binarySubsetHasSignTargets() {
        Dataset clean = labelled(300, 4, 2);
        Dataset bin = BinarySubset.of(clean, 3, 1);
        int expected = 0;
        for (int i = 0; i < 300; i++) {
            expected += clean.label(i) == 3 || clean.label(i) == 1 ? 1 : 0;
        }
        assertEquals(expected, bin.size());
        assertEquals(1, bin.targetWidth());
        for (int i = 0; i < bin.size(); i++) {
            assertEquals(bin.label(i) == 1 ? 1f : -1f, bin.target(i, 0));
        }
        Dataset unit = bin.unitNormalized();
        for (int i = 1; i < unit.size(); i++) {
            double n = Math.hypot(unit.x(i, 0), unit.x(i, 1));
            assertEquals(1, n, 1e-6);
        }
    }

    @Test
    void teacherDataIsSeededAndOnTheSphere() {
        TwoLayerNet teacher = TwoLayerNet.initialize(NetSpec.standard(5, 8, 3, Activation.TANH), 4);
        Dataset a = TeacherDataset.generate(teacher, 50, true, 7), b = TeacherDataset.generate(teacher, 50, true, 7);
        assertArrayEquals(a.inputs(), b.inputs());
        assertArrayEquals(a.targets(), b.targets());
        assertEquals(3, a.targetWidth());
        for (int i = 0; i < 50; i++) {
            double s = 0;
            for (int j = 0; j < 5; j++) {
                s += a.x(i, j) * a.x(i, j);
            }
            assertEquals(1, s, 1e-5);
            int best = 0;
            for (int c = 1; c < 3; c++) {
                best = a.target(i, c) > a.target(i, best) ? c : best;
            }
            assertEquals(best, a.label(i));
        }
    }
}
