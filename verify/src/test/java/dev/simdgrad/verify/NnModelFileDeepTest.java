package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Init;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.Parametrization;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.io.ModelFile;
import dev.simdgrad.nn.io.ModelFormatException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files of any depth (format version 2) beside the two-layer format (version 1), which still loads. */
class NnModelFileDeepTest {
    @TempDir
    Path dir;

    private static DenseNetwork deep() {
        return DenseNetwork.builder().widths(7, 6, 5, 4, 3).activation(Activation.TANH).activation(1, Activation.GELU)
                .bias(2, false).init(0, Init.HE).freeze(1).parametrization(Parametrization.NTK).build(11);
    }

    @Test
    void aDeepNetworkRoundTripsWithItsWholeArchitecture() throws Exception {
        DenseNetwork net = deep();
        Path f = dir.resolve("deep.sgnn");
        ModelFile.save(net, f);
        assertEquals(ModelFile.VERSION, ByteBuffer.wrap(Files.readAllBytes(f)).getInt(4));
        DenseNetwork back = ModelFile.loadNetwork(f);
        assertEquals(net.architecture(), back.architecture());
        assertArrayEquals(net.parameters(), back.parameters());
        var e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("4-layer") && e.getMessage().contains("loadNetwork"), e.getMessage());
        DenseNetwork one = DenseNetwork.builder().widths(5, 3).build(2);   // L = 1: a linear/softmax model
        ModelFile.save(one, f);
        assertEquals(one.architecture(), ModelFile.loadNetwork(f).architecture());
    }

    @Test
    void aTwoLayerNetworkIsStillWrittenAndReadInVersionOne() throws Exception {
        TwoLayerNet net = TwoLayerNet.initialize(NetSpec.standard(5, 4, 3, Activation.RELU), 3);
        Path f = dir.resolve("two.sgnn");
        ModelFile.save(net, f);
        assertEquals(1, ByteBuffer.wrap(Files.readAllBytes(f)).getInt(4));
        assertInstanceOf(TwoLayerNet.class, ModelFile.loadNetwork(f));
        assertArrayEquals(net.parameters(), ModelFile.load(f).parameters());
    }

    private static void fixCrc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
    }

    @Test
    void aBadLayerTableIsRejectedBeforeTheParametersAreRead() throws Exception {
        Path f = dir.resolve("deep.sgnn");
        ModelFile.save(deep(), f);
        byte[] good = Files.readAllBytes(f);
        // layers = 2^30: refused from the count alone.
        byte[] many = good.clone();
        ByteBuffer.wrap(many).putInt(8, 1 << 30);
        Files.write(f, many);
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.loadNetwork(f)).getMessage()
                .contains("layers is not in 1.."));
        // A layer of 2^20 x 2^20 inputs and outputs: its parameter count disagrees with the stored one.
        byte[] wide = good.clone();
        ByteBuffer.wrap(wide).putInt(14, 1 << 20).putInt(18, 1 << 20);
        fixCrc(wide);
        Files.write(f, wide);
        assertThrows(ModelFormatException.class, () -> ModelFile.loadNetwork(f));
        // An unknown layer flag bit.
        byte[] flag = good.clone();
        flag[14 + 10] |= 0x10;
        fixCrc(flag);
        Files.write(f, flag);
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.loadNetwork(f)).getMessage()
                .contains("unknown flag bits"));
        // One flipped parameter bit: the checksum.
        byte[] flipped = good.clone();
        flipped[flipped.length - 9] ^= 1;
        Files.write(f, flipped);
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.loadNetwork(f)).getMessage()
                .contains("checksum"));
        // Version 3 does not exist.
        byte[] future = good.clone();
        ByteBuffer.wrap(future).putInt(4, 3);
        Files.write(f, future);
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelFile.loadNetwork(f)).getMessage()
                .contains("version 3 is not supported"));
    }
}
