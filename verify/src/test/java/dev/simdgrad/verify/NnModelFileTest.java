package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.io.ModelFile;
import dev.simdgrad.nn.io.ModelFormatException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model files as files: permissions, failed saves, stray temporary files, symbolic links, unknown flag bits, and
 * files whose header disagrees with their length (rejected before the parameters are allocated).
 */
class NnModelFileTest {
    /** Offset of the flags byte: magic, version, d, m, k, three enum codes. */
    private static final int FLAGS = 4 + 4 + 12 + 3;

    @TempDir
    Path dir;

    private static TwoLayerNet net(long seed) {
        return TwoLayerNet.initialize(NetSpec.standard(6, 4, 3, Activation.RELU), seed);
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean posix(Path d) throws IOException {
        return Files.getFileStore(d).supportsFileAttributeView("posix");
    }

    @Test
    void aSavedFileHasThePermissionsOfANewFileOrOfTheFileItReplaces() throws IOException {
        Assumptions.assumeTrue(posix(dir), "no POSIX permissions here");
        Path plain = Files.createFile(dir.resolve("plain"));
        Path f = dir.resolve("m.bin");
        ModelFile.save(net(1), f);
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), "umask applies, as to any new file");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        ModelFile.save(net(2), f);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertArrayEquals(net(2).parameters(), ModelFile.load(f).parameters());
    }

    @Test
    void aFailedSaveNamesTheTargetAndLeavesItAsItWas() throws IOException {
        Path f = dir.resolve("m.bin");
        ModelFile.save(net(1), f);
        // The temporary file cannot be created: a directory stands where it would go.
        Files.createDirectories(dir.resolve(".m.bin.tmp").resolve("blocker"));
        IOException e = assertThrows(IOException.class, () -> ModelFile.save(net(2), f));
        assertTrue(e.getMessage().startsWith("cannot save the model to " + f + ": "), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp"), "names the target, not its temporary file: " + e.getMessage());
        assertArrayEquals(net(1).parameters(), ModelFile.load(f).parameters(), "the old model is intact");

        Path sub = Files.createDirectories(dir.resolve("sub"));
        Files.createFile(sub.resolve("x"));
        e = assertThrows(IOException.class, () -> ModelFile.save(net(1), sub));
        assertTrue(e.getMessage().contains(sub + ": it is a directory"), e.getMessage());
        Path orphan = dir.resolve("no-such-dir").resolve("m.bin");
        e = assertThrows(IOException.class, () -> ModelFile.save(net(1), orphan));
        assertTrue(e.getMessage().startsWith("cannot save the model to " + orphan) && e.getMessage()
                .contains("does not exist"), e.getMessage());
    }

    /** What a save killed between writing and renaming leaves behind: its temporary file, half written. */
    @Test
    void theNextSaveRemovesTheTemporaryFileOfAKilledSave() throws IOException {
        Path f = dir.resolve("m.bin");
        ModelFile.save(net(1), f);
        Files.write(dir.resolve(".m.bin.tmp"), new byte[] {'S', 'G', 'N', 'N', 0, 0});
        ModelFile.save(net(2), f);
        assertEquals(List.of("m.bin"), names(dir));
        assertArrayEquals(net(2).parameters(), ModelFile.load(f).parameters());
    }

    /** A symbolic link planted under the temporary file's name is removed, not written through. */
    @Test
    void aLinkUnderTheTemporaryNameIsNotFollowed() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "keep me");
        Files.createSymbolicLink(dir.resolve(".m.bin.tmp"), victim);
        Path f = dir.resolve("m.bin");
        ModelFile.save(net(1), f);
        assertEquals("keep me", Files.readString(victim));
        assertArrayEquals(net(1).parameters(), ModelFile.load(f).parameters());
        assertEquals(List.of("m.bin", "victim.txt"), names(dir));
    }

    @Test
    void savingThroughASymbolicLinkReplacesTheFileItPointsTo() throws IOException {
        Path realDir = Files.createDirectories(dir.resolve("real"));
        Path real = realDir.resolve("model.bin");
        ModelFile.save(net(1), real);
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), Path.of("real", "model.bin"));
        Path chain = Files.createSymbolicLink(dir.resolve("chain.bin"), Path.of("link.bin"));
        ModelFile.save(net(2), chain);
        assertTrue(Files.isSymbolicLink(link) && Files.isSymbolicLink(chain), "the links stay links");
        assertEquals(Path.of("real", "model.bin"), Files.readSymbolicLink(link));
        assertArrayEquals(net(2).parameters(), ModelFile.load(real).parameters());
        assertEquals(List.of("model.bin"), names(realDir), "the temporary file went beside the real file");
        assertEquals(List.of("chain.bin", "link.bin", "real"), names(dir));

        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.bin"), Path.of("real", "new.bin"));
        ModelFile.save(net(3), dangling);
        assertTrue(Files.isSymbolicLink(dangling));
        assertArrayEquals(net(3).parameters(), ModelFile.load(realDir.resolve("new.bin")).parameters());
    }

    @Test
    void threadsSavingToOneTargetLeaveOneWholeModel() throws Exception {
        Path f = dir.resolve("m.bin");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        ModelFile.save(net(seed), f);
                    }
                    return null;
                }));
            }
            for (Future<?> x : done) {
                x.get();
            }
        } finally {
            pool.shutdown();
        }
        float[] loaded = ModelFile.load(f).parameters();
        boolean one = false;
        for (int t = 0; t < 8; t++) {
            one |= java.util.Arrays.equals(net(t).parameters(), loaded);
        }
        assertTrue(one, "the file holds one of the saved models");
        assertEquals(List.of("m.bin"), names(dir));
    }

    private static void fixCrc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
    }

    @Test
    void unknownFlagBitsAreRejected() throws IOException {
        Path f = dir.resolve("m.bin");
        ModelFile.save(net(1), f);
        byte[] good = Files.readAllBytes(f);
        for (int bit = 4; bit < 8; bit++) {
            byte[] bad = good.clone();
            bad[FLAGS] |= (byte) (1 << bit);
            fixCrc(bad);
            Files.write(f, bad);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f));
            assertTrue(e.getMessage().contains(String.format("unknown flag bits 0x%02x", 1 << bit)), e.getMessage());
        }
    }

    /** 3 GB on disk (sparse: nothing is written) behind the header of a 43-parameter model. */
    @Test
    void aHugeFileIsRejectedFromItsHeaderWithoutBeingRead() throws IOException {
        Path f = dir.resolve("m.bin");
        ModelFile.save(net(1), f);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(3L << 30);
        }
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("unexpected trailing bytes"), e.getMessage());
    }

    /**
     * Small files whose headers declare huge models: rejected from the header alone (allocating the declared
     * parameters first would need gigabytes).
     */
    @Test
    void aHeaderDeclaringAHugeModelIsRejectedBeforeAllocating() throws IOException {
        Path f = dir.resolve("m.bin");
        ModelFile.save(net(1), f);
        byte[] good = Files.readAllBytes(f);
        byte[] bigCount = good.clone();
        ByteBuffer.wrap(bigCount).putInt(FLAGS + 1, 2_000_000_000);
        Files.write(f, bigCount);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("truncated: 2000000000 parameters"), e.getMessage());

        byte[] bigSpec = good.clone();   // d = m = 40000: 1.6e9 parameters, against the 43 the file stores
        ByteBuffer.wrap(bigSpec).putInt(8, 40_000).putInt(12, 40_000);
        Files.write(f, bigSpec);
        e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("parameters but the file stores 43"), e.getMessage());
    }

    /** A model larger than one read chunk (64 KiB) round-trips and a flipped bit in its last chunk is caught. */
    @Test
    void aModelOfManyChunksRoundTrips() throws IOException {
        TwoLayerNet big = TwoLayerNet.initialize(NetSpec.standard(300, 100, 10, Activation.TANH), 5);
        Path f = dir.resolve("big.bin");
        ModelFile.save(big, f);
        assertArrayEquals(big.parameters(), ModelFile.load(f).parameters());
        byte[] b = Files.readAllBytes(f);
        b[b.length - 9] ^= 4;
        Files.write(f, b);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }
}
