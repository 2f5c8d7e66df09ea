package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.io.ModelFile;
import dev.simdgrad.nn.io.ModelFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model save/load: bit-exact round trip, atomic replacement, and clear errors for every kind of bad file. */
class NnPersistenceTest {
    @TempDir
    Path dir;

    @Test
    void roundTripIsBitExact() throws IOException {
        for (NetSpec spec : new NetSpec[] {NetSpec.standard(7, 5, 3, Activation.GELU),
                NetSpec.ntk(4, 6, 1, Activation.SOFTPLUS), NetSpec.standard(2, 3, 2, Activation.TANH)
                .withBiases(true, false).withFrozenOutput(true)}) {
            TwoLayerNet net = TwoLayerNet.initialize(spec, 11);
            net.parameters()[0] = Float.NaN;            // any bits survive, NaN and -0 included
            net.parameters()[1] = -0f;
            Path f = dir.resolve("model.bin");
            ModelFile.save(net, f);
            TwoLayerNet back = ModelFile.load(f, spec);
            assertEquals(spec, back.spec());
            float[] a = net.parameters(), b = back.parameters();
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]));
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void saveReplacesAnExistingFile() throws IOException {
        Path f = dir.resolve("m.bin");
        Files.writeString(f, "old contents");
        TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(3, 4, 2, Activation.RELU), 1);
        ModelFile.save(net, f);
        assertArrayEquals(net.parameters(), ModelFile.load(f).parameters());
    }

    private Path saved() throws IOException {
        Path f = dir.resolve("m.bin");
        ModelFile.save(TwoLayerNet.initialize(NetSpec.standard(6, 4, 3, Activation.RELU), 2), f);
        return f;
    }

    private void rejects(byte[] bytes, String fragment) throws IOException {
        Path f = dir.resolve("bad.bin");
        Files.write(f, bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void detectsCorruptionTruncationAndMismatch() throws IOException {
        byte[] good = Files.readAllBytes(saved());
        for (int i = 0; i < good.length; i += 7) {   // any flipped bit is caught (by a check or the CRC)
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Path f = dir.resolve("flip.bin");
            Files.write(f, bad);
            assertThrows(ModelFormatException.class, () -> ModelFile.load(f), "flip at byte " + i);
        }
        byte[] flipped = good.clone();
        flipped[40] ^= 1;
        rejects(flipped, "checksum mismatch");
        rejects(Arrays.copyOf(good, good.length - 5), "truncated");
        rejects(Arrays.copyOf(good, 10), "too short");
        rejects(Arrays.copyOf(good, good.length + 2), "trailing");
        byte[] magic = good.clone();
        magic[0] = 'X';
        rejects(magic, "bad magic");
        byte[] version = good.clone();
        version[7] = 9;
        rejects(version, "version 9");
        Path f = saved();
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.load(f, NetSpec.standard(6, 5, 3, Activation.RELU)));
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }
}
