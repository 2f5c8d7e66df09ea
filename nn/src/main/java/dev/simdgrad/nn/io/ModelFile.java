package dev.simdgrad.nn.io;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Init;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.Parametrization;
import dev.simdgrad.nn.TwoLayerNet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * Saving and loading a {@link TwoLayerNet}: a versioned binary format with a CRC-32, written atomically.
 *
 * <p>Format version 1, big-endian:
 * <pre>
 *   magic      4 bytes  "SGNN"
 *   version    int32    1
 *   d, m, k    3 x int32
 *   activation, parametrization, init   3 x int8 (ordinals of {@link Activation}, {@link Parametrization}, {@link Init})
 *   flags      int8     bit 0 hidden bias, 1 output bias, 2 frozen output, 3 symmetric init
 *   count      int32    number of parameters P (must match the spec)
 *   parameters P x float32 (IEEE bits, in the layout of {@link TwoLayerNet#parameters()})
 *   crc        int32    CRC-32 of every preceding byte
 * </pre>
 * Saving writes a temporary file in the target's directory, forces it to disk, and renames it over the target
 * (atomically where the file system can), so a reader sees the old file or the new one, never a partial one.
 * Loading reads the whole file and validates length, magic, version, checksum and spec before a network is built: a
 * bad file gives a {@link ModelFormatException} and never a half-loaded model.
 */
public final class ModelFile {
    /** Current format version. */
    public static final int VERSION = 1;
    private static final int MAGIC = 0x53474E4E; // "SGNN"
    private static final int HEADER = 4 + 4 + 12 + 3 + 1 + 4;

    private ModelFile() {
    }

    /** Writes the network (spec and all parameters) to {@code file}, atomically replacing any existing file. */
    public static void save(TwoLayerNet net, Path file) throws IOException {
        byte[] bytes = encode(net);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a network.
     *
     * @throws ModelFormatException for a file that is too short, truncated, has a bad magic, an unknown version, a
     *                              checksum mismatch, or an inconsistent spec or parameter count
     */
    public static TwoLayerNet load(Path file) throws IOException {
        return decode(Files.readAllBytes(file), file.toString());
    }

    /**
     * Reads a network and checks that it has the expected spec.
     *
     * @throws ModelFormatException also when the stored spec differs from {@code expected}
     */
    public static TwoLayerNet load(Path file, NetSpec expected) throws IOException {
        TwoLayerNet net = load(file);
        if (!net.spec().equals(expected)) {
            throw new ModelFormatException(file + ": holds " + net.spec() + ", expected " + expected);
        }
        return net;
    }

    static byte[] encode(TwoLayerNet net) {
        NetSpec s = net.spec();
        float[] p = net.parameters();
        ByteBuffer b = ByteBuffer.allocate(HEADER + 4 * p.length + 4).order(ByteOrder.BIG_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putInt(s.inputs()).putInt(s.hidden()).putInt(s.outputs());
        b.put((byte) s.activation().ordinal()).put((byte) s.parametrization().ordinal()).put((byte) s.init().ordinal());
        b.put((byte) ((s.hiddenBias() ? 1 : 0) | (s.outputBias() ? 2 : 0) | (s.freezeOutput() ? 4 : 0)
                | (s.symmetric() ? 8 : 0)));
        b.putInt(p.length);
        for (float v : p) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    static TwoLayerNet decode(byte[] bytes, String name) throws ModelFormatException {
        if (bytes.length < HEADER + 4) {
            throw new ModelFormatException(name + ": " + bytes.length + " bytes, too short for a model file (header "
                    + (HEADER + 4) + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        if (b.getInt() != MAGIC) {
            throw new ModelFormatException(name + ": not a simdgrad model file (bad magic)");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new ModelFormatException(name + ": format version " + version + " is not supported (this build reads "
                    + VERSION + ")");
        }
        int d = b.getInt(), m = b.getInt(), k = b.getInt();
        int act = b.get(), par = b.get(), init = b.get(), flags = b.get();
        int count = b.getInt();
        long expectedLength = HEADER + 4L * Math.max(count, 0) + 4;
        if (count < 0 || bytes.length < expectedLength) {
            throw new ModelFormatException(name + ": truncated: " + count + " parameters need " + expectedLength
                    + " bytes, file has " + bytes.length);
        }
        if (bytes.length > expectedLength) {
            throw new ModelFormatException(name + ": " + (bytes.length - expectedLength) + " unexpected trailing bytes");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) {
            throw new ModelFormatException(String.format("%s: checksum mismatch (stored %08x, computed %08x): the "
                    + "file is corrupt", name, stored, (int) crc.getValue()));
        }
        NetSpec spec;
        try {
            spec = new NetSpec(d, m, k, enumAt(Activation.values(), act, "activation", name),
                    enumAt(Parametrization.values(), par, "parametrization", name),
                    enumAt(Init.values(), init, "init", name),
                    (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(name + ": invalid network shape: " + e.getMessage());
        }
        int p = TwoLayerNet.parameterCount(spec);
        if (p != count) {
            throw new ModelFormatException(name + ": " + spec + " has " + p + " parameters but the file stores "
                    + count);
        }
        float[] theta = new float[count];
        for (int i = 0; i < count; i++) {
            theta[i] = Float.intBitsToFloat(b.getInt());
        }
        return TwoLayerNet.fromParameters(spec, theta);
    }

    private static <E> E enumAt(E[] values, int ordinal, String what, String name) throws ModelFormatException {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new ModelFormatException(name + ": unknown " + what + " code " + ordinal);
        }
        return values[ordinal];
    }
}
