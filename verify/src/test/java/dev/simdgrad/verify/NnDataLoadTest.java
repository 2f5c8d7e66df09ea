package dev.simdgrad.verify;

import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.data.Idx;
import dev.simdgrad.nn.data.IdxFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading a data directory: errors name the file(s) and are raised at load, before any training; a file's declared
 * size is checked against its length before the payload is allocated, and a stream is never read past its
 * declared size (so a gzip bomb or a huge file ends in a one-line error, not an OutOfMemoryError).
 */
class NnDataLoadTest {
    @TempDir
    Path dir;

    /** An IDX header for {@code dims} followed by {@code payload} bytes of i * 7, or by the given labels. */
    static byte[] idx(int[] dims, int payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out, dims);
        for (int i = 0; i < payload; i++) {
            out.write(i * 7);
        }
        return out.toByteArray();
    }

    private static void header(OutputStream out, int[] dims) {
        try {
            out.write(new byte[] {0, 0, 0x08, (byte) dims.length});
            for (int d : dims) {
                out.write(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] labels(int... y) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        header(out, new int[] {y.length});
        for (int v : y) {
            out.write(v);
        }
        return out.toByteArray();
    }

    private static int[] classes(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
        }
        return y;
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    /** A data directory: train n x s x s images, test t x u x u images, labels 0..9 cycling. */
    private Path dataDir(String name, int n, int s, int t, int u) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.write(d.resolve("train-images-idx3-ubyte.gz"), gzip(idx(new int[] {n, s, s}, n * s * s)));
        Files.write(d.resolve("train-labels-idx1-ubyte"), labels(classes(n)));
        Files.write(d.resolve("t10k-images-idx3-ubyte"), idx(new int[] {t, u, u}, t * u * u));
        Files.write(d.resolve("t10k-labels-idx1-ubyte.gz"), gzip(labels(classes(t))));
        return d;
    }

    @Test
    void aConsistentDirectoryLoads() throws IOException {
        Path d = dataDir("ok", 20, 4, 7, 4);
        FashionMnist.Split s = FashionMnist.load(d, 15, 100);
        assertEquals(15, s.train().size());
        assertEquals(7, s.test().size());
        assertEquals(16, s.train().features());
        assertEquals(16, s.test().features());
        assertEquals(7f * 3 / 255f, s.train().x(0, 3));
        assertEquals(List.of(), FashionMnist.missingFiles(d));
    }

    @Test
    void twoDimensionalSamplesLoad() throws IOException {
        Path d = Files.createDirectories(dir.resolve("flat"));
        Files.write(d.resolve("train-images-idx3-ubyte"), idx(new int[] {6, 5}, 30));
        Files.write(d.resolve("train-labels-idx1-ubyte"), labels(new int[] {0, 1, 2, 0, 1, 2}));
        Files.write(d.resolve("t10k-images-idx3-ubyte"), idx(new int[] {2, 5}, 10));
        Files.write(d.resolve("t10k-labels-idx1-ubyte"), labels(new int[] {2, 0}));
        FashionMnist.Split s = FashionMnist.load(d, 100, 100);
        assertEquals(5, s.train().features());
        assertEquals(3, s.train().classes());
        assertEquals(2, s.test().size());
        Files.write(d.resolve("t10k-images-idx3-ubyte"), idx(new int[] {2, 4}, 8));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(d, 100, 100));
        assertTrue(e.getMessage().contains("differ in shape") && e.getMessage().contains(" 5 ")
                && e.getMessage().contains(" 4"), e.getMessage());
    }

    @Test
    void trainAndTestImagesOfDifferentShapesAreRejectedAtLoadNamingBothFiles() throws IOException {
        Path d = dataDir("shapes", 20, 4, 10, 5);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(d, 100, 100));
        String m = e.getMessage();
        assertTrue(m.contains(d.resolve("train-images-idx3-ubyte.gz").toString()) && m.contains("4x4"), m);
        assertTrue(m.contains(d.resolve("t10k-images-idx3-ubyte").toString()) && m.contains("5x5"), m);
    }

    @Test
    void countAndLabelErrorsNameTheFiles() throws IOException {
        Path d = dataDir("count", 20, 3, 5, 3);
        Path labelsFile = d.resolve("train-labels-idx1-ubyte");
        Files.write(labelsFile, labels(java.util.Arrays.copyOf(classes(20), 19)));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(d, 100, 100));
        assertTrue(e.getMessage().contains("20 images") && e.getMessage().contains("19 labels"), e.getMessage());
        assertTrue(e.getMessage().contains(d.resolve("train-images-idx3-ubyte.gz").toString()), e.getMessage());
        assertTrue(e.getMessage().contains(labelsFile.toString()), e.getMessage());

        // IDX files declare no class count: the classes are 0 .. the largest label of either file, so a label 10
        // makes an 11-class problem, for both splits (the network's outputs do not depend on --train-size).
        int[] y = classes(20);
        y[19] = 10;
        Files.write(labelsFile, labels(y));
        FashionMnist.Split eleven = FashionMnist.load(d, 5, 100);
        assertEquals(11, eleven.train().classes());
        assertEquals(11, eleven.test().classes());

        Files.write(labelsFile, idx(new int[] {20, 1}, 20));
        e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(d, 100, 100));
        assertTrue(e.getMessage().startsWith(labelsFile.toString()) && e.getMessage().contains("1 dimension"),
                e.getMessage());
    }

    @Test
    void missingFilesAreListedAndNamed() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"), FashionMnist.missingFiles(empty));
        Path d = dataDir("partial", 10, 2, 10, 2);
        Files.delete(d.resolve("t10k-labels-idx1-ubyte.gz"));
        assertEquals(List.of("t10k-labels-idx1-ubyte"), FashionMnist.missingFiles(d));
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(d, 10, 10));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte") && e.getMessage().contains(d.toString()),
                e.getMessage());
    }

    @Test
    void aNegativeLimitIsRejected() throws IOException {
        Path d = dataDir("neg", 10, 2, 10, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(d, -1, 5));
        assertTrue(e.getMessage().contains("maxTrain=-1"), e.getMessage());
    }

    /** 3 GB on disk (sparse: nothing is written) behind a header that declares 1,000 bytes. */
    @Test
    void aHugeRawFileIsRejectedFromItsHeaderWithoutBeingRead() throws IOException {
        Path f = dir.resolve("huge-idx3-ubyte");
        Files.write(f, idx(new int[] {10, 10, 10}, 0));
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(3L << 30);
        }
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void aGzipDeclaringMoreThanItCanHoldIsRejectedBeforeReading() throws IOException {
        Path f = dir.resolve("bomb-header.gz");
        Files.write(f, gzip(idx(new int[] {2_000_000_000}, 100)));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("can hold"), e.getMessage());
    }

    /** An endless stream behind a header declaring 100 bytes: read stops one byte past the declared payload. */
    @Test
    void aStreamLongerThanDeclaredIsRejectedAfterTheDeclaredBytes() {
        byte[] head = idx(new int[] {10, 10}, 0);
        long[] served = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return served[0] < head.length ? head[(int) served[0]++] & 0xff : (int) (served[0]++ & 0);
            }
        };
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Idx.read(endless, "endless"));
        assertTrue(e.getMessage().startsWith("endless: unexpected trailing bytes"), e.getMessage());
        assertTrue(served[0] <= head.length + 100 + 8192 + 1, "read " + served[0] + " bytes");
    }

    /**
     * A 24 KB gzip file that expands to 96 MB behind a header declaring 100 bytes, read by a JVM with a 32 MB heap:
     * a one-line error, no OutOfMemoryError (reading the whole stream first would need the 96 MB).
     */
    @Test
    void aGzipBombEndsInAFormatErrorNotAnOutOfMemoryError() throws Exception {
        Path f = dir.resolve("bomb-idx1-ubyte.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(idx(new int[] {100}, 100));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 96; i++) {
                out.write(zeros);
            }
        }
        assertTrue(Files.size(f) < 1 << 20, "compressed size " + Files.size(f));
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), f.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("rejected: " + f + ": unexpected trailing bytes"), out);
        assertTrue(out.contains("gzip stream expands beyond"), out);
    }

    /** The child: reads the file named by its argument and prints how that ended. */
    public static final class Child {
        public static void main(String[] args) {
            try {
                Idx.read(Path.of(args[0]));
                System.out.println("accepted");
            } catch (IdxFormatException e) {
                System.out.println("rejected: " + e.getMessage());
            } catch (IOException | OutOfMemoryError e) {
                System.out.println("failed: " + e);
                System.exit(3);
            }
        }
    }
}
