package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.data.IdxFormatException;
import dev.simdgrad.nn.data.Npy;
import dev.simdgrad.nn.data.NpyDirectory;
import dev.simdgrad.nn.data.Preprocessing;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NPY arrays and the NPY directory layout as NumPy writes them; preprocessing fitted on the training split. */
class NnNpyTest {
    @TempDir
    Path dir;

    /** An .npy file as numpy.save writes it (version 1.0, header padded to a multiple of 64 bytes). */
    static byte[] npy(String descr, String shape, byte[] payload, int major) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        int prefix = 6 + 2 + (major == 1 ? 2 : 4);
        int total = (prefix + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - prefix - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) header.length());
        } else {
            b.putInt(header.length());
        }
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(payload);
        return b.array();
    }

    static byte[] floats(ByteOrder order, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static byte[] longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return b.array();
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void readsEveryAcceptedDtypeBothByteOrdersAndVersions() throws Exception {
        Npy f = Npy.read(write("f.npy", npy("<f4", "2, 2", floats(ByteOrder.LITTLE_ENDIAN, 1, -2, 3.5f, 0), 1)));
        assertArrayEquals(new long[] {2, 2}, f.shape());
        assertArrayEquals(new float[] {1, -2, 3.5f, 0}, f.floats());
        Npy big = Npy.read(write("b.npy", npy(">f4", "3,", floats(ByteOrder.BIG_ENDIAN, 1, 2, 3), 2)));
        assertArrayEquals(new float[] {1, 2, 3}, big.floats());
        Npy u8 = Npy.read(write("u.npy", npy("|u1", "3,", new byte[] {0, (byte) 200, (byte) 255}, 3)));
        assertArrayEquals(new float[] {0, 200, 255}, u8.floats());
        assertTrue(u8.isUnsignedByte());
        Npy i8 = Npy.read(write("i.npy", npy("<i8", "3,", longs(7, 0, 9), 1)));
        assertArrayEquals(new int[] {7, 0, 9}, i8.ints());
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(-1e300);
        assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY}, Npy.read(write("d.npy", npy("<f8", "2,",
                d.array(), 1))).floats());
        Npy scalar = Npy.read(write("s.npy", npy("<f4", "", floats(ByteOrder.LITTLE_ENDIAN, 5), 1)));
        assertEquals(1, scalar.count());
    }

    @Test
    void refusesWhatItCannotReadNamingTheFile() throws Exception {
        byte[] ok = npy("<f4", "2,", floats(ByteOrder.LITTLE_ENDIAN, 1, 2), 1);
        Path truncated = write("t.npy", Arrays.copyOf(ok, ok.length - 1));
        Path longer = write("l.npy", Arrays.copyOf(ok, ok.length + 4));
        Path fortran = write("fo.npy", npy("<f4", "2,", floats(ByteOrder.LITTLE_ENDIAN, 1, 2), 1));
        Files.writeString(fortran, Files.readString(fortran, StandardCharsets.ISO_8859_1).replace("False", "True "),
                StandardCharsets.ISO_8859_1);
        Path object = write("o.npy", npy("|O", "2,", new byte[16], 1));
        Path bool = write("b.npy", npy("|b1", "2,", new byte[2], 1));
        Path notNpy = write("n.npy", "hello world, not numpy".getBytes(StandardCharsets.US_ASCII));
        // A header that declares 2^40 floats in a file of a few bytes: refused before allocating anything.
        Path huge = write("h.npy", npy("<f4", "1099511627776,", new byte[8], 1));
        for (Path p : new Path[] {truncated, longer, fortran, object, bool, notNpy, huge}) {
            IdxFormatException e = assertThrows(IdxFormatException.class, () -> Npy.read(p), p.toString());
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        }
        assertThrows(IdxFormatException.class, () -> Npy.read(write("fl.npy", npy("<f4", "1,",
                floats(ByteOrder.LITTLE_ENDIAN, 1.5f), 1))).ints());
    }

    private void layout(String trainShape, byte[] trainX, long[] trainY, String testShape, byte[] testX,
                        long[] testY) throws Exception {
        write("train_x.npy", npy("|u1", trainShape, trainX, 1));
        write("train_y.npy", npy("<i8", trainY.length + ",", longs(trainY), 1));
        write("test_x.npy", npy("|u1", testShape, testX, 1));
        write("test_y.npy", npy("<i8", testY.length + ",", longs(testY), 1));
    }

    @Test
    void loadsTheDirectoryLayoutWithAnyNumberOfClassesAndSampleShape() throws Exception {
        byte[] tx = new byte[3 * 2 * 3], sx = new byte[2 * 2 * 3];
        for (int i = 0; i < tx.length; i++) {
            tx[i] = (byte) (i * 10);
        }
        layout("3, 2, 3", tx, new long[] {0, 11, 4}, "2, 2, 3", sx, new long[] {1, 2});
        assertTrue(NpyDirectory.isNpy(dir));
        FashionMnist.Split s = NpyDirectory.load(dir, Integer.MAX_VALUE, 1);
        Dataset train = s.train();
        assertEquals(3, train.size());
        assertEquals(6, train.features());
        assertEquals(12, train.classes());
        assertEquals(11, train.label(1));
        assertEquals(170 / 255f, train.x(2, 5));
        assertEquals(1, s.test().size());
    }

    @Test
    void inconsistentArraysAreRefusedAtLoadNamingTheFiles() throws Exception {
        layout("3, 4", new byte[12], new long[] {0, 1}, "1, 4", new byte[4], new long[] {0});
        var e = assertThrows(IdxFormatException.class, () -> NpyDirectory.load(dir, 10, 10));
        assertTrue(e.getMessage().contains("train_x.npy holds 3 samples") && e.getMessage().contains("train_y.npy"),
                e.getMessage());
        layout("2, 4", new byte[8], new long[] {0, 1}, "1, 5", new byte[5], new long[] {0});
        e = assertThrows(IdxFormatException.class, () -> NpyDirectory.load(dir, 10, 10));
        assertTrue(e.getMessage().contains("differ in shape"), e.getMessage());
        layout("2, 4", new byte[8], new long[] {0, -1}, "1, 4", new byte[4], new long[] {0});
        e = assertThrows(IdxFormatException.class, () -> NpyDirectory.load(dir, 10, 10));
        assertTrue(e.getMessage().contains("train_y.npy: label 1 is -1"), e.getMessage());
        Files.delete(dir.resolve("test_y.npy"));
        var missing = assertThrows(java.nio.file.NoSuchFileException.class, () -> NpyDirectory.load(dir, 10, 10));
        assertTrue(missing.getMessage().contains("test_y.npy"), missing.getMessage());
    }

    @Test
    void theEmbeddedMnistSubsetIsClassBalancedDigits() throws Exception {
        FashionMnist.Split m = FashionMnist.embeddedMnist();
        assertEquals(5000, m.train().size());
        assertEquals(1000, m.test().size());
        assertEquals(784, m.train().features());
        int[] perClass = new int[10];
        for (int i = 0; i < m.train().size(); i++) {
            perClass[m.train().label(i)]++;
        }
        int[] five = new int[10];
        Arrays.fill(five, 500);
        assertArrayEquals(five, perClass);
        // MNIST digits are dark background with bright strokes: most pixels are exactly 0 (Fashion-MNIST's are not).
        long zeros = 0;
        float[] x = m.test().inputs();
        for (float v : x) {
            zeros += v == 0 ? 1 : 0;
        }
        assertTrue(zeros > 0.75 * x.length, "zero pixels: " + zeros + " of " + x.length);
    }

    @Test
    void preprocessingIsFittedOnTheTrainingSplitOnly() {
        Dataset train = Dataset.classification(3, 2, new float[] {0, 10, 2, 10, 4, 10}, new int[] {0, 1, 0}, 2);
        Dataset test = Dataset.classification(1, 2, new float[] {6, 12}, new int[] {1}, 2);
        FashionMnist.Split s = new FashionMnist.Split(train, test, "t");
        FashionMnist.Split scaled = Preprocessing.SCALE.apply(s);
        assertArrayEquals(new float[] {0, 0, 0.5f, 0, 1, 0}, scaled.train().inputs());
        assertArrayEquals(new float[] {1.5f, 0}, scaled.test().inputs());   // test statistics do not leak in
        FashionMnist.Split centred = Preprocessing.CENTER.apply(s);
        assertArrayEquals(new float[] {-2, 0, 0, 0, 2, 0}, centred.train().inputs());
        assertArrayEquals(new float[] {4, 2}, centred.test().inputs());
        FashionMnist.Split std = Preprocessing.STANDARDIZE.apply(s);
        float sd = (float) Math.sqrt(8.0 / 3);
        assertEquals(-2 / sd, std.train().x(0, 0), 1e-6);
        assertEquals(0f, std.train().x(0, 1));   // a constant feature is only centred
        assertEquals(4 / sd, std.test().x(0, 0), 1e-6);
        FashionMnist.Split unit = Preprocessing.UNIT_NORM.apply(s);
        assertEquals(1.0, Math.hypot(unit.test().x(0, 0), unit.test().x(0, 1)), 1e-6);
        assertEquals(1, unit.train().label(1));
        assertTrue(Preprocessing.NONE.apply(s) == s);
        assertEquals(Preprocessing.UNIT_NORM, Preprocessing.parse("unit-norm"));
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.parse("whiten"));
    }
}
